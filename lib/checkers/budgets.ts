// budgets: limits on a run's figures, k6-style, judged apart from the invariants. A scenario (or the
// config, for every scenario) writes them beside its deadlines:
//   budgets: { 'create.p95': '< 200ms', 'all.errorRatio': '< 1%', opsPerSec: '> 100' }
// A key is `<op kind or all>.<figure>` (a bare figure means `all`); a value is a comparison with a number.
// A miss is its own kind of failure (the result's `kind` is 'budget'), never confused with a lost update;
// a budget on an op kind with no op to measure is `unknown`, never a pass. This module has one job: parse
// budgets strictly, and judge a run's figures (the same latency rows the summary shows) against them.
import { latencyReport, type LatencyReport, type LatencyRow } from '../history/latency.js';
import type { CheckInput, CheckResult, Checker, Json, Verdict } from '../types.js';
import { listSome, plural } from './words.js';

export const LATENCY_FIGURES = ['p50', 'p95', 'p99', 'max'] as const;
export const FIGURES = [...LATENCY_FIGURES, 'opsPerSec', 'errorRatio'] as const;
export type Figure = (typeof FIGURES)[number];

/** `create.p95`, `all.errorRatio`, or a bare `opsPerSec` (meaning `all`). */
export type FigureKey = Figure | `${string}.${Figure}`;

/** Figure budgets as a scenario or config writes them: `{ 'create.p95': '< 200ms' }`. */
export type FigureBudgets = { [K in FigureKey]?: string };

export type Comparator = '<' | '<=' | '>' | '>=';

/** One budget, parsed. */
export interface FigureBudget {
  /** The key as written: `create.p95`, `p95`. */
  key: string;
  /** `<op>.<figure>`, `all` spelled out: how it is named everywhere it is shown. */
  name: string;
  /** The op kind (`f`), or `all`. */
  op: string;
  figure: Figure;
  /** The condition as written, trimmed: `< 200ms`. */
  condition: string;
  comparator: Comparator;
  /** In the figure's unit: ms for latency, ops/s, a ratio from 0 to 1 for errorRatio. */
  limit: number;
  /** errorRatio written as a percentage: shown as one. */
  percent: boolean;
}

/** How a budget fared in one run. Plain JSON, so it rides in the check's `data` and summary.json. */
export interface BudgetResult {
  name: string;
  /** The condition as written, before the multiplier. */
  condition: string;
  comparator: Comparator;
  /** The limit the figure was held to: the written one times the multiplier (latency) or divided by it (throughput). */
  limit: number;
  /** The limit as written, before the multiplier. */
  writtenLimit: number;
  /** `ms`, `ops/s`, `%` or `` (a ratio). */
  unit: string;
  /** The figure measured; null when there was nothing to measure (verdict unknown). */
  measured: number | null;
  verdict: Verdict;
  /** `create.p95 312 ms > 200 ms`, or why it is unknown. */
  words: string;
}

const ACCEPTED_KEYS =
  "'<op kind or all>.<figure>' or a bare '<figure>' (meaning all), figure one of " + FIGURES.join(', ');

const isFigure = (text: string): text is Figure => (FIGURES as readonly string[]).includes(text);
const isLatency = (figure: Figure): boolean => (LATENCY_FIGURES as readonly string[]).includes(figure);

/** Whether a budgets key names a figure (as opposed to a deadline such as opTimeoutMs). */
export function isFigureKey(key: string): boolean {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? isFigure(key) : dot > 0 && isFigure(key.slice(dot + 1));
}

/** What each figure accepts, said in the error that refuses a value. */
function accepted(figure: Figure): string {
  if (isLatency(figure)) return "an upper limit in ms or s: '< 200ms', '<= 1.5s'";
  if (figure === 'opsPerSec') return "a lower limit in ops per second: '> 100', '>= 50'";
  return "an upper limit as a ratio from 0 to 1 or a percentage: '< 0.01', '<= 1%'";
}

const VALUE = /^(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s|%)?$/;

