// What every report is built from: the run's plan, its paired ops (a stream) and its summary, plus
// the figures derived once for all reporters (latency per op kind, one pass over the ops). run.ts has
// these at the end of a run; `stampede report` gets them by loading and re-checking a run folder.
import type { Summary } from '../run/summary.js';
import type { OpStream, Plan } from '../types.js';
import { listSome, plural } from '../checkers/words.js';
import { budgetResultsOf, figureText, isBudgetCheck, limitWords, MULTIPLIER_ENV } from '../checkers/budgets.js';
import { latencyReport, type LatencyReport } from '../history/latency.js';

export interface ReportInput {
  plan: Plan;
  /** Streamed, never all in memory: each report folds over it (see OpStream). */
  ops: OpStream;
  summary: Summary;
  /** Anything unusual about how the run folder was read (crash leftovers, rebuilt fields). */
  notes?: string[];
}

export interface ReportModel {
  plan: Plan;
  ops: OpStream;
  summary: Summary;
  latency: LatencyReport;
  notes: string[];
}

export function buildModel(input: ReportInput): ReportModel {
  return {
    plan: input.plan,
    ops: input.ops,
    summary: input.summary,
    latency: latencyReport(input.ops),
    notes: input.notes ?? [],
  };
}

/** `6 session agents x 50 ops`: the plan's shape in words. */
export function shapeWords(model: Pick<ReportModel, 'plan' | 'summary'>): string {
  const kinds = [...new Set(model.plan.agents.map((a) => a.kind))].join('/');
  const o = model.summary.options;
  return `${plural(o.agents, kinds ? `${kinds} agent` : 'agent')} x ${o.ops} ops`;
}

/** `1 thread`, `3 threads`: how many worker threads drove the agents. */
export function threadWords(summary: Pick<Summary, 'options'>): string {
  return plural(summary.options.threads, 'thread');
}

/** PASS / FAIL / UNKNOWN, or ERROR when the run itself could not be carried out. */
export function verdictMark(summary: Pick<Summary, 'verdict' | 'harnessError'>): string {
  if (summary.harnessError) return 'ERROR';
  return summary.verdict.toUpperCase();
}

/** `budget: create.p95 312 ms > 200 ms` when a budget was missed; null otherwise. */
export function budgetMissWords(summary: Pick<Summary, 'checks' | 'harnessError'>): string | null {
  if (summary.harnessError) return null;
  const misses = summary.checks
    .filter((c) => isBudgetCheck(c) && c.verdict === 'fail')
    .flatMap((c) => {
      const words = budgetResultsOf(c)
        .filter((r) => r.verdict === 'fail')
        .map((r) => r.words);
      // Another budget check (the syscalls count gates) says its misses in `data.misses`.
      const said = Array.isArray(c.data?.misses) ? c.data.misses.filter((m) => typeof m === 'string') : [];
      return words.length > 0 ? words : said.length > 0 ? said : [c.details];
    });
  return misses.length === 0 ? null : `budget: ${listSome(misses, 3)}`;
}

/**
 * The verdict with what kind of failure it is when a budget was missed: `FAIL (budget: create.p95 312 ms >
 * 200 ms)`, so a budget miss is never read as a lost update; `FAIL (... ; an invariant failed too)` when both.
 */
export function verdictWords(summary: Pick<Summary, 'verdict' | 'harnessError' | 'checks'>): string {
  const mark = verdictMark(summary);
  const miss = budgetMissWords(summary);
  if (!miss) return mark;
  const invariant = summary.checks.some((c) => c.verdict === 'fail' && !isBudgetCheck(c));
  return `${mark} (${miss}${invariant ? '; an invariant failed too' : ''})`;
}

/** `2 (STAMPEDE_BUDGET_MULTIPLIER)`: the budget multiplier and where it came from. */
export function multiplierWords(budgets: NonNullable<Summary['budgets']>): string {
  const from = {
    env: MULTIPLIER_ENV,
    config: "the config's budgetMultiplier",
    default: `default; set ${MULTIPLIER_ENV} for a slower machine`,
  }[budgets.multiplierFrom];
  return `${budgets.multiplier} (${from})`;
}

/** One row per budget of a run: figure, measured, limit held to (after the multiplier), verdict. */
export function budgetCells(summary: Pick<Summary, 'checks' | 'budgets'>): string[][] {
  const multiplier = summary.budgets?.multiplier ?? 1;
  return summary.checks
    .filter(isBudgetCheck)
    .flatMap((c) =>
      budgetResultsOf(c).map((r) => [
        r.name,
        r.measured === null ? '-' : figureText(r.measured, r.unit),
        limitWords(r, multiplier),
        r.verdict === 'pass' ? 'pass' : r.verdict === 'fail' ? 'FAIL (budget)' : 'UNKNOWN',
      ]),
    );
}

export const BUDGET_HEADER = ['budget', 'measured', 'limit', 'verdict'];

/** For a seed kept to fail, whether it did: ` (kept seed, expected to fail: as expected)`; empty for every other run. */
export function expectWords(summary: Pick<Summary, 'verdict' | 'expect' | 'harnessError'>): string {
  if (summary.expect !== 'fail' || summary.harnessError) return '';
  if (summary.verdict === 'unknown') return ' (kept seed, expected to fail: could not decide)';
  return summary.verdict === 'fail'
    ? ' (kept seed, expected to fail: as expected)'
    : ' (kept seed, expected to fail: NOT as expected, the checkers missed it)';
}

/** Milliseconds for people: `0.84 ms`, `12.3 ms`, `1.52 s`. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}
