// visibility: how long after its ack a write is first visible to other agents, from the reads they made
// (intervals.ts says how each write is bounded), judged at a percentile against a budget; an acknowledged
// write absent at the end is lost. Two passes over the ops: the writes, then the reads against them.
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../types.js';
import { isUnknown, listSome, opName, opRef, plural, result } from '../../checkers/words.js';
import {
  judgeVisibility,
  VisibilityObserver,
  type Bounds,
  type ReadRef,
  type VisibilityJudgement,
  type WriteSpan,
} from './intervals.js';
import type { VisibilityVocabulary } from './vocabulary.js';

export const VISIBILITY = 'visibility';

/** Per-write columns in the data: enough for a chart, bounded in size. */
const MAX_CHARTED = 1000;
/** Histogram bin edges in ms (the last bin is everything above). */
const HISTOGRAM_EDGES = [0, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

const ms = (n: number): string => `${Math.round(n)} ms`;

/** `12..31 ms`, `12 ms` or `>= 1310 ms` (never seen). */
export function boundsWords(b: Bounds): string {
  if (!Number.isFinite(b.high)) return `>= ${ms(b.low)}`;
  if (Math.round(b.low) === Math.round(b.high)) return ms(b.high);
  return `${Math.round(b.low)}..${ms(b.high)}`;
}

/** Bounds as JSON: `high` null when unbounded (never seen). */
function boundsJson(b: Bounds | null): Json {
  if (!b) return null;
  return { low: round(b.low), high: Number.isFinite(b.high) ? round(b.high) : null };
}

const round = (n: number): number => Math.round(n * 10) / 10;

function histogram(values: readonly number[]): Json {
  const counts = HISTOGRAM_EDGES.map(() => 0);
  let never = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      never++;
      continue;
    }
    let i = HISTOGRAM_EDGES.length - 1;
    while (i > 0 && v < (HISTOGRAM_EDGES[i] as number)) i--;
    counts[i] = (counts[i] as number) + 1;
  }
  return { edgesMs: HISTOGRAM_EDGES, counts, neverSeen: never };
}

/** Every `step`-th observed write, in ack order, as columns a chart draws as one bar per write. */
function perWrite(observed: VisibilityJudgement['observed']): Json {
  const sorted = [...observed].sort((a, b) => a.span.ack - b.span.ack);
  const step = Math.max(1, Math.ceil(sorted.length / MAX_CHARTED));
  const cols = { agent: [] as number[], seq: [] as number[], ack: [] as number[], low: [] as number[] };
  const high: (number | null)[] = [];
  for (let i = 0; i < sorted.length; i += step) {
    const { span, bounds } = sorted[i] as VisibilityJudgement['observed'][number];
    cols.agent.push(span.agent);
    cols.seq.push(span.seq);
    cols.ack.push(round(span.ack));
    cols.low.push(round(bounds.low));
    high.push(Number.isFinite(bounds.high) ? round(bounds.high) : null);
  }
  return { ...cols, high, every: step };
}

/** The write and the reads that bound it, for the report's links. */
function refs(span: WriteSpan): { agent: number; seq: number }[] {
  const out = [opRef(span)];
  if (span.lastMiss) out.push(opRef(span.lastMiss));
  if (span.firstHit) out.push(opRef(span.firstHit));
  return out;
}

