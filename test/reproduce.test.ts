// Reproducing from a seed: repro replays a folder's plan exactly, --repeat reports a rate, hunt finds a
// failing seed (and stops at its limits when nothing fails), shrink makes a failure small.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../dist/lib/index.js';
import { onlyRunDir, runDirs, stampede, tempDir } from './helpers.js';

const planOf = (dir: string): string => readFileSync(join(dir, 'plan.json'), 'utf8');

describe('repro', () => {
  it('re-runs exactly the plan a results folder recorded', async () => {
    const results = tempDir('repro');
    const first = await stampede([
      'run',
      'mixed-ops',
      '--agents',
      '3',
      '--ops',
      '8',
      '--seed',
      '4242',
      '--results',
      results,
    ]);
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const original = onlyRunDir(results);
    const again = await stampede(['repro', original, '--repeat', '2']);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/failed 0\/2 \(0%\)/);
    expect(again.stderr).not.toMatch(/other code/);
    const dirs = runDirs(results);
    expect(dirs).toHaveLength(3);
    for (const dir of dirs) expect(planOf(dir)).toBe(planOf(original));
  });

  it('says plainly when the folder was planned by other code', async () => {
    const results = tempDir('repro-other');
    await stampede(['run', 'mixed-ops', '--agents', '2', '--ops', '3', '--seed', '7', '--results', results]);
    const dir = onlyRunDir(results);
    const plan = JSON.parse(planOf(dir)) as Plan;
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({ ...plan, code: { version: '0.0.1', commit: 'f'.repeat(40) } }),
    );
    const again = await stampede(['repro', dir]);
    expect(again.stderr).toMatch(/warning: this run folder comes from other code: .*planned at commit ffffffffffff/);
  });

  it('reports a rate with --repeat', async () => {
    const results = tempDir('repeat');
    const run = await stampede([
      'run',
      'concurrent-creates',
      '--agents',
      '4',
      '--ops',
      '10',
      '--fault',
      'no-lock',
      '--seed',
      '99',
      '--repeat',
      '3',
      '--results',
      results,
    ]);
    expect(run.exitCode).toBe(1);
    const failed = Number(/concurrent-creates seed 99: failed ([1-3])\/3 \(\d+%\)/.exec(run.stdout)?.[1]);
    expect(failed, run.stdout).toBeGreaterThan(0);
    // The closing line names a plan that missed once, however many repeats missed.
    const same = 'concurrent-creates seed 99 (FAIL, expected pass)';
    expect(run.stdout).toMatch(
      new RegExp(
        `3 runs in [\\d.]+ m?s: ${failed} not as expected: ${same.replace(/[()]/g, '\\$&')}${failed > 1 ? ` x${failed}` : ''}; exit 1$`,
      ),
    );
    const plans = runDirs(results).map(planOf);
    expect(new Set(plans).size).toBe(1);
  });
});

describe('hunt', () => {
  it('finds a failing seed for counter-race within its run limit, and keeps only that folder', async () => {
    const results = tempDir('hunt');
    const run = await stampede([
      'hunt',
      'concurrent-creates',
      '--fault',
      'counter-race',
      '--agents',
      '4',
      '--ops',
      '20',
      '--runs',
      '10',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/hunt stopped \(found a failure\)/);
    expect(run.stdout).toMatch(
      /concurrent-creates seed \d+: npm run stress -- concurrent-creates --seed \d+ .*--fault counter-race/,
    );
    const kept = runDirs(results);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    for (const dir of kept) {
      expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).verdict).toBe('fail');
      // Tries write summary.json only; a kept failure gets every report.
      for (const file of ['report.html', 'junit.xml', 'summary.md'])
        expect(existsSync(join(dir, file)), `${dir}: ${file}`).toBe(true);
    }
  });

  it('stops at its run limit when nothing fails, two runs at a time, leaving no folders behind', async () => {
    const results = tempDir('hunt-clean');
    const run = await stampede([
      'hunt',
      'mixed-ops',
      '--agents',
      '2',
      '--ops',
      '5',
      '--runs',
      '4',
      '--parallel',
      '2',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/hunt stopped \(run limit\) after [\d.]+ s: 4 runs, failed 0\/4 \(0%\)/);
    expect(readdirSync(results)).toHaveLength(0);
  });

  it('stops at its time limit', async () => {
    const results = tempDir('hunt-time');
    const run = await stampede([
      'hunt',
      'mixed-ops',
      '--agents',
      '2',
      '--ops',
      '5',
      '--runs',
      '1000',
      '--time-limit',
      '1ms',
      '--results',
      results,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/hunt stopped \(time limit\)/);
  });
});

describe('shrink', () => {
  it('reduces a no-lock failure at 8 agents x 100 ops to at most 2 agents and a handful of ops', async () => {
    const results = tempDir('shrink');
    const first = await stampede([
      'run',
      'concurrent-creates',
      '--fault',
      'no-lock',
      '--seed',
      '31337',
      '--results',
      results,
    ]);
    expect(first.exitCode, first.stdout).toBe(1);
    const dir = onlyRunDir(results);
    const run = await stampede(['shrink', dir, '--tries', '3']);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const shrunk = JSON.parse(readFileSync(join(dir, 'shrink.json'), 'utf8')) as {
      smallest: { size: { agents: number; ops: number }; failures: number; tries: number };
    };
    expect(shrunk.smallest.size.agents).toBeLessThanOrEqual(2);
    expect(shrunk.smallest.size.ops).toBeLessThanOrEqual(10);
    // "Still failing in most tries": at least as often as the original, which failed in most.
    expect(shrunk.smallest.failures * 2).toBeGreaterThan(shrunk.smallest.tries);
    expect(run.stdout).toMatch(
      /replay: npm run stress -- concurrent-creates --seed 31337 --agents [12] --ops \d+ --fault no-lock/,
    );
    const failing = /a failing run of it: (.+)/.exec(run.stdout)?.[1];
    expect(failing, run.stdout).toBeDefined();
    for (const file of ['summary.json', 'report.html', 'junit.xml', 'summary.md'])
      expect(existsSync(join(failing as string, file)), file).toBe(true);
  });
});
