// counter-reads: a read sees neither the past nor the future. Reading key k at [start, end], the value must
// be at least initial + the acknowledged increments of k that completed before the read started (they had
// landed), and at most initial + every increment of k not known to have failed that was invoked before the
// read ended (nothing later could have landed yet). Stale caches and lost writes break the first; a value
// from nowhere breaks the second.
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../types.js';
import { isUnknown, listSome, opName, opRef, plural, result } from '../../checkers/words.js';
import type { CounterVocabulary } from './vocabulary.js';

export const COUNTER_READS = 'counter-reads';

interface Span {
  at: number;
  by: number;
}

/** Sorted times with prefix sums: how much landed before a moment, in O(log n). */
class Timeline {
  private readonly times: number[] = [];
  private readonly sums: number[] = [0];

  constructor(spans: Span[]) {
    spans.sort((a, b) => a.at - b.at);
    for (const s of spans) {
      this.times.push(s.at);
      this.sums.push((this.sums[this.sums.length - 1] ?? 0) + s.by);
    }
  }

  /** Sum of the spans strictly before `t`. */
  before(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return this.sums[lo] ?? 0;
  }
}

function spansOf(map: Map<string, Span[]>, key: string): Span[] {
  let spans = map.get(key);
  if (!spans) map.set(key, (spans = []));
  return spans;
}

export function readBoundsChecker<S>(vocab: CounterVocabulary<S>): Checker<S> {
  return {
    name: COUNTER_READS,
    description:
      'every read lies between the acknowledged increments completed before it started and all increments invoked before it ended',
    check(input: CheckInput<S>): CheckResult {
      const completed = new Map<string, Span[]>();
      const invoked = new Map<string, Span[]>();
      const reads: {
        agent: number;
        seq: number;
        key: string;
        value: number | null;
        raw: Json;
        start: number;
        end: number;
      }[] = [];
      let negative = false;
      for (const op of input.ops) {
        for (const inc of vocab.increments(op)) {
          if (inc.by < 0) negative = true;
          if (op.outcome === 'fail') continue;
          if (op.outcome === 'ok' && op.end !== null) spansOf(completed, inc.key).push({ at: op.end, by: inc.by });
          if (op.outcome === 'ok' || isUnknown(op.outcome))
            spansOf(invoked, inc.key).push({ at: op.start, by: inc.by });
        }
        const key = vocab.readKey(op);
        if (key !== null && op.outcome === 'ok' && op.end !== null)
          reads.push({
            agent: op.agent,
            seq: op.seq,
            key,
            value: vocab.readValue(op.result),
            raw: op.result,
            start: op.start,
            end: op.end,
          });
      }
      if (reads.length === 0) return result(COUNTER_READS, 'pass', 'no acknowledged reads', { reads: 0 });
      if (negative)
        return result(COUNTER_READS, 'unknown', 'some increments are negative: read bounds need increments >= 0', {
          reads: reads.length,
        });

      const low = new Map([...completed].map(([k, spans]) => [k, new Timeline(spans)]));
      const high = new Map([...invoked].map(([k, spans]) => [k, new Timeline(spans)]));
      const violations: Json[] = [];
      const words: string[] = [];
      const findings: Finding[] = [];
      let stale = 0;
      let future = 0;
      for (const r of reads) {
        const base = vocab.initial(r.key);
        const min = base + (low.get(r.key)?.before(r.start) ?? 0);
        const max = base + (high.get(r.key)?.before(r.end) ?? 0);
        let kind: string | null = null;
        if (r.value === null) kind = 'malformed';
        else if (r.value < min) kind = 'stale';
        else if (r.value > max) kind = 'future';
        if (!kind) continue;
        if (kind === 'stale') stale++;
        if (kind === 'future') future++;
        const seen = r.value === null ? JSON.stringify(r.raw) : String(r.value);
        violations.push({ agent: r.agent, seq: r.seq, key: r.key, value: r.value, min, max, kind });
        words.push(`read ${opName(r)} of ${r.key} saw ${seen}, expected ${min}..${max}`);
        findings.push({ kind, label: `${r.key}: read ${seen}, expected ${min}..${max}`, ops: [opRef(r)] });
      }
      const data = { reads: reads.length, stale, future, violations: violations.slice(0, 200) };
      if (words.length > 0)
        return result(
          COUNTER_READS,
          'fail',
          `${plural(words.length, 'read')} out of bounds (${stale} below what had landed, ${future} above what was invoked): ${listSome(words, 6, '; ')}`,
          data,
          findings,
        );
      return result(COUNTER_READS, 'pass', `${plural(reads.length, 'acknowledged read')} within bounds`, data);
    },
  };
}
