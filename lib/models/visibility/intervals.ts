// The pure part of the visibility model: from writes and the reads other agents made, bound each write's
// ack-to-visible time, then judge a percentile of it against a budget.
//
// A read takes time, and what it saw was true at some moment between its start and its end. So:
//   - a read that saw the write proves it visible by that read's END: high = first hit's end - ack;
//   - a read that STARTED after the ack and missed it proves it not yet visible at that read's start:
//     low = last miss's start - ack.
// The true ack-to-visible lies in [low, high] (both clamped at 0: visible before its ack counts as 0).
// Only reads by other agents count (a writer may read its own writes through a cache of its own).
//
// A write acknowledged shortly before the reads stopped could not be watched for as long as the budget:
// if it was slow, no read was left to show it. Counting only the quick ones among those would flatter the
// figure, so such `late` writes are left out whole, seen or not; the percentile is over the writes acked
// at least a budget before the last read by another agent (time of ack says nothing of latency, so this
// leaves no bias). Lost (acknowledged, absent from the final state) and vanished (seen, then missed by a
// read that started after that) are failures of their own, outside the percentile.
import type { Seen } from './vocabulary.js';

/** A read that bounds a write: `at` is its end for a hit, its start for a miss. */
export interface ReadRef {
  agent: number;
  seq: number;
  at: number;
}

export interface WriteSpan {
  agent: number;
  seq: number;
  token: string;
  /** When the write was acknowledged (its op's end), ms since the run started. */
  ack: number;
  /** The read by another agent that saw it and ended first. */
  firstHit: ReadRef | null;
  /** The read by another agent that started after the ack, missed it, and started last. */
  lastMiss: ReadRef | null;
  /** When the last read by another agent started: how long this write could be watched. */
  horizon: number | null;
  /** Visible in the final state; null when the final state was not judged. */
  final: boolean | null;
}

export interface WriteInput {
  agent: number;
  seq: number;
  token: string;
  ack: number;
}

export interface ReadInput {
  agent: number;
  seq: number;
  start: number;
  end: number;
  seen: Seen;
}

/**
 * Bounds each write by the reads of other agents: every write first (`addWrite`), then every read
 * (`addRead`), then `spans(final)`. Memory: one entry per write; a read is checked and dropped.
 */
export class VisibilityObserver {
  private readonly byToken = new Map<string, WriteSpan>();
  private readonly duplicates = new Set<string>();
  /** The two latest-starting readers: another agent's last read is one of them. */
  private lastReads: { agent: number; start: number }[] = [];
  reads = 0;

  addWrite(w: WriteInput): void {
    if (this.duplicates.has(w.token)) return;
    if (this.byToken.has(w.token)) {
      // Two writes of one token: no read can say which of them it saw.
      this.duplicates.add(w.token);
      this.byToken.delete(w.token);
      return;
    }
    this.byToken.set(w.token, { ...w, firstHit: null, lastMiss: null, horizon: null, final: null });
  }

  /** Tokens written by more than one acknowledged write (left out: a read cannot tell them apart). */
  get duplicateTokens(): string[] {
    return [...this.duplicates];
  }

  addRead(r: ReadInput): void {
    this.reads += 1;
    this.noteReader(r.agent, r.start);
    for (const span of this.byToken.values()) {
      if (span.agent === r.agent) continue;
      if (r.seen(span.token)) {
        if (!span.firstHit || r.end < span.firstHit.at) span.firstHit = { agent: r.agent, seq: r.seq, at: r.end };
      } else if (r.start >= span.ack && (!span.lastMiss || r.start > span.lastMiss.at)) {
        span.lastMiss = { agent: r.agent, seq: r.seq, at: r.start };
      }
    }
  }

  /** Every write bounded; `final` is what the final state shows (null: not judged). */
  spans(final: Seen | null): WriteSpan[] {
    return [...this.byToken.values()].map((span) => {
      const other = this.lastReads.find((l) => l.agent !== span.agent);
      return { ...span, horizon: other ? other.start : null, final: final ? final(span.token) : null };
    });
  }

  private noteReader(agent: number, start: number): void {
    const mine = this.lastReads.find((l) => l.agent === agent);
    if (mine) mine.start = Math.max(mine.start, start);
    else this.lastReads.push({ agent, start });
    this.lastReads.sort((a, b) => b.start - a.start);
    this.lastReads = this.lastReads.slice(0, 2);
  }
}

