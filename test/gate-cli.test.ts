// `stampede gate` end to end: the real CLI runs test/fixtures/budget-scenario.ts (session echo agents) N
// times; a config adds a budget that cannot hold (`all.max < 0ms`), and `--param lose=yes` breaks an
// invariant in every run. Nothing depends on how fast the machine is: the gate's arithmetic is checked
// against the figures gate.json recorded, and every verdict is decided by a wide margin or an impossible limit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../lib/gate/run-gate.js';
import { FIXTURES, onlyRunDir, readSummary, runDirs, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();
const SCENARIO = join(FIXTURES, 'budget-scenario.ts');
/** No multiplier from the machine running the tests. */
const ENV = { CI: 'true', STAMPEDE_BUDGET_MULTIPLIER: '' };

function config(dir: string, budgets: Record<string, string>): string {
  const file = join(dir, 'stampede.config.mjs');
  writeFileSync(file, `export default { scenarios: ['unused.ts'], budgets: ${JSON.stringify(budgets)} };\n`);
  return file;
}

/** `stampede gate` on the fixture, each run writing summary.json only. */
function runGate(results: string, args: string[]) {
  return stampede(['gate', SCENARIO, ...args, '--results', results, '--reporter', 'json'], { env: ENV });
}

describe('stampede gate', () => {
  it('runs the plan N times and holds each trimmed mean to its budget: a miss is exit 1, as a budget', async () => {
    const dir = scratch('gate');
    const results = join(dir, 'results');
    const file = config(dir, { 'all.max': '< 0ms' });
    const run = await runGate(results, ['--runs', '3', '--trim', '1', '--seed', '6', '--config', file]);
    expect(run.exitCode, run.stderr).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'gate budget-fixture seed 6: 3 runs, trimmed mean dropping 1 from each end, budget multiplier 1 (default); gating echo.p95 < 60s, all.errorRatio < 1%, all.opsPerSec > 0.001, all.max < 0ms',
    );
    expect(lines.filter((l) => /^run \d\/3 {2}PASS {2}echo\.p95 /.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(
      /^FAIL \(budget: all\.max trimmed mean [\d.]+ m?s > 0 ms\) {2}gate budget-fixture seed 6, 3 of 3 runs, trim 1; exit 1$/,
    );

    // gate.json: every run's figure, and the trimmed mean of three is the middle one.
    const [gateDir] = runDirs(results);
    const gate = JSON.parse(readFileSync(join(gateDir as string, 'gate.json'), 'utf8')) as GateReport;
    expect(gate).toMatchObject({ scenario: 'budget-fixture', seed: 6, runs: 3, trim: 1, verdict: 'fail', exitCode: 1 });
    expect(gate.failures).toEqual(['budget']);
    expect(gate.runResults.map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass']);
    for (const g of gate.gates) {
      const values = g.values as number[];
      const sorted = [...values].sort((a, b) => a - b);
      expect(values).toHaveLength(3);
      expect(g.trimmedMean).toBe(sorted[1]);
      expect(g.dropped).toEqual([sorted[0], sorted[2]]);
      expect(run.stdout).toContain(`  ${g.line}\n`);
    }
    expect(gate.gates.map((g) => [g.name, g.verdict])).toEqual([
      ['echo.p95', 'pass'],
      ['all.errorRatio', 'pass'],
      ['all.opsPerSec', 'pass'],
      ['all.max', 'fail'],
    ]);
    // A results folder per run, inside the gate's folder; each judged on its invariants alone.
    for (const r of gate.runResults) {
      expect(existsSync(join(r.runDir, 'summary.json'))).toBe(true);
      const summary = readSummary(r.runDir);
      expect(summary.checks.map((c) => c.name)).not.toContain('budgets');
      expect(summary.budgets).toMatchObject({ checked: false, limits: { 'all.max': '< 0ms' } });
    }
    expect(runDirs(gateDir as string).filter((d) => !d.endsWith('gate.json'))).toHaveLength(3);

    // A replay of one of its runs is judged as the run was: on its invariants, its budgets recorded unchecked.
    const again = join(dir, 'again');
    const repro = await stampede(['repro', gate.runResults[0]?.runDir ?? '', '--results', again], { env: ENV });
    expect(repro.exitCode, repro.stdout + repro.stderr).toBe(0);
    const replayed = readSummary(onlyRunDir(again));
    expect(replayed.checks.map((c) => c.name)).not.toContain('budgets');
    expect(replayed.budgets).toMatchObject({ checked: false, limits: { 'all.max': '< 0ms' } });
  });

  it('does not hide a broken invariant behind figures that hold', async () => {
    const results = scratch('gate-lost');
    const run = await runGate(results, ['--runs', '1', '--trim', '0', '--param', 'lose=yes', '--figure', 'echo.p95']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^run 1\/1 {2}FAIL {2}echo\.p95 [\d.]+ ms/m);
    expect(run.stdout).toContain('fail lost-when-asked: lost: a0 seq 0 acknowledged but absent (asked for)');
    expect(run.stdout).toMatch(/echo\.p95: [\d.]+ ms; trimmed mean [\d.]+ ms < 60 s: pass/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^FAIL \(invariant: run 1 failed lost-when-asked\) {2}gate budget-fixture seed \d+, 1 of 1 runs, trim 0; exit 1$/,
    );
    const [gateDir] = runDirs(results);
    const gate = JSON.parse(readFileSync(join(gateDir as string, 'gate.json'), 'utf8')) as GateReport;
    expect(gate.failures).toEqual(['invariant']);
  });

  it('--json: gate.json on stdout as one line, every other line on stderr', async () => {
    const results = scratch('gate-json');
    const run = await runGate(results, ['--runs', '1', '--trim', '0', '--seed', '8', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] as string) as GateReport;
    expect(printed).toEqual(JSON.parse(readFileSync(join(printed.gateDir, 'gate.json'), 'utf8')));
    expect(printed).toMatchObject({ scenario: 'budget-fixture', seed: 8, runs: 1, verdict: 'pass', exitCode: 0 });
    expect(run.stderr).toMatch(/^gate budget-fixture seed 8: 1 runs/m);
    expect(run.stderr).toMatch(/^run 1\/1 {2}PASS {2}echo\.p95 /m);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^PASS {2}gate budget-fixture seed 8, 1 of 1 runs, trim 0; exit 0$/,
    );
  });

  it('refuses a trim that leaves no run, and a figure without a budget, before running (exit 2)', async () => {
    const results = scratch('gate-usage');
    const trim = await stampede(['gate', SCENARIO, '--runs', '2', '--trim', '1', '--results', results], { env: ENV });
    expect(trim.exitCode).toBe(2);
    expect(trim.stderr).toBe(
      'stampede: --trim 1 drops 2 of 2 runs (1 from each end), leaving none to average: give --runs 3 or more, or a smaller --trim',
    );
    const figure = await stampede(['gate', SCENARIO, '--figure', 'ping.p99', '--results', results], { env: ENV });
    expect(figure.exitCode).toBe(2);
    expect(figure.stderr).toBe(
      'stampede: --figure ping.p99: scenario budget-fixture has no budget on ping.p99; its budgets: echo.p95, all.errorRatio, all.opsPerSec',
    );
    const bad = await stampede(['gate', SCENARIO, '--trim', 'x', '--results', results], { env: ENV });
    expect(bad.exitCode).toBe(2);
    expect(runDirs(results)).toEqual([]);
  });
});
