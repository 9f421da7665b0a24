// The detection matrix at CI size: every fault of the reference tracker and the exporter daemon caught in
// at least 19 of 20 seeds by the expected checker (and no other), and the correct targets never blamed.
// `npm run matrix` is the full-size version.
import { describe, expect, it } from 'vitest';
import selftest from '../dist/stress/selftest/matrix.js';
import { matrixTable, runMatrix } from '../dist/lib/matrix/run-matrix.js';
import { tempDir } from './helpers.js';

const { faultRows: FAULT_ROWS, correctRows: CORRECT_ROWS, env } = selftest;

const SEEDS = 20;
const BASE_SEED = 20261123;

// Rows run two at a time: most of a run is waiting (process start-up, deadlines, slow starts).
describe.concurrent('detection matrix (CI size)', () => {
  it.each(FAULT_ROWS.map((row) => [`${row.fault} on ${row.scenario}`, row] as const))(
    '%s: detected in >= 19/20 seeds by the expected checker',
    async (_, row) => {
      const [result] = await runMatrix({
        rows: [row],
        env,
        seeds: SEEDS,
        baseSeed: BASE_SEED + FAULT_ROWS.indexOf(row),
        resultsDir: tempDir('matrix'),
      });
      if (!result) throw new Error('no result');
      console.log(matrixTable([result]));
      expect(result.runs).toBe(SEEDS);
      expect(result.wrongChecker, result.misses.join('\n')).toBe(0);
      expect(result.detected, result.misses.join('\n')).toBeGreaterThanOrEqual(19);
    },
    900_000,
  );

  it('the correct tracker and exporter pass every run across their scenarios', async () => {
    const results = await runMatrix({
      rows: CORRECT_ROWS,
      env,
      seeds: 4,
      baseSeed: BASE_SEED - 1,
      resultsDir: tempDir('matrix-correct'),
    });
    console.log(matrixTable(results));
    for (const r of results)
      expect(r.detected, `${r.row.label ?? r.row.scenario}: ${r.misses.join('\n')}`).toBe(r.runs);
  }, 900_000);
});