/** Ack-to-visible bounds in ms; `high` is Infinity when no read saw the write. */
export interface Bounds {
  low: number;
  high: number;
}

export type WriteClass = 'lost' | 'vanished' | 'late' | 'observed';

export function boundsOf(span: WriteSpan): Bounds {
  const low = span.lastMiss ? Math.max(0, span.lastMiss.at - span.ack) : 0;
  const high = span.firstHit ? Math.max(low, span.firstHit.at - span.ack) : Infinity;
  return { low, high };
}

export function classify(span: WriteSpan, budgetMs: number): WriteClass {
  if (span.final === false) return 'lost';
  if (span.firstHit && span.lastMiss && span.lastMiss.at > span.firstHit.at) return 'vanished';
  if (span.horizon === null || span.horizon - span.ack < budgetMs) return 'late';
  return 'observed';
}

/** Nearest-rank percentile of ascending values (p in (0, 100]). */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * The percentile of the true values lies between the percentile of the low bounds and that of the
 * high bounds (each write's value lies between its own two, and order statistics keep that).
 */
export function percentileBounds(bounds: readonly Bounds[], p: number): Bounds {
  const lows = bounds.map((b) => b.low).sort((a, b) => a - b);
  const highs = bounds.map((b) => b.high).sort((a, b) => a - b);
  return { low: nearestRank(lows, p), high: nearestRank(highs, p) };
}

export interface VisibilityJudgement {
  verdict: 'pass' | 'fail' | 'unknown';
  lost: WriteSpan[];
  vanished: WriteSpan[];
  late: WriteSpan[];
  observed: { span: WriteSpan; bounds: Bounds }[];
  /** Observed writes proven over budget (low > budget), slowest first. */
  overBudget: { span: WriteSpan; bounds: Bounds }[];
  /** Observed writes that may or may not be over budget (low <= budget < high). */
  undecided: number;
  p50: Bounds | null;
  pX: Bounds | null;
  max: Bounds | null;
  /** Why the verdict, in a few words (the checker says the rest). */
  reason: 'lost' | 'vanished' | 'too-few' | 'over-budget' | 'within-budget' | 'too-sparse';
}

export function judgeVisibility(
  spans: readonly WriteSpan[],
  budgetMs: number,
  percentile: number,
  minObserved: number,
): VisibilityJudgement {
  const lost: WriteSpan[] = [];
  const vanished: WriteSpan[] = [];
  const late: WriteSpan[] = [];
  const observed: { span: WriteSpan; bounds: Bounds }[] = [];
  for (const span of spans) {
    const kind = classify(span, budgetMs);
    if (kind === 'lost') lost.push(span);
    else if (kind === 'vanished') vanished.push(span);
    else if (kind === 'late') late.push(span);
    else observed.push({ span, bounds: boundsOf(span) });
  }
  const all = observed.map((o) => o.bounds);
  const overBudget = observed.filter((o) => o.bounds.low > budgetMs).sort((a, b) => b.bounds.low - a.bounds.low);
  const undecided = observed.filter((o) => o.bounds.low <= budgetMs && o.bounds.high > budgetMs).length;
  const some = all.length > 0;
  const pX = some ? percentileBounds(all, percentile) : null;
  const judgement = {
    lost,
    vanished,
    late,
    observed,
    overBudget,
    undecided,
    p50: some ? percentileBounds(all, 50) : null,
    pX,
    max: some ? percentileBounds(all, 100) : null,
  };
  if (lost.length > 0) return { ...judgement, verdict: 'fail', reason: 'lost' };
  if (vanished.length > 0) return { ...judgement, verdict: 'fail', reason: 'vanished' };
  if (observed.length < minObserved || !pX) return { ...judgement, verdict: 'unknown', reason: 'too-few' };
  if (pX.low > budgetMs) return { ...judgement, verdict: 'fail', reason: 'over-budget' };
  if (pX.high <= budgetMs) return { ...judgement, verdict: 'pass', reason: 'within-budget' };
  return { ...judgement, verdict: 'unknown', reason: 'too-sparse' };
}
