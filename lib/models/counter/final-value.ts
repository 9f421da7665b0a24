// counters: read-modify-write without a lock loses increments. Each counter's final value must lie between
// the acknowledged increments (all of them landed) and acknowledged + unknown (some unknown ones may have).
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../types.js';
import { isUnknown, listSome, opRef, plural, result } from '../../checkers/words.js';
import type { CounterVocabulary } from './vocabulary.js';

export const COUNTERS = 'counters';

interface Tally {
  acked: number;
  unknown: number;
  ops: { agent: number; seq: number }[];
}

export function finalValueChecker<S>(vocab: CounterVocabulary<S>): Checker<S> {
  return {
    name: COUNTERS,
    description: "each counter's final value lies between its acknowledged and its acknowledged + unknown increments",
    check(input: CheckInput<S>): CheckResult {
      const tallies = new Map<string, Tally>();
      let total = 0;
      let failed = 0;
      for (const op of input.ops) {
        const incs = vocab.increments(op);
        if (incs.length === 0) continue;
        total += incs.length;
        // A batch is all-or-nothing, so each of its increments shares the batch's outcome.
        if (op.outcome === 'fail') {
          failed += incs.length;
          continue;
        }
        for (const inc of incs) {
          const t = tallies.get(inc.key) ?? { acked: 0, unknown: 0, ops: [] };
          if (op.outcome === 'ok') t.acked += inc.by;
          else if (isUnknown(op.outcome)) t.unknown += inc.by;
          if (t.ops.length < 50) t.ops.push(opRef(op));
          tallies.set(inc.key, t);
        }
      }

      const finals = new Map<string, unknown[]>();
      for (const [key, value] of vocab.final(input.state)) {
        const seen = finals.get(key);
        if (seen) seen.push(value);
        else finals.set(key, [value]);
      }
      if (total === 0 && finals.size === 0) return result(COUNTERS, 'pass', 'no counter ops', { violations: [] });

      const violations: Json[] = [];
      const words: string[] = [];
      const findings: Finding[] = [];
      const ambiguous: string[] = [];
      let lostTotal = 0;
      let phantomTotal = 0;
      const bounds = (key: string): { low: number; high: number } => {
        const t = tallies.get(key);
        const base = vocab.initial(key);
        const low = base + (t ? Math.min(t.acked, t.acked + t.unknown) : 0);
        const high = base + (t ? Math.max(t.acked, t.acked + t.unknown) : 0);
        return { low, high };
      };
      const flag = (key: string, kind: string, word: string, value: Json, low: number, high: number): void => {
        violations.push({ key, value, low, high, kind });
        words.push(word);
        findings.push({
          kind,
          label: `${key}: ${value === null ? 'absent' : String(value)}, expected ${low}..${high}`,
          ops: tallies.get(key)?.ops ?? [],
        });
      };
      for (const [key, values] of finals) {
        // A key held twice (two elements under one id) leaves no way to know which one was meant.
        if (values.length > 1) {
          if (tallies.has(key)) ambiguous.push(key);
          continue;
        }
        const raw = values[0] ?? 0;
        const { low, high } = bounds(key);
        const value = raw === undefined || raw === null ? 0 : raw;
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          flag(key, 'malformed', `${key}: ${JSON.stringify(raw)}, not a count`, JSON.stringify(raw), low, high);
        } else if (value < low) {
          lostTotal += low - value;
          flag(
            key,
            'lost',
            `${key}: ${value}, but ${plural(low - vocab.initial(key), 'increment')} acknowledged (${plural(low - value, 'lost update')})`,
            value,
            low,
            high,
          );
        } else if (value > high) {
          phantomTotal += value - high;
          flag(
            key,
            'phantom',
            `${key}: ${value}, but at most ${high} could have landed (${plural(value - high, 'phantom increment')})`,
            value,
            low,
            high,
          );
        }
      }
      // Acknowledged increments to a counter that is not there at all were lost with it.
      for (const [key, t] of tallies) {
        if (finals.has(key) || t.acked === 0) continue;
        lostTotal += t.acked;
        const { low, high } = bounds(key);
        flag(key, 'absent', `${key}: absent, but ${plural(t.acked, 'increment')} acknowledged`, null, low, high);
      }

      let ackedTotal = 0;
      let unknownTotal = 0;
      for (const t of tallies.values()) {
        ackedTotal += t.acked;
        unknownTotal += t.unknown;
      }
      const note =
        ambiguous.length > 0 ? `; not checked (key held twice in the final state): ${listSome(ambiguous)}` : '';
      const data = {
        violations,
        lostUpdates: lostTotal,
        phantomIncrements: phantomTotal,
        acknowledged: ackedTotal,
        unknown: unknownTotal,
        failed,
        ambiguous,
      };
      if (words.length > 0)
        return result(
          COUNTERS,
          'fail',
          `${plural(words.length, 'counter')} out of bounds: ${listSome(words, 8, '; ')}${note}`,
          data,
          findings,
        );
      return result(
        COUNTERS,
        'pass',
        `${plural(total, 'increment')} (${ackedTotal} acknowledged, ${unknownTotal} unknown, ${failed} failed) across ${plural(tallies.size, 'counter')}: every final value within bounds${note}`,
        data,
      );
    },
  };
}