export function visibilityChecker<S>(vocab: VisibilityVocabulary<S>): Checker<S> {
  const pName = `p${vocab.percentile}`;
  return {
    name: VISIBILITY,
    description: `${pName} of ack-to-visible (by other agents' reads) within ${ms(vocab.budgetMs)}; no acknowledged write lost`,
    check(input: CheckInput<S>): CheckResult {
      const observer = new VisibilityObserver();
      let acked = 0;
      let unknownWrites = 0;
      for (const op of input.ops) {
        const token = vocab.token(op);
        if (token === null) continue;
        if (op.outcome === 'ok' && op.end !== null) {
          acked++;
          observer.addWrite({ agent: op.agent, seq: op.seq, token, ack: op.end });
        } else if (isUnknown(op.outcome)) unknownWrites++;
      }
      let unreadable = 0;
      for (const op of input.ops) {
        if (!vocab.isRead(op) || op.outcome !== 'ok' || op.end === null) continue;
        const seen = vocab.seen(op.result);
        if (!seen) {
          unreadable++;
          continue;
        }
        observer.addRead({ agent: op.agent, seq: op.seq, start: op.start, end: op.end, seen });
      }
      const final = vocab.final(input.state);
      const spans = observer.spans(final);
      const j = judgeVisibility(spans, vocab.budgetMs, vocab.percentile, vocab.minObserved);

      const data: { [key: string]: Json } = {
        budgetMs: vocab.budgetMs,
        percentile: vocab.percentile,
        writes: acked,
        unknownWrites,
        reads: observer.reads,
        unreadableReads: unreadable,
        observed: j.observed.length,
        late: j.late.length,
        lost: j.lost.length,
        vanished: j.vanished.length,
        overBudget: j.overBudget.length,
        undecided: j.undecided,
        duplicateTokens: observer.duplicateTokens.slice(0, 50),
        finalJudged: final !== null,
        p50: boundsJson(j.p50),
        [pName]: boundsJson(j.pX),
        max: boundsJson(j.max),
        histogramHigh: histogram(j.observed.map((o) => o.bounds.high)),
        histogramLow: histogram(j.observed.map((o) => o.bounds.low)),
        perWrite: perWrite(j.observed),
      };

      const findings: Finding[] = [];
      for (const s of j.lost)
        findings.push({
          kind: 'lost',
          label: `${opName(s)} (${s.token}): acknowledged, ${s.firstHit ? 'seen, then absent at the end' : 'never visible'}`,
          ops: refs(s),
        });
      for (const s of j.vanished)
        findings.push({
          kind: 'vanished',
          label: `${opName(s)} (${s.token}): seen by ${opName(s.firstHit as ReadRef)}, then missed by ${opName(s.lastMiss as ReadRef)}`,
          ops: refs(s),
        });
      for (const { span, bounds } of j.overBudget)
        findings.push({
          kind: 'slow',
          label: `${opName(span)} (${span.token}): visible after ${boundsWords(bounds)} (budget ${ms(vocab.budgetMs)})`,
          ops: refs(span),
        });

      const figures = j.pX
        ? `${pName} ${boundsWords(j.pX)}, p50 ${boundsWords(j.p50 as Bounds)}, max ${boundsWords(j.max as Bounds)}`
        : 'no figures';
      const counted = `over ${plural(j.observed.length, 'write')} watched for ${ms(vocab.budgetMs)} after the ack`;
      const leftOut =
        j.late.length > 0
          ? `; ${plural(j.late.length, 'later write')} not counted (acked under ${ms(vocab.budgetMs)} before other agents' last read)`
          : '';
      const noFinal = final === null ? '; lost not judged (the final state does not say what is visible)' : '';
      const tail = `${leftOut}${noFinal}`;
      switch (j.reason) {
        case 'lost':
          return result(
            VISIBILITY,
            'fail',
            `${plural(j.lost.length, 'acknowledged write')} not visible at the end (lost): ${listSome(
              j.lost.map((s) => `${opName(s)} (${s.token})`),
              8,
            )}; ${figures}${tail}`,
            data,
            findings,
          );
        case 'vanished':
          return result(
            VISIBILITY,
            'fail',
            `${plural(j.vanished.length, 'write')} seen by a read, then missed by a later one: ${listSome(
              j.vanished.map((s) => `${opName(s)} (${s.token})`),
              8,
            )}; ${figures}${tail}`,
            data,
            findings,
          );
        case 'too-few':
          return result(
            VISIBILITY,
            'unknown',
            `too few writes to judge: ${j.observed.length} of ${acked} acknowledged were watched by other agents' reads for ${ms(vocab.budgetMs)} after their ack (need ${vocab.minObserved})${tail}`,
            data,
            findings,
          );
        case 'over-budget':
          return result(
            VISIBILITY,
            'fail',
            `${pName} ack-to-visible ${boundsWords(j.pX as Bounds)}, over the ${ms(vocab.budgetMs)} budget: ${j.overBudget.length} of ${j.observed.length} writes not visible ${ms(vocab.budgetMs)} after their ack (${listSome(
              j.overBudget.map(({ span, bounds }) => `${opName(span)} ${boundsWords(bounds)}`),
              5,
            )}); ${figures}${tail}`,
            data,
            findings,
          );
        case 'within-budget':
          return result(
            VISIBILITY,
            'pass',
            `${pName} ack-to-visible ${boundsWords(j.pX as Bounds)}, within ${ms(vocab.budgetMs)} (p50 ${boundsWords(j.p50 as Bounds)}, max ${boundsWords(j.max as Bounds)}) ${counted}${tail}`,
            data,
          );
        case 'too-sparse':
          return result(
            VISIBILITY,
            'unknown',
            `reads too sparse to judge: ${pName} ack-to-visible ${boundsWords(j.pX as Bounds)} straddles the ${ms(vocab.budgetMs)} budget (${j.undecided} writes could be either side) ${counted}${tail}`,
            data,
            findings,
          );
      }
    },
  };
}