/**
 * One budget, strictly: a key that is not `<op>.<figure>` or a value its figure does not accept throws an
 * Error of one line naming the key and what is accepted.
 */
export function parseFigureBudget(key: string, value: unknown): FigureBudget {
  const where = `budgets[${JSON.stringify(key)}]`;
  const dot = key.lastIndexOf('.');
  const op = dot < 0 ? 'all' : key.slice(0, dot);
  const figure = dot < 0 ? key : key.slice(dot + 1);
  if (!isFigure(figure) || op.length === 0) throw new Error(`${where}: not a budget key; accepted: ${ACCEPTED_KEYS}`);
  const refuse = (): never => {
    throw new Error(`${where}: ${JSON.stringify(value)} is not a ${figure} budget; accepted: ${accepted(figure)}`);
  };
  if (typeof value !== 'string') return refuse();
  const condition = value.trim();
  const match = VALUE.exec(condition);
  if (!match) return refuse();
  const comparator = match[1] as Comparator;
  const number = Number(match[2]);
  const unit = match[3] ?? '';
  const upper = comparator === '<' || comparator === '<=';
  let limit: number;
  if (isLatency(figure)) {
    // A latency needs its unit: `< 200` could be ms or s, and a budget read wrong passes silently.
    if (!upper || (unit !== 'ms' && unit !== 's')) return refuse();
    limit = unit === 's' ? number * 1000 : number;
  } else if (figure === 'opsPerSec') {
    if (upper || unit !== '') return refuse();
    limit = number;
  } else {
    if (!upper || (unit !== '' && unit !== '%')) return refuse();
    limit = unit === '%' ? number / 100 : number;
    if (limit > 1) return refuse();
  }
  return { key, name: `${op}.${figure}`, op, figure, condition, comparator, limit, percent: unit === '%' };
}

/** Every budget of a record (figure keys only; see isFigureKey); throws on the first bad one. */
export function parseFigureBudgets(budgets: Readonly<Record<string, unknown>>): FigureBudget[] {
  const parsed = Object.entries(budgets).map(([key, value]) => parseFigureBudget(key, value));
  const seen = new Map<string, string>();
  for (const b of parsed) {
    const other = seen.get(b.name);
    if (other !== undefined)
      throw new Error(`budgets[${JSON.stringify(b.key)}] and budgets[${JSON.stringify(other)}] both set ${b.name}`);
    seen.set(b.name, b.key);
  }
  return parsed;
}

/**
 * The budgets that apply to a scenario: `defaults` (the config's, for every scenario) under the scenario's
 * own, compared by name (`p95` and `all.p95` are one budget): the scenario's key wins.
 */
export function mergeFigureBudgets(
  own: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
): Record<string, string> {
  const ownNames = new Set(parseFigureBudgets(own).map((b) => b.name));
  const merged: Record<string, string> = {};
  for (const b of parseFigureBudgets(defaults)) if (!ownNames.has(b.name)) merged[b.key] = b.condition;
  return { ...own, ...merged };
}

export const MULTIPLIER_ENV = 'STAMPEDE_BUDGET_MULTIPLIER';

/** A multiplier: a positive decimal number (`2`, `1.5`, `0.8`). */
export function parseMultiplier(value: unknown, where: string): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const number = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(number > 0) || number > 1000)
    throw new Error(
      `${where} must be a number above 0 and at most 1000 (2 for a machine twice as slow), got ${JSON.stringify(value)}`,
    );
  return number;
}

export type MultiplierSource = 'env' | 'config' | 'default';

/** STAMPEDE_BUDGET_MULTIPLIER wins over the config's `budgetMultiplier`; else 1. A bad env value throws. */
export function resolveMultiplier(
  env: NodeJS.ProcessEnv,
  configured: number | null | undefined,
): { value: number; from: MultiplierSource } {
  const given = env[MULTIPLIER_ENV];
  if (given !== undefined && given !== '') return { value: parseMultiplier(given, MULTIPLIER_ENV), from: 'env' };
  if (configured !== undefined && configured !== null)
    return { value: parseMultiplier(configured, 'budgetMultiplier'), from: 'config' };
  return { value: 1, from: 'default' };
}

