// The budgets checker's pure part, in-process: parsing (what is accepted and what is refused, in one line
// naming the key), each figure measured over hand-made ops, the multiplier, `unknown` when there is no op to
// measure, and the verdict words and report types of a miss. No process is started and no time is
// measured: every op's times are given.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  budgetsChecker,
  budgetResultsOf,
  judgeBudgets,
  mergeFigureBudgets,
  parseFigureBudget,
  parseFigureBudgets,
  parseMultiplier,
  resolveMultiplier,
  scaledLimit,
  type FigureBudget,
} from '../lib/checkers/budgets.js';
import { loadConfig } from '../lib/config.js';
import { latencyReport } from '../lib/history/latency.js';
import { junitXml } from '../lib/report/junit.js';
import { budgetCells, verdictWords } from '../lib/report/model.js';
import { HarnessError } from '../lib/run/errors.js';
import { runBudgets } from '../lib/run/run-budgets.js';
import type { Summary } from '../lib/run/summary.js';
import { defineScenario } from '../lib/scenario.js';
import type { CheckInput, CheckResult, OpRecord, Outcome } from '../lib/types.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';

/** An op of kind `f` that ran from `start` for `ms` and ended `outcome`. */
function op(f: string, start: number, ms: number, outcome: Outcome | 'pending' = 'ok', seq = 0): OpRecord {
  return {
    agent: 0,
    seq,
    f,
    value: null,
    outcome,
    result: null,
    start,
    end: outcome === 'pending' ? null : start + ms,
  };
}

// 10 creates of 1..10 ms (one failed, one unknown) and 2 lists of 50 ms; the ops run from 0 to 1000 ms.
const OPS: OpRecord[] = [
  ...Array.from({ length: 10 }, (_, i) => op('create', i * 10, i + 1, i === 3 ? 'fail' : i === 7 ? 'info' : 'ok', i)),
  op('list', 0, 50, 'ok', 10),
  op('list', 950, 50, 'ok', 11),
];

const budget = (key: string, value: string): FigureBudget => parseFigureBudget(key, value);

function input(ops: OpRecord[]): CheckInput {
  return {
    plan: unitPlan([0]),
    ops,
    state: null,
    health: [healthyAgent(0)],
    counters: [],
    maxUnknownRatio: 0.5,
  };
}

