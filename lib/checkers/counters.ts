// counters: read-modify-write without a lock loses increments. Each `comment` (or comment sub-op
// of a batch) adds one to an item's `comments`, so the final value must lie between the
// acknowledged increments (all of them landed) and acknowledged + unknown (some info ones may have).
// Below = lost updates; above = phantom increments (applied twice, or by an op that said it failed).
import type { CheckInput, CheckResult, Checker, Json } from '../types.js';
import { commentTargets, isUnknown, itemsById, listSome, plural, result } from './items.js';

const NAME = 'counters';

export const counters: Checker = {
  name: NAME,
  description: "each item's comment count lies between its acknowledged and its acknowledged + unknown increments",
  check(input: CheckInput): CheckResult {
    const acked = new Map<string, number>();
    const unknown = new Map<string, number>();
    let total = 0;
    for (const op of input.ops) {
      const targets = commentTargets(op);
      total += targets.length;
      // A batch is all-or-nothing, so each of its increments shares the batch's outcome.
      const tally = op.outcome === 'ok' ? acked : isUnknown(op.outcome) ? unknown : null;
      if (!tally) continue;
      for (const id of targets) tally.set(id, (tally.get(id) ?? 0) + 1);
    }
    if (total === 0) return result(NAME, 'pass', 'no counter ops', { violations: [] });

    const violations: Json[] = [];
    const words: string[] = [];
    const ambiguous: string[] = [];
    let lostTotal = 0;
    let phantomTotal = 0;
    const byId = itemsById(input.state.items);
    for (const [id, copies] of byId) {
      // Two items under one id (a unique-ids failure) leave no way to know which one was meant.
      if (copies.length > 1) {
        if (acked.has(id) || unknown.has(id)) ambiguous.push(id);
        continue;
      }
      const raw = copies[0]?.comments;
      const low = acked.get(id) ?? 0;
      const high = low + (unknown.get(id) ?? 0);
      if (raw !== undefined && (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)) {
        violations.push({ id, comments: raw ?? null, low, high, kind: 'malformed' });
        words.push(`${id}: comments is ${JSON.stringify(raw)}, not a count`);
        continue;
      }
      const value = raw ?? 0;
      if (value < low) {
        lostTotal += low - value;
        violations.push({ id, comments: value, low, high, kind: 'lost' });
        words.push(`${id}: ${plural(value, 'comment')}, but ${plural(low, 'increment')} ${low === 1 ? 'was' : 'were'} acknowledged (${plural(low - value, 'lost update')})`);
      } else if (value > high) {
        phantomTotal += value - high;
        violations.push({ id, comments: value, low, high, kind: 'phantom' });
        words.push(`${id}: ${plural(value, 'comment')}, but at most ${high} could have landed (${low} acknowledged + ${high - low} unknown; ${plural(value - high, 'phantom increment')})`);
      }
    }
    // Acknowledged increments to an item that is not there at all were lost with it.
    for (const [id, low] of acked) {
      if (byId.has(id)) continue;
      lostTotal += low;
      violations.push({ id, comments: null, low, high: low + (unknown.get(id) ?? 0), kind: 'absent' });
      words.push(`${id}: absent, but ${plural(low, 'increment')} ${low === 1 ? 'was' : 'were'} acknowledged`);
    }

    const ackedTotal = [...acked.values()].reduce((a, b) => a + b, 0);
    const unknownTotal = [...unknown.values()].reduce((a, b) => a + b, 0);
    const note = ambiguous.length > 0 ? `; not checked (id held by several items, see unique-ids): ${listSome(ambiguous)}` : '';
    const data = { violations, lostUpdates: lostTotal, phantomIncrements: phantomTotal, acknowledged: ackedTotal, unknown: unknownTotal, ambiguous };
    if (words.length > 0) return result(NAME, 'fail', `${plural(words.length, 'counter')} out of bounds: ${listSome(words, 8, '; ')}${note}`, data);
    return result(
      NAME,
      'pass',
      `${plural(total, 'increment')} (${ackedTotal} acknowledged, ${unknownTotal} unknown, ${total - ackedTotal - unknownTotal} failed) across ${plural(new Set([...acked.keys(), ...unknown.keys()]).size, 'item')}: every counter within bounds${note}`,
      data,
    );
  },
};