/** The limit a figure is held to on a machine `multiplier` times slower: latency x, throughput /, ratios as written. */
export function scaledLimit(budget: Pick<FigureBudget, 'figure' | 'limit'>, multiplier: number): number {
  if (isLatency(budget.figure)) return budget.limit * multiplier;
  if (budget.figure === 'opsPerSec') return budget.limit / multiplier;
  return budget.limit;
}

/** A figure of one op kind (or all) in a latency report, or why there is none. */
export function measureFigure(
  report: LatencyReport,
  op: string,
  figure: Figure,
): { value: number; why?: undefined } | { value: null; why: string } {
  const row: LatencyRow | undefined = op === 'all' ? report.all : report.rows.find((r) => r.f === op);
  if (!row || row.count === 0) {
    const kinds = report.rows.map((r) => r.f);
    return {
      value: null,
      why: `no ${op === 'all' ? '' : `${op} `}op ran${op !== 'all' ? ` (op kinds in this run: ${kinds.join(', ') || 'none'})` : ''}`,
    };
  }
  if (isLatency(figure)) {
    const value = row[figure as (typeof LATENCY_FIGURES)[number]];
    return value === null
      ? { value: null, why: `no ${op === 'all' ? '' : `${op} `}op got an answer (every one timed out or was cut off)` }
      : { value };
  }
  if (figure === 'opsPerSec') {
    // Not the row's opsPerSec, which is rounded for the table (a slow run's 0.04 ops/s would read as 0).
    if (report.windowMs <= 0) return { value: null, why: 'the ops ran in no measurable time' };
    return { value: round(row.count / (report.windowMs / 1000), 6) };
  }
  // Errors are ops that did not end ok: failed, and unknown (timed out, killed, crashed, or never completed).
  return { value: round((row.fail + row.info + row.pending) / row.count, 6) };
}

/** Whether a measured figure keeps its budget. */
export function holds(measured: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
  }
}

/** The relation to show: the budget's own when it holds, else the relation as it is (`312 ms > 200 ms`; at the limit itself a strict budget is missed: `200 ms = 200 ms`). */
export function relationWords(measured: number, comparator: Comparator, limit: number): string {
  if (holds(measured, comparator, limit)) return comparator;
  return measured > limit ? '>' : measured < limit ? '<' : '=';
}

/** The unit a figure is shown in. */
export function unitOf(budget: Pick<FigureBudget, 'figure' | 'percent'>): string {
  if (isLatency(budget.figure)) return 'ms';
  if (budget.figure === 'opsPerSec') return 'ops/s';
  return budget.percent ? '%' : '';
}

/** A number for people: no more digits than mean something (`312`, `41.2`, `0.84`, `0.0123`). */
export function figureNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return String(Math.round(value));
  if (abs >= 10) return String(round(value, 1));
  if (abs >= 1) return String(round(value, 2));
  return String(Number(value.toPrecision(3)));
}

/** A figure with its unit: `312 ms`, `1.5 s`, `120 ops/s`, `1.5%`, `0.015`. */
export function figureText(value: number, unit: string): string {
  if (unit === '%') return `${figureNumber(value * 100)}%`;
  if (unit === 'ms' && Math.abs(value) >= 1000) return `${figureNumber(value / 1000)} s`;
  return unit === '' ? figureNumber(value) : `${figureNumber(value)} ${unit}`;
}

/**
 * `< 400 ms (200 ms x 2)`: the limit held to, with the written one when the multiplier changed it. `relation`
 * replaces the budget's comparator (`> 400 ms ...` for a miss).
 */
export function limitWords(
  result: Pick<BudgetResult, 'comparator' | 'limit' | 'writtenLimit' | 'unit'>,
  multiplier: number,
  relation: string = result.comparator,
): string {
  const held = `${relation} ${figureText(result.limit, result.unit)}`;
  if (result.writtenLimit === result.limit) return held;
  const by = result.unit === 'ops/s' ? '/' : 'x';
  return `${held} (${figureText(result.writtenLimit, result.unit)} ${by} ${multiplier})`;
}