describe('parsing figure budgets', () => {
  it('accepts latency in ms or s, throughput as a bare number, ratios as a number or a percentage', () => {
    expect(budget('create.p95', '< 200ms')).toMatchObject({
      name: 'create.p95',
      op: 'create',
      figure: 'p95',
      comparator: '<',
      limit: 200,
    });
    expect(budget('create.p99', '<= 1.5s')).toMatchObject({ comparator: '<=', limit: 1500 });
    expect(budget('max', ' < 2 s ')).toMatchObject({ name: 'all.max', op: 'all', limit: 2000, condition: '< 2 s' });
    expect(budget('opsPerSec', '> 100')).toMatchObject({ name: 'all.opsPerSec', comparator: '>', limit: 100 });
    expect(budget('list.opsPerSec', '>= 0.5')).toMatchObject({ comparator: '>=', limit: 0.5 });
    expect(budget('all.errorRatio', '< 0.01')).toMatchObject({ limit: 0.01, percent: false });
    expect(budget('errorRatio', '< 1%')).toMatchObject({ name: 'all.errorRatio', limit: 0.01, percent: true });
    // An op kind may hold dots itself: the figure is after the last one.
    expect(budget('tasks.create.p50', '< 5ms')).toMatchObject({ op: 'tasks.create', figure: 'p50' });
  });

  it.each([
    ['create.p95', '< 200', "an upper limit in ms or s: '< 200ms', '<= 1.5s'"],
    ['create.p95', '> 200ms', 'an upper limit in ms or s'],
    ['create.p95', '< 200us', 'an upper limit in ms or s'],
    ['create.p95', '200ms', 'an upper limit in ms or s'],
    ['create.p95', '=< 200ms', 'an upper limit in ms or s'],
    ['create.p95', '< .5s', 'an upper limit in ms or s'],
    ['opsPerSec', '< 100', "a lower limit in ops per second: '> 100', '>= 50'"],
    ['opsPerSec', '> 100ms', 'a lower limit in ops per second'],
    ['errorRatio', '< 2', 'an upper limit as a ratio from 0 to 1 or a percentage'],
    ['errorRatio', '< 150%', 'an upper limit as a ratio from 0 to 1 or a percentage'],
    ['errorRatio', '> 0.5', 'an upper limit as a ratio from 0 to 1 or a percentage'],
  ])('refuses %s: %s in one line naming the key and what is accepted', (key, value, accepted) => {
    let message = '';
    try {
      parseFigureBudget(key, value);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`budgets[${JSON.stringify(key)}]: ${JSON.stringify(value)} is not a`);
    expect(message).toContain(accepted);
    expect(message).not.toContain('\n');
  });

  it('refuses a value that is not a string, and a key that names no figure', () => {
    expect(() => parseFigureBudget('create.p95', 200)).toThrow('budgets["create.p95"]: 200 is not a p95 budget');
    for (const key of ['create.p96', '.p95', 'create.', 'latency', 'p95.create'])
      expect(() => parseFigureBudget(key, '< 1ms')).toThrow(
        `budgets[${JSON.stringify(key)}]: not a budget key; accepted: '<op kind or all>.<figure>' or a bare '<figure>'`,
      );
  });

  it('refuses one figure given twice (a bare figure is `all`)', () => {
    expect(() => parseFigureBudgets({ p95: '< 1ms', 'all.p95': '< 2ms' })).toThrow(
      'budgets["all.p95"] and budgets["p95"] both set all.p95',
    );
  });

  it("merges a config's budgets under the scenario's: the scenario's key wins, compared by figure", () => {
    expect(mergeFigureBudgets({ 'all.p95': '< 100ms' }, { p95: '< 900ms', 'create.max': '< 1s' })).toEqual({
      'create.max': '< 1s',
      'all.p95': '< 100ms',
    });
  });

  it('defineScenario refuses a malformed budget in one line, and keeps the deadlines beside figure budgets', () => {
    const base = {
      name: 'b',
      description: 'budgets',
      target: { name: 't', session: { command: 'x' }, readState: () => null },
      agents: { count: 1, kind: 'session' as const },
      workload: { opsPerAgent: 1, generate: () => ({ f: 'create' }) },
      checks: [{ name: 'c', description: 'c', check: () => ({ name: 'c', verdict: 'pass' as const, details: '' }) }],
    };
    const scenario = defineScenario({ ...base, budgets: { opTimeoutMs: 500, 'create.p95': '< 200ms' } });
    expect(scenario.budgets).toMatchObject({ opTimeoutMs: 500, runTimeoutMs: 120_000, 'create.p95': '< 200ms' });
    const bad = (budgets: object): string => {
      try {
        defineScenario({ ...base, budgets } as never);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(bad({ 'create.p95': '< 200' })).toBe(
      `scenario b is invalid: budgets["create.p95"]: "< 200" is not a p95 budget; accepted: an upper limit in ms or s: '< 200ms', '<= 1.5s'`,
    );
    expect(bad({ opTimeOutMs: 500 })).toMatch(
      /^scenario b is invalid: budgets\["opTimeOutMs"\]: not a budget key; accepted: opTimeoutMs, runTimeoutMs, barrierTimeoutMs, maxUnknownRatio, or a figure budget/,
    );
    expect(bad({ opTimeoutMs: '500' })).toBe('scenario b is invalid: budgets.opTimeoutMs must be a number, got "500"');
    expect(bad({ p95: '< 1ms', 'all.p95': '< 1ms' })).toContain('both set all.p95');
  });
});

describe('measuring and judging figures', () => {
  const report = latencyReport(OPS);

  it('judges each figure from the same latency rows the summary shows', () => {
    const results = judgeBudgets(
      [
        budget('create.p50', '< 6ms'),
        budget('create.max', '<= 10ms'),
        budget('list.p95', '< 50ms'),
        budget('create.errorRatio', '<= 20%'),
        budget('errorRatio', '< 0.1'),
        budget('opsPerSec', '>= 12'),
        budget('list.opsPerSec', '> 2'),
      ],
      report,
      1,
    );
    expect(results.map((r) => [r.name, r.measured, r.verdict])).toEqual([
      // create latencies 1..10 ms; the info op (8 ms) is not a latency: p50 of 1,2,3,4,5,6,7,9,10 is 5
      // (to the histogram's 3 significant digits, as the summary's latency table has it).
      ['create.p50', 5.003, 'pass'],
      ['create.max', 10, 'pass'],
      // At the limit, a strict budget is missed.
      ['list.p95', 50, 'fail'],
      // Errors are fail and info (outcome unknown): 2 of 10.
      ['create.errorRatio', 0.2, 'pass'],
      ['all.errorRatio', 0.166667, 'fail'],
      // 12 ops over the 1000 ms from the first invoke to the last completion.
      ['all.opsPerSec', 12, 'pass'],
      ['list.opsPerSec', 2, 'fail'],
    ]);
    expect(results[2]?.words).toBe('list.p95 50 ms = 50 ms');
    expect(results[4]?.words).toBe('all.errorRatio 0.167 > 0.1');
    expect(results[3]?.words).toBe('create.errorRatio 20% <= 20%');
    expect(results[6]?.words).toBe('list.opsPerSec 2 ops/s = 2 ops/s');
  });

  it('is unknown, not pass, for an op kind with no op, and for latency when no op got an answer', () => {
    const cut = latencyReport([...OPS, op('delete', 100, 5, 'info', 12), op('delete', 200, 5, 'pending', 13)]);
    const [absent, unanswered, ratio] = judgeBudgets(
      [budget('update.p95', '< 60s'), budget('delete.p95', '< 60s'), budget('delete.errorRatio', '<= 100%')],
      cut,
      1,
    );
    expect(absent).toMatchObject({ verdict: 'unknown', measured: null });
    expect(absent?.words).toBe('update.p95 unknown: no update op ran (op kinds in this run: create, delete, list)');
    expect(unanswered?.words).toBe(
      'delete.p95 unknown: no delete op got an answer (every one timed out or was cut off)',
    );
    // The ratio is measured all the same: both deletes are errors.
    expect(ratio).toMatchObject({ verdict: 'pass', measured: 1 });
    expect(judgeBudgets([budget('p50', '< 1ms')], latencyReport([]), 1)[0]?.words).toBe('all.p50 unknown: no op ran');
  });

  it('scales latency limits up, throughput limits down, and leaves ratios alone', () => {
    expect(scaledLimit(budget('p95', '< 200ms'), 2.5)).toBe(500);
    expect(scaledLimit(budget('opsPerSec', '> 100'), 2)).toBe(50);
    expect(scaledLimit(budget('errorRatio', '< 1%'), 3)).toBe(0.01);
    // create.max is 10 ms: missed at 6 ms, kept at 6 ms x 2.
    const [tight] = judgeBudgets([budget('create.max', '< 6ms')], report, 1);
    const [scaled] = judgeBudgets([budget('create.max', '< 6ms')], report, 2);
    expect(tight).toMatchObject({ verdict: 'fail', limit: 6, writtenLimit: 6 });
    expect(scaled).toMatchObject({ verdict: 'pass', limit: 12, writtenLimit: 6 });
    // 12 ops/s misses > 20, keeps > 20 / 2.
    expect(judgeBudgets([budget('opsPerSec', '> 20')], report, 2)[0]).toMatchObject({ verdict: 'pass', limit: 10 });
  });

  it('takes the multiplier from STAMPEDE_BUDGET_MULTIPLIER over the config, and refuses a bad one', () => {
    expect(resolveMultiplier({}, undefined)).toEqual({ value: 1, from: 'default' });
    expect(resolveMultiplier({}, 1.5)).toEqual({ value: 1.5, from: 'config' });
    expect(resolveMultiplier({ STAMPEDE_BUDGET_MULTIPLIER: '3' }, 1.5)).toEqual({ value: 3, from: 'env' });
    for (const bad of ['0', '-2', 'fast', '2x', '1e3', 'NaN', '5000'])
      expect(() => resolveMultiplier({ STAMPEDE_BUDGET_MULTIPLIER: bad }, null)).toThrow(
        `STAMPEDE_BUDGET_MULTIPLIER must be a number above 0 and at most 1000 (2 for a machine twice as slow), got ${JSON.stringify(bad)}`,
      );
    expect(() => parseMultiplier(-1, 'budgetMultiplier')).toThrow('budgetMultiplier must be a number above 0');
    // A run: a harness error (exit 2) before anything runs.
    const scenario = { name: 's', budgets: { 'create.p95': '< 1s' } } as never;
    expect(() => runBudgets(scenario, {}, { STAMPEDE_BUDGET_MULTIPLIER: 'x' })).toThrow(HarnessError);
    expect(runBudgets(scenario, { budgetMultiplier: 2 }, {})).toMatchObject({
      multiplier: 2,
      multiplierFrom: 'config',
    });
    expect(runBudgets({ name: 's', budgets: {} } as never, {}, {})).toBeNull();
  });
});

describe('the budgets checker', () => {
  it('fails a miss with kind budget, passes what holds, and is unknown for what it cannot measure', () => {
    const miss = budgetsChecker([budget('create.p50', '< 6ms'), budget('all.max', '< 0ms')]).check(input(OPS));
    expect(miss).toMatchObject({ name: 'budgets', kind: 'budget', verdict: 'fail' });
    expect(miss.details).toBe('budget miss: all.max 50 ms > 0 ms; 1 budget met: create.p50 5 ms < 6 ms');
    expect(budgetResultsOf(miss).map((r) => r.verdict)).toEqual(['pass', 'fail']);

    const pass = budgetsChecker([budget('create.p50', '< 60s')], 2).check(input(OPS));
    expect(pass).toMatchObject({ kind: 'budget', verdict: 'pass', data: { multiplier: 2 } });
    expect(pass.details).toBe('1 budget met: create.p50 5 ms < 120 s (limits scaled by the multiplier 2)');

    const unknown = budgetsChecker([budget('create.p50', '< 60s'), budget('update.p50', '< 60s')]).check(input(OPS));
    expect(unknown.verdict).toBe('unknown');
    // A miss wins over an unknown.
    expect(budgetsChecker([budget('update.p50', '< 60s'), budget('max', '< 0ms')]).check(input(OPS)).verdict).toBe(
      'fail',
    );
  });

  it('says a miss is a budget miss in the verdict words, the tables and JUnit, apart from a lost update', () => {
    const budgets = budgetsChecker([budget('create.p50', '< 1ms'), budget('max', '< 60s')]).check(input(OPS));
    const lost: CheckResult = { name: 'set-items', verdict: 'fail', details: 'lost: 1 acknowledged item absent' };
    const summary = (checks: CheckResult[]): Summary =>
      ({
        format: 1,
        scenario: 'b',
        seed: 1,
        verdict: 'fail',
        harnessError: null,
        stopReason: null,
        checks,
        agents: [],
        totals: { attempted: 12, ok: 10, fail: 1, info: 1 },
        startSkewMs: null,
        releaseSkewMs: null,
        durationMs: 1000,
        opsPerSec: 12,
        options: unitPlan([0]).options,
        code: { version: '0', commit: null },
        startedAt: '2026-01-01T00:00:00.000Z',
        runDir: '/r',
        replay: 'stampede run b --seed 1',
        budgets: { multiplier: 1, multiplierFrom: 'default', limits: { 'create.p50': '< 1ms', max: '< 60s' } },
      }) as Summary;
    expect(verdictWords(summary([budgets]))).toBe('FAIL (budget: create.p50 5 ms > 1 ms)');
    expect(verdictWords(summary([lost, budgets]))).toBe(
      'FAIL (budget: create.p50 5 ms > 1 ms; an invariant failed too)',
    );
    expect(verdictWords(summary([lost]))).toBe('FAIL');
    expect(budgetCells(summary([budgets]))).toEqual([
      ['create.p50', '5 ms', '< 1 ms', 'FAIL (budget)'],
      ['all.max', '50 ms', '< 60 s', 'pass'],
    ]);
    const xml = junitXml(summary([lost, budgets]));
    expect(xml).toContain('<failure message="lost: 1 acknowledged item absent" type="fail">');
    expect(xml).toContain('<failure message="budget miss: create.p50 5 ms &gt; 1 ms; 1 budget met');
    expect(xml).toMatch(/type="budget">budget miss: create\.p50/);
    expect(xml).toContain('<property name="budgetMultiplier" value="1"/>');
  });
});

describe('config budgets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-budgets-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = async (text: string) => {
    const file = join(dir, `c${Math.abs(hash(text))}.mjs`);
    writeFileSync(file, text);
    return loadConfig(file, dir);
  };

  it('reads figure budgets and a multiplier for every scenario', async () => {
    const loaded = await config(
      `export default { scenarios: ['s.ts'], budgets: { 'all.p95': '< 500ms', errorRatio: '< 1%' }, budgetMultiplier: 2 };`,
    );
    expect(loaded).toMatchObject({ budgets: { 'all.p95': '< 500ms', errorRatio: '< 1%' }, budgetMultiplier: 2 });
  });

  it('refuses a bad budget, a deadline, or a bad multiplier in one line naming the file and key', async () => {
    await expect(config(`export default { scenarios: ['s.ts'], budgets: { 'all.p95': '< 500' } };`)).rejects.toThrow(
      /config file .*: budgets\["all\.p95"\]: "< 500" is not a p95 budget; accepted: an upper limit in ms or s/,
    );
    await expect(config(`export default { scenarios: ['s.ts'], budgets: { opTimeoutMs: 5 } };`)).rejects.toThrow(
      /budgets\["opTimeoutMs"\]: a config holds figure budgets only/,
    );
    await expect(config(`export default { scenarios: ['s.ts'], budgetMultiplier: 0 };`)).rejects.toThrow(
      /budgetMultiplier must be a number above 0/,
    );
  });
});

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
