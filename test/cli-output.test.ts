// Output for scripts: `--json` puts one summary per run on stdout as a JSON line; `--quiet` leaves one line.
import { describe, expect, it } from 'vitest';
import type { Summary } from '../dist/lib/index.js';
import { scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();

describe('run output for scripts', () => {
  it('--json: one summary.json per run on stdout, nothing else there; the last line on stderr', async () => {
    const run = await stampede([
      'run',
      'concurrent-creates',
      'unique-ids',
      '--agents',
      '2',
      '--ops',
      '5',
      '--seed',
      '3',
      '--json',
      '--results',
      scratch('json'),
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const summaries = run.stdout.split('\n').map((line) => JSON.parse(line) as Summary);
    expect(summaries.map((s) => [s.scenario, s.seed, s.verdict])).toEqual([
      ['concurrent-creates', 3, 'pass'],
      ['unique-ids', 3, 'pass'],
    ]);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^2 runs in [\d.]+ m?s: all as expected; exit 0$/);
  });

  it('--quiet: no progress, no table, only the last line', async () => {
    const run = await stampede([
      'run',
      'concurrent-creates',
      '--agents',
      '2',
      '--ops',
      '5',
      '--quiet',
      '--results',
      scratch('quiet'),
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^1 run in [\d.]+ m?s: all as expected; exit 0$/);
  });
});
