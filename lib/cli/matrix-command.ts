// `stampede matrix`: every fault against the scenario that should expose it, over many seeds, and the
// correct tracker over many more; prints the detection table and saves it under <results>/matrix/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { CORRECT_ROWS, FAULT_ROWS } from '../matrix/rows.js';
import { matrixTable, runMatrix, type RowResult } from '../matrix/run-matrix.js';
import { freshSeed } from '../plan/rng.js';
import { withInterrupt } from './interrupt.js';

export interface MatrixOptions {
  seeds: number;
  correctRuns: number;
  baseSeed?: number;
  fault?: string[];
  results: string;
}

/** A row is good when at least 95% of its runs detect (19 of 20) and no wrong checker ever fires. */
export function rowProblems(results: RowResult[]): string[] {
  const problems: string[] = [];
  for (const r of results) {
    const label = r.row.fault ? `${r.row.fault} on ${r.row.scenario}` : `correct tracker on ${r.row.scenario}`;
    const needed = r.row.fault ? Math.ceil(0.95 * r.runs) : r.runs;
    if (r.detected < needed) problems.push(`${label}: ${r.detected}/${r.runs} (${r.misses.slice(0, 3).join('; ')})`);
    if (r.wrongChecker > 0) problems.push(`${label}: a wrong checker failed in ${r.wrongChecker} runs`);
  }
  return problems;
}

export async function matrixCommand(options: MatrixOptions): Promise<ExitCode> {
  const baseSeed = options.baseSeed ?? freshSeed();
  const faultRows = options.fault ? FAULT_ROWS.filter((r) => options.fault?.includes(r.fault ?? '')) : FAULT_ROWS;
  const perCorrectRow = Math.ceil(options.correctRuns / CORRECT_ROWS.length);
  const resultsDir = join(options.results, 'matrix');
  const correct = options.fault ? 'no correct-tracker rows (--fault picks fault rows only)' : `correct tracker ${CORRECT_ROWS.length} rows x ${perCorrectRow} seeds`;
  process.stderr.write(`matrix: base seed ${baseSeed}; ${faultRows.length} fault rows x ${options.seeds} seeds, ${correct}\n`);
  const onRun = (row: { fault: string | null; scenario: string }, seed: number, detected: boolean, why: string): void => {
    process.stderr.write(`matrix: ${row.fault ?? 'correct'} ${row.scenario} seed ${seed}: ${detected ? 'ok' : 'MISS'} (${why})\n`);
  };
  const { value: results, interrupted } = await withInterrupt(async (signal) => [
    ...(await runMatrix({ rows: faultRows, seeds: options.seeds, baseSeed, resultsDir, signal, onRun })),
    ...(options.fault ? [] : await runMatrix({ rows: CORRECT_ROWS, seeds: perCorrectRow, baseSeed: baseSeed + 1, resultsDir, signal, onRun })),
  ]);
  const table = matrixTable(results);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), `${table}\n`);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ baseSeed, results }, null, 2)}\n`);
  process.stdout.write(`${table}\n`);
  const problems = rowProblems(results);
  for (const p of problems) process.stdout.write(`matrix: below the bar: ${p}\n`);
  if (interrupted) return EXIT.harness;
  return problems.length > 0 ? EXIT.fail : EXIT.pass;
}
