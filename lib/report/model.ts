// What every report is built from: the run's plan, its paired ops (a stream) and its summary, plus
// the figures derived once for all reporters (latency per op kind, one pass over the ops). run.ts has
// these at the end of a run; `stampede report` gets them by loading and re-checking a run folder.
import type { Summary } from '../run/summary.js';
import type { OpStream, Plan } from '../types.js';
import { plural } from '../checkers/words.js';
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
