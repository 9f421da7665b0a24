// The perf gate's arithmetic, in-process: the trimmed mean of known numbers, each gate's line and verdict,
// and the gate's verdict over its runs (a broken invariant said as such, a miss as a budget).
import { describe, expect, it } from 'vitest';
import { parseFigureBudget, parseFigureBudgets, type FigureBudget } from '../lib/checkers/budgets.js';
import { gateVerdict, judgeGate, selectGates, type GateResult, type GateRun } from '../lib/gate/judge-gate.js';
import { trimmedMean } from '../lib/gate/trim.js';

const budget = (key: string, value: string): FigureBudget => parseFigureBudget(key, value);

describe('the trimmed mean', () => {
  it('drops the trim lowest and highest values and averages the rest', () => {
    expect(trimmedMean([41.2, 39.8, 55.0], 1)).toEqual({ mean: 41.2, kept: [41.2], dropped: [39.8, 55] });
    expect(trimmedMean([5, 1, 9, 3, 7], 1)).toEqual({ mean: 5, kept: [3, 5, 7], dropped: [1, 9] });
    expect(trimmedMean([10, 1, 2, 3, 100, 4], 2)).toMatchObject({ mean: 3.5, dropped: [1, 2, 10, 100] });
    expect(trimmedMean([2, 4], 0)).toEqual({ mean: 3, kept: [2, 4], dropped: [] });
    // 11 runs, one each side dropped: one wild run moves nothing.
    const runs = [40, 41, 39, 40, 42, 38, 40, 41, 39, 40, 900];
    expect(trimmedMean(runs, 1).mean).toBeCloseTo(40.222222, 5);
  });

  it('refuses a trim that leaves nothing to average', () => {
    expect(() => trimmedMean([1, 2], 1)).toThrow(
      'trimming 1 from each end of 2 values leaves none to average: give at least 3 runs, or a smaller trim',
    );
    expect(() => trimmedMean([1, 2, 3], -1)).toThrow('trim must be a whole number');
  });
});

describe('a gate', () => {
  const options = { runs: 3, trim: 1, multiplier: 1 };

  it('prints every run, the trimmed mean and what it dropped, against the budget', () => {
    const held = judgeGate(budget('create.p95', '< 200ms'), [41.2, 39.8, 55], [null, null, null], options);
    expect(held.line).toBe('create.p95: 41.2 39.8 55 ms; trimmed mean 41.2 ms (dropped 39.8, 55) < 200 ms: pass');
    expect(held).toMatchObject({ verdict: 'pass', trimmedMean: 41.2, dropped: [39.8, 55] });

    const missed = judgeGate(budget('create.p95', '< 40ms'), [41.2, 39.8, 55], [null, null, null], {
      ...options,
      multiplier: 1,
    });
    expect(missed.line).toBe(
      'create.p95: 41.2 39.8 55 ms; trimmed mean 41.2 ms (dropped 39.8, 55) > 40 ms: FAIL (budget)',
    );
    expect(missed.words).toBe('create.p95 trimmed mean 41.2 ms > 40 ms');

    const scaled = judgeGate(budget('opsPerSec', '> 100'), [60, 70, 80], [null, null, null], {
      ...options,
      multiplier: 2,
    });
    expect(scaled.line).toBe(
      'all.opsPerSec: 60 70 80 ops/s; trimmed mean 70 ops/s (dropped 60, 80) > 50 ops/s (100 ops/s / 2): pass',
    );

    const ratio = judgeGate(budget('errorRatio', '< 1%'), [0, 0.005, 0.5], [null, null, null], options);
    expect(ratio.line).toBe('all.errorRatio: 0% 0.5% 50%; trimmed mean 0.5% (dropped 0%, 50%) < 1%: pass');
  });

  it('is unknown when a run could not measure the figure, or fewer runs finished than asked', () => {
    const gap = judgeGate(budget('delete.p95', '< 1s'), [3, null, 4], [null, 'no delete op ran', null], options);
    expect(gap).toMatchObject({ verdict: 'unknown', trimmedMean: null });
    expect(gap.line).toBe('delete.p95: 3 - 4 ms; unknown: run 2: no delete op ran');
    expect(judgeGate(budget('p95', '< 1s'), [3, 4], [null, null], options).line).toBe(
      'all.p95: 3 4 ms; unknown: only 2 of 3 runs finished',
    );
  });

  it('fails on a broken invariant as such, on a miss as a budget, and says both', () => {
    const run = (n: number, over: Partial<GateRun> = {}): GateRun => ({
      run: n,
      runDir: `/g/${n}`,
      verdict: 'pass',
      harnessError: null,
      exitCode: 0,
      failedChecks: [],
      figures: {},
      ...over,
    });
    const pass = judgeGate(budget('p95', '< 1s'), [1, 2, 3], [null, null, null], options);
    const miss = judgeGate(budget('p95', '< 1ms'), [1, 2, 3], [null, null, null], options);
    const lost = run(2, {
      verdict: 'fail',
      exitCode: 1,
      failedChecks: [{ name: 'set-items', verdict: 'fail', details: 'lost: 1' }],
    });
    const runs = [run(1), run(2), run(3)];
    expect(gateVerdict(runs, [pass])).toEqual({ verdict: 'pass', exitCode: 0, failures: [], words: 'PASS' });
    expect(gateVerdict(runs, [miss])).toMatchObject({
      exitCode: 1,
      failures: ['budget'],
      words: 'FAIL (budget: all.p95 trimmed mean 2 ms > 1 ms)',
    });
    expect(gateVerdict([run(1), lost, run(3)], [pass])).toMatchObject({
      exitCode: 1,
      failures: ['invariant'],
      words: 'FAIL (invariant: run 2 failed set-items)',
    });
    expect(gateVerdict([run(1), lost, run(3)], [miss]).failures).toEqual(['invariant', 'budget']);
    const unknown: GateResult = judgeGate(budget('p95', '< 1s'), [1, null, 3], [null, 'no op ran', null], options);
    expect(gateVerdict(runs, [unknown])).toMatchObject({
      exitCode: 3,
      words: 'UNKNOWN (all.p95 unknown: run 2: no op ran)',
    });
    expect(gateVerdict([run(1, { harnessError: 'agent a0 could not start' })], [unknown])).toMatchObject({
      exitCode: 2,
      words: 'ERROR (run 1: agent a0 could not start)',
    });
  });

  it('gates on the figures named, or every figure budget', () => {
    const budgets = parseFigureBudgets({ 'create.p95': '< 1s', errorRatio: '< 1%' });
    expect(selectGates(budgets, undefined, 's').map((b) => b.name)).toEqual(['create.p95', 'all.errorRatio']);
    expect(selectGates(budgets, ['all.errorRatio'], 's').map((b) => b.name)).toEqual(['all.errorRatio']);
    expect(() => selectGates(budgets, ['p95'], 's')).toThrow(
      '--figure p95: scenario s has no budget on all.p95; its budgets: create.p95, all.errorRatio',
    );
    expect(() => selectGates(budgets, ['create.p96'], 's')).toThrow('--figure create.p96: not a figure');
    expect(() => selectGates([], undefined, 's')).toThrow('scenario s has no figure budget to gate on');
  });
});