/** One budget judged against one measured figure (null: nothing to measure, and why). */
export function judgeFigure(
  budget: FigureBudget,
  measured: { value: number | null; why?: string | undefined },
  multiplier: number,
): BudgetResult {
  const limit = scaledLimit(budget, multiplier);
  const unit = unitOf(budget);
  const base = {
    name: budget.name,
    condition: budget.condition,
    comparator: budget.comparator,
    limit,
    writtenLimit: budget.limit,
    unit,
  };
  if (measured.value === null)
    return { ...base, measured: null, verdict: 'unknown', words: `${budget.name} unknown: ${measured.why ?? ''}` };
  const value = measured.value;
  const ok = holds(value, budget.comparator, limit);
  const relation = relationWords(value, budget.comparator, limit);
  return {
    ...base,
    measured: value,
    verdict: ok ? 'pass' : 'fail',
    words: `${budget.name} ${figureText(value, unit)} ${relation} ${figureText(limit, unit)}`,
  };
}

/** Every budget judged over one run's latency report. */
export function judgeBudgets(
  budgets: readonly FigureBudget[],
  report: LatencyReport,
  multiplier: number,
): BudgetResult[] {
  return budgets.map((b) => judgeFigure(b, measureFigure(report, b.op, b.figure), multiplier));
}

export const BUDGETS_CHECK = 'budgets';

/** A budgets check result: its kind says a miss is a budget miss, not a broken invariant. */
export interface BudgetCheckResult extends CheckResult {
  kind: 'budget';
}

/** The check of a run's budgets, from the results of judgeBudgets. */
export function budgetsResult(results: readonly BudgetResult[], multiplier: number): BudgetCheckResult {
  const missed = results.filter((r) => r.verdict === 'fail');
  const unknown = results.filter((r) => r.verdict === 'unknown');
  const met = results.filter((r) => r.verdict === 'pass');
  const scaled = multiplier === 1 ? '' : ` (limits scaled by the multiplier ${multiplier})`;
  const parts: string[] = [];
  if (missed.length > 0)
    parts.push(
      `budget miss: ${listSome(
        missed.map((r) => r.words),
        5,
        '; ',
      )}`,
    );
  if (unknown.length > 0)
    parts.push(
      listSome(
        unknown.map((r) => r.words),
        5,
        '; ',
      ),
    );
  if (met.length > 0) parts.push(`${plural(met.length, 'budget')} met: ${listSome(met.map((r) => r.words))}`);
  const verdict: Verdict = missed.length > 0 ? 'fail' : unknown.length > 0 ? 'unknown' : 'pass';
  const data: { [key: string]: Json } = {
    multiplier,
    budgets: results.map((r) => ({ ...r })),
  };
  return { name: BUDGETS_CHECK, kind: 'budget', verdict, details: `${parts.join('; ')}${scaled}`, data };
}

/** The `budgets` checker for a scenario's parsed budgets and the run's multiplier. */
export function budgetsChecker(budgets: readonly FigureBudget[], multiplier = 1): Checker {
  return {
    name: BUDGETS_CHECK,
    readsState: false,
    description: "the run's figures (latency percentiles, throughput, error ratio) keep their budgets",
    check(input: CheckInput): CheckResult {
      return budgetsResult(judgeBudgets(budgets, latencyReport(input.ops), multiplier), multiplier);
    },
  };
}

/** Whether a check is a budget check (its miss is a budget miss). */
export function isBudgetCheck(check: Pick<CheckResult, 'kind'>): boolean {
  return check.kind === 'budget';
}

/** The per-budget results a budgets check carries (empty for any other check, or an old summary.json). */
export function budgetResultsOf(check: Pick<CheckResult, 'kind' | 'data'>): BudgetResult[] {
  const budgets = check.kind === 'budget' ? check.data?.budgets : undefined;
  return Array.isArray(budgets) ? (budgets as unknown as BudgetResult[]) : [];
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
