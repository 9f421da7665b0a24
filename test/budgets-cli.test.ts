// Budgets end to end: the real CLI runs test/fixtures/budget-scenario.ts (session echo agents)
// whose own budgets hold by a wide margin, and a config adds budgets that cannot hold (`all.max < 0ms`: an
// op takes at least a microsecond) or cannot be measured (no `delete` op runs). Nothing here depends on how
// fast the machine is: every verdict is decided by a margin of a minute or by an impossible limit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, onlyRunDir, readSummary, runDirs, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();
const SCENARIO = join(FIXTURES, 'budget-scenario.ts');
/** No multiplier from the machine running the tests, unless a test sets one. */
const ENV = { CI: 'true', STAMPEDE_BUDGET_MULTIPLIER: '' };

function config(dir: string, budgets: Record<string, string>, extra = ''): string {
  const file = join(dir, 'stampede.config.mjs');
  writeFileSync(file, `export default { scenarios: ['unused.ts'], budgets: ${JSON.stringify(budgets)}${extra} };\n`);
  return file;
}

describe('budgets in a run', () => {
  it('passes budgets met by a wide margin, and records them and the multiplier in summary.json', async () => {
    const results = scratch('budgets-pass');
    const run = await stampede(['run', SCENARIO, '--seed', '3', '--results', results], { env: ENV });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^PASS {2}budget-fixture {2}seed 3/);
    expect(run.stdout).toMatch(/echo\.p95 +[\d.]+ ms +< 60 s +pass/);
    expect(run.stdout).toContain('budget multiplier 1 (default; set STAMPEDE_BUDGET_MULTIPLIER for a slower machine)');
    const summary = readSummary(onlyRunDir(results));
    expect(summary.budgets).toEqual({
      multiplier: 1,
      multiplierFrom: 'default',
      limits: { 'echo.p95': '< 60s', 'all.errorRatio': '< 1%', opsPerSec: '> 0.001' },
    });
    const check = summary.checks.find((c) => c.name === 'budgets');
    expect(check).toMatchObject({ kind: 'budget', verdict: 'pass' });
    expect(check?.details).toMatch(/^3 budgets met: echo\.p95 [\d.]+ ms < 60 s, all\.errorRatio 0% < 1%/);
  });

  it('reports a budget that cannot hold as a budget miss: exit 1, summary.json, junit.xml, summary.md', async () => {
    const dir = scratch('budgets-miss');
    const results = join(dir, 'results');
    const file = config(dir, { 'all.max': '< 0ms', 'echo.p95': '< 1ms' });
    // The scenario's own echo.p95 (< 60s) wins over the config's; the multiplier (env) scales it.
    const run = await stampede(['run', SCENARIO, '--seed', '4', '--results', results, '--config', file], {
      env: { ...ENV, STAMPEDE_BUDGET_MULTIPLIER: '2' },
    });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^FAIL \(budget: all\.max [\d.]+ m?s > 0 ms\) {2}budget-fixture {2}seed 4/);
    expect(run.stdout).toMatch(/all\.max +[\d.]+ m?s +< 0 ms +FAIL \(budget\)/);
    expect(run.stdout).toMatch(/echo\.p95 +[\d.]+ ms +< 120 s \(60 s x 2\) +pass/);
    expect(run.stdout).toContain('budget multiplier 2 (STAMPEDE_BUDGET_MULTIPLIER)');

    const runDir = onlyRunDir(results);
    const summary = readSummary(runDir);
    expect(summary.verdict).toBe('fail');
    expect(summary.budgets).toMatchObject({
      multiplier: 2,
      multiplierFrom: 'env',
      limits: { 'all.max': '< 0ms', 'echo.p95': '< 60s' },
    });
    // The invariants held: the only failing check is the budgets one, of kind budget.
    expect(summary.checks.filter((c) => c.verdict !== 'pass').map((c) => [c.name, c.kind])).toEqual([
      ['budgets', 'budget'],
    ]);
    const budgets = summary.checks.find((c) => c.name === 'budgets');
    expect(budgets?.details).toMatch(/^budget miss: all\.max [\d.]+ m?s > 0 ms; 3 budgets met/);

    const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /<testcase name="budgets"[^>]*>\s*<failure message="budget miss: all\.max[^"]*" type="budget">/,
    );
    expect(junit).toContain('<testcase name="per-agent" classname="stampede.budget-fixture" time="0"/>');
    expect(junit).toContain('<property name="budgetMultiplier" value="2"/>');

    const md = readFileSync(join(runDir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^### ❌ FAIL \(budget: all\.max [\d.]+ m?s &gt; 0 ms\): budget-fixture \(seed 4\)/);
    expect(md).toMatch(/\| all\.max \| [\d.]+ m?s \| &lt; 0 ms \| FAIL \(budget\) \|/);
    expect(md).toContain('| budgets | ❌ FAIL (budget miss) |');
    expect(md).toContain('Budget multiplier: 2 (STAMPEDE_BUDGET_MULTIPLIER)');

    // `stampede report` judges the run again by the budgets and multiplier it recorded, not today's.
    const report = await stampede(['report', runDir], { env: ENV });
    expect(report.exitCode, report.stderr).toBe(1);
    expect(readSummary(runDir).budgets).toMatchObject({ multiplier: 2, limits: { 'all.max': '< 0ms' } });
    expect(report.stdout).toMatch(/^FAIL \(budget: all\.max/);

    // --quiet: the last line says it was a budget.
    const quiet = await stampede(['run', SCENARIO, '--seed', '4', '--results', results, '--config', file, '--quiet'], {
      env: ENV,
    });
    expect(quiet.exitCode).toBe(1);
    expect(quiet.stdout.trim()).toMatch(
      /^1 run in [\d.]+ m?s: 1 not as expected: budget-fixture seed 4 \(FAIL, budget: all\.max [\d.]+ m?s > 0 ms, expected pass\); exit 1$/,
    );
  });

  it('is unknown (exit 3), not a pass, for a budget on an op kind that never ran', async () => {
    const dir = scratch('budgets-unknown');
    const results = join(dir, 'results');
    const file = config(dir, { 'delete.p95': '< 60s' }, ', budgetMultiplier: 1.5');
    const run = await stampede(['run', SCENARIO, '--seed', '5', '--results', results, '--config', file], { env: ENV });
    expect(run.exitCode, run.stderr).toBe(3);
    const summary = readSummary(onlyRunDir(results));
    expect(summary.budgets).toMatchObject({ multiplier: 1.5, multiplierFrom: 'config' });
    const check = summary.checks.find((c) => c.name === 'budgets');
    expect(check?.verdict).toBe('unknown');
    expect(check?.details).toContain('delete.p95 unknown: no delete op ran (op kinds in this run: echo, ping)');
  });

  it('refuses a bad STAMPEDE_BUDGET_MULTIPLIER before anything runs (exit 2)', async () => {
    const results = scratch('budgets-bad-env');
    const run = await stampede(['run', SCENARIO, '--results', results], {
      env: { ...ENV, STAMPEDE_BUDGET_MULTIPLIER: 'twice' },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'stampede: STAMPEDE_BUDGET_MULTIPLIER must be a number above 0 and at most 1000 (2 for a machine twice as slow), got "twice"',
    );
    expect(runDirs(results)).toEqual([]);
  });

  it("hunt judges the config's budgets on the config's scenarios; repro judges a run by the budgets it recorded", async () => {
    const dir = scratch('budgets-hunt');
    const results = join(dir, 'results');
    const file = join(dir, 'stampede.config.mjs');
    writeFileSync(
      file,
      `export default { scenarios: [${JSON.stringify(SCENARIO)}], budgets: { 'all.max': '< 0ms' }, budgetMultiplier: 3 };\n`,
    );
    // No scenario named: the config's; the impossible budget fails the first run.
    const hunt = await stampede(['hunt', '--config', file, '--runs', '2', '--results', results], { env: ENV });
    expect(hunt.exitCode, hunt.stderr).toBe(1);
    expect(hunt.stdout).toMatch(/^hunt stopped \(found a failure\) after [\d.]+ s: 1 runs/m);
    const runDir = onlyRunDir(results);
    const summary = readSummary(runDir);
    expect(summary.budgets).toMatchObject({ multiplier: 3, multiplierFrom: 'config', limits: { 'all.max': '< 0ms' } });
    expect(summary.checks.find((c) => c.name === 'budgets')?.verdict).toBe('fail');

    // repro, with no config at hand: the recorded budgets and multiplier, not none.
    const repro = await stampede(['repro', runDir, '--results', join(dir, 'again')], { env: ENV });
    expect(repro.exitCode, repro.stderr).toBe(1);
    expect(repro.stdout).toMatch(/^FAIL \(budget: all\.max [\d.]+ m?s > 0 ms\) {2}budget-fixture/m);
    expect(readSummary(onlyRunDir(join(dir, 'again'))).budgets).toMatchObject({
      multiplier: 3,
      multiplierFrom: 'config',
      limits: { 'all.max': '< 0ms' },
    });
  });
});
