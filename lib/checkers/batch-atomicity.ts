// batch-atomicity: a batch is all-or-nothing. Whatever its outcome, its creates are either all
// present or all absent; an ok batch must be all present, a failed one all absent.
// (A batch's comment sub-ops are judged by `counters`, which counts them per the batch's outcome.)
import type { CheckInput, CheckResult, Checker, Json } from '../types.js';
import { createdTitles, isUnknown, itemsByTitle, listSome, opName, plural, quote, result } from './items.js';

const NAME = 'batch-atomicity';

export const batchAtomicity: Checker = {
  name: NAME,
  description: "each batch's creates are all present or all absent: all present when acknowledged, all absent when failed",
  check(input: CheckInput): CheckResult {
    const present = itemsByTitle(input.state.items);
    const violations: Json[] = [];
    const words: string[] = [];
    const counts = { batches: 0, withCreates: 0, unknownPresent: 0, unknownAbsent: 0 };
    for (const op of input.ops) {
      if (op.f !== 'batch') continue;
      counts.batches++;
      const titles = createdTitles(op);
      if (titles.length === 0) continue;
      counts.withCreates++;
      const here = titles.filter((title) => present.has(title));
      const gone = titles.filter((title) => !present.has(title));
      const where = `batch ${opName(op)} (${op.outcome})`;
      const shown = (list: string[]): string => listSome(list.map((title) => quote(title, 40)), 5);
      let kind: string | null = null;
      if (here.length > 0 && gone.length > 0) {
        kind = 'partial';
        words.push(`${where} is partial: present ${shown(here)}; absent ${shown(gone)}`);
      } else if (op.outcome === 'ok' && here.length === 0) {
        kind = 'lost';
        words.push(`${where} was acknowledged but all ${plural(titles.length, 'create')} are absent: ${shown(gone)}`);
      } else if (op.outcome === 'fail' && gone.length === 0) {
        kind = 'unexpected';
        words.push(`${where} answered fail but all ${plural(titles.length, 'create')} are present: ${shown(here)}`);
      } else if (isUnknown(op.outcome)) {
        if (here.length > 0) counts.unknownPresent++;
        else counts.unknownAbsent++;
      }
      if (kind) violations.push({ agent: op.agent, seq: op.seq, outcome: op.outcome, kind, present: here, absent: gone });
    }
    const data = { violations, ...counts };
    if (counts.batches === 0) return result(NAME, 'pass', 'no batch ops', data);
    if (words.length > 0) return result(NAME, 'fail', `${plural(words.length, 'batch', 'batches')} not atomic: ${listSome(words, 8, '; ')}`, data);
    const withoutCreates = counts.batches - counts.withCreates;
    return result(
      NAME,
      'pass',
      `${plural(counts.withCreates, 'batch', 'batches')} with creates all-or-nothing (unknown outcome: ${counts.unknownPresent} applied, ${counts.unknownAbsent} not)` +
        (withoutCreates > 0 ? `; ${withoutCreates} without creates left to counters` : ''),
      data,
    );
  },
};
