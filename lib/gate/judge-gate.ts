// Judging a perf gate: which budgets it holds (`--figure`, else all of the scenario's), each one's trimmed
// mean over the runs against its limit (times the multiplier), and the gate's verdict. Pure: the runs are
// done by run-gate.ts. A run that broke an invariant fails the gate as such, whatever the figures say, so a
// gate never hides a lost update; a budget missed fails it as a budget miss.
import {
  figureNumber,
  FIGURES,
  isFigureKey,
  judgeFigure,
  limitWords,
  relationWords,
  figureText,
  unitOf,
  type BudgetResult,
  type FigureBudget,
} from '../checkers/budgets.js';
import { listSome, plural } from '../checkers/words.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import type { Verdict } from '../types.js';
import { trimmedMean } from './trim.js';

/** `p95` and `all.p95` are one figure. */
export function figureName(key: string): string {
  return key.includes('.') ? key : `all.${key}`;
}

/** The budgets a gate holds: those `--figure` names, or every figure budget when none is named. */
export function selectGates(
  budgets: readonly FigureBudget[],
  wanted: readonly string[] | undefined,
  scenario: string,
): FigureBudget[] {
  if (budgets.length === 0)
    throw new Error(
      `scenario ${scenario} has no figure budget to gate on: add one to its budgets (or the config's), e.g. budgets: { 'all.p95': '< 200ms' }`,
    );
  if (!wanted || wanted.length === 0) return [...budgets];
  const names = budgets.map((b) => b.name);
  const out: FigureBudget[] = [];
  for (const key of wanted) {
    if (!isFigureKey(key))
      throw new Error(
        `--figure ${key}: not a figure; give '<op kind or all>.<figure>' or a bare figure, figure one of ${FIGURES.join(', ')}`,
      );
    const budget = budgets.find((b) => b.name === figureName(key));
    if (!budget)
      throw new Error(
        `--figure ${key}: scenario ${scenario} has no budget on ${figureName(key)}; its budgets: ${names.join(', ')}`,
      );
    if (!out.includes(budget)) out.push(budget);
  }
  return out;
}

/** One gate over the runs: every run's figure, the trimmed mean, and the mean judged against the limit. */
export interface GateResult extends BudgetResult {
  /** The figure in each run, in run order (null where it could not be measured). */
  values: (number | null)[];
  trimmedMean: number | null;
  /** The runs' values trimmed away, low then high. */
  dropped: number[];
  /** `create.p95: 41.2 39.8 40.1 ms; trimmed mean 40.1 ms (dropped 39.8, 41.2) < 200 ms: pass`. */
  line: string;
}

/** A series of one figure: `41.2 39.8 - 40.1 ms`, `0.5% 0% 1%`. */
function series(values: readonly (number | null)[], unit: string): string {
  const text = (v: number | null): string =>
    v === null ? '-' : unit === '%' ? `${figureNumber(v * 100)}%` : figureNumber(v);
  const joined = values.map(text).join(' ');
  return unit === '%' || unit === '' ? joined : `${joined} ${unit}`;
}

/**
 * One budget judged over the runs: unknown when a run could not measure it (`whys[i]` says why) or fewer runs
 * finished than asked for; else the trimmed mean against the limit.
 */
