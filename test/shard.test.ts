// `--shard i/n` splits a suite over CI jobs: every run lands in exactly one shard.
import { describe, expect, it } from 'vitest';
import { readSummary, runDirs, stampede, tempDir } from './helpers.js';

describe('--shard', () => {
  it('runs every n-th scenario run from the i-th, and together the shards run them all once', async () => {
    const scenarios = ['mixed-ops', 'concurrent-creates', 'batch-ops'];
    const seen: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const results = tempDir(`shard-${shard.replace('/', 'of')}`);
      const run = await stampede([
        'run',
        ...scenarios,
        '--agents',
        '1',
        '--ops',
        '2',
        '--seed',
        '5',
        '--shard',
        shard,
        '--reporter',
        'json',
        '--results',
        results,
      ]);
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      seen.push(...runDirs(results).map((dir) => readSummary(dir).scenario));
    }
    expect(seen.sort()).toEqual([...scenarios].sort());
  });

  it('rejects a shard outside 1..n', async () => {
    const run = await stampede(['run', 'mixed-ops', '--shard', '3/2']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--shard must be i\/n with 1 <= i <= n/);
  });
});