export function judgeGate(
  budget: FigureBudget,
  values: readonly (number | null)[],
  whys: readonly (string | null)[],
  options: { runs: number; trim: number; multiplier: number },
): GateResult {
  const unit = unitOf(budget);
  const head = `${budget.name}: ${series(values, unit)}`;
  const missing = values.findIndex((v) => v === null);
  const why =
    values.length < options.runs
      ? `only ${values.length} of ${plural(options.runs, 'run')} finished`
      : missing >= 0
        ? `run ${missing + 1}: ${whys[missing] ?? 'not measured'}`
        : null;
  if (why !== null) {
    const result = judgeFigure(budget, { value: null, why }, options.multiplier);
    return { ...result, values: [...values], trimmedMean: null, dropped: [], line: `${head}; unknown: ${why}` };
  }
  const trimmed = trimmedMean(values as number[], options.trim);
  const result = judgeFigure(budget, { value: trimmed.mean }, options.multiplier);
  const relation = relationWords(trimmed.mean, result.comparator, result.limit);
  const droppedValues = trimmed.dropped.map((v) => (unit === '%' ? `${figureNumber(v * 100)}%` : figureNumber(v)));
  const dropped = droppedValues.length > 0 ? ` (dropped ${droppedValues.join(', ')})` : '';
  const limit = limitWords(result, options.multiplier, relation);
  const verdict = result.verdict === 'pass' ? 'pass' : 'FAIL (budget)';
  return {
    ...result,
    words: `${budget.name} trimmed mean ${figureText(trimmed.mean, unit)} ${relation} ${figureText(result.limit, unit)}`,
    values: [...values],
    trimmedMean: trimmed.mean,
    dropped: trimmed.dropped,
    line: `${head}; trimmed mean ${figureText(trimmed.mean, unit)}${dropped} ${limit}: ${verdict}`,
  };
}

/** How one run of a gate fared, as gate.json keeps it. */
export interface GateRun {
  /** 1-based. */
  run: number;
  runDir: string;
  /** The run's own verdict: its invariants (the budgets are the gate's to judge). */
  verdict: Verdict;
  harnessError: string | null;
  exitCode: ExitCode;
  /** The checks that did not pass: a broken invariant is reported as one, never hidden by the gate. */
  failedChecks: { name: string; verdict: Verdict; details: string }[];
  /** Each gated figure in this run, by name (null: not measured). */
  figures: Record<string, number | null>;
}

export interface GateVerdict {
  verdict: Verdict;
  exitCode: ExitCode;
  /** What failed: a run's invariant, a budget, or both (empty when nothing failed). */
  failures: ('invariant' | 'budget')[];
  /** `PASS`, `FAIL (budget: create.p95 trimmed mean 250 ms > 200 ms)`, `FAIL (invariant: run 3 ...)`. */
  words: string;
}

/** The gate's verdict over its runs and its budgets: harness error (2), then fail (1), then unknown (3), else pass. */
export function gateVerdict(runs: readonly GateRun[], gates: readonly GateResult[]): GateVerdict {
  const broken = runs.find((r) => r.harnessError);
  if (broken)
    return {
      verdict: 'unknown',
      exitCode: EXIT.harness,
      failures: [],
      words: `ERROR (run ${broken.run}: ${broken.harnessError})`,
    };
  const invariant = runs.filter((r) => r.verdict === 'fail');
  const missed = gates.filter((g) => g.verdict === 'fail');
  const parts: string[] = [];
  if (invariant.length > 0)
    parts.push(
      `invariant: ${listSome(
        invariant.map(
          (r) =>
            `run ${r.run} failed ${r.failedChecks
              .filter((c) => c.verdict === 'fail')
              .map((c) => c.name)
              .join(', ')}`,
        ),
        3,
        '; ',
      )}`,
    );
  if (missed.length > 0)
    parts.push(
      `budget: ${listSome(
        missed.map((g) => g.words),
        3,
      )}`,
    );
  if (parts.length > 0)
    return {
      verdict: 'fail',
      exitCode: EXIT.fail,
      failures: [
        ...(invariant.length > 0 ? ['invariant' as const] : []),
        ...(missed.length > 0 ? ['budget' as const] : []),
      ],
      words: `FAIL (${parts.join('; ')})`,
    };
  const unknownGates = gates.filter((g) => g.verdict === 'unknown');
  const unknownRuns = runs.filter((r) => r.verdict === 'unknown');
  if (unknownGates.length > 0 || unknownRuns.length > 0) {
    const why = [
      ...unknownGates.map((g) => g.words),
      ...unknownRuns.map((r) => `run ${r.run} could not be decided (${r.failedChecks.map((c) => c.name).join(', ')})`),
    ];
    return { verdict: 'unknown', exitCode: EXIT.unknown, failures: [], words: `UNKNOWN (${listSome(why, 3, '; ')})` };
  }
  return { verdict: 'pass', exitCode: EXIT.pass, failures: [], words: 'PASS' };
}
