// batch-atomicity: a batch is all-or-nothing. Whatever its outcome, its adds are either all present or
// all absent; an ok batch must be all present, a failed one all absent. (A batch's increments are the
// counter model's to judge.)
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../types.js';
import { isUnknown, listSome, opName, opRef, plural, quote, result } from '../../checkers/words.js';
import { byKey, type SetVocabulary } from './vocabulary.js';

export const BATCH_ATOMICITY = 'batch-atomicity';

export function batchAtomicityChecker<S>(vocab: SetVocabulary<S>): Checker<S> {
  return {
    name: BATCH_ATOMICITY,
    description:
      "each batch's adds are all present or all absent: all present when acknowledged, all absent when failed",
    check(input: CheckInput<S>): CheckResult {
      const present = byKey(vocab.elements(input.state));
      const violations: Json[] = [];
      const words: string[] = [];
      const findings: Finding[] = [];
      const counts = { batches: 0, withAdds: 0, unknownPresent: 0, unknownAbsent: 0 };
      for (const op of input.ops) {
        if (op.f !== vocab.batch) continue;
        counts.batches++;
        const keys = vocab.addedKeys(op);
        if (keys.length === 0) continue;
        counts.withAdds++;
        const here = keys.filter((key) => present.has(key));
        const gone = keys.filter((key) => !present.has(key));
        const where = `batch ${opName(op)} (${op.outcome})`;
        const shown = (list: string[]): string =>
          listSome(
            list.map((key) => quote(key, 40)),
            5,
          );
        let kind: string | null = null;
        if (here.length > 0 && gone.length > 0) {
          kind = 'partial';
          words.push(`${where} is partial: present ${shown(here)}; absent ${shown(gone)}`);
        } else if (op.outcome === 'ok' && here.length === 0) {
          kind = 'lost';
          words.push(`${where} was acknowledged but all ${plural(keys.length, 'add')} are absent: ${shown(gone)}`);
        } else if (op.outcome === 'fail' && gone.length === 0) {
          kind = 'unexpected';
          words.push(`${where} answered fail but all ${plural(keys.length, 'add')} are present: ${shown(here)}`);
        } else if (isUnknown(op.outcome)) {
          if (here.length > 0) counts.unknownPresent++;
          else counts.unknownAbsent++;
        }
        if (kind) {
          violations.push({ agent: op.agent, seq: op.seq, outcome: op.outcome, kind, present: here, absent: gone });
          findings.push({ kind, label: `${where}: ${here.length} of ${keys.length} present`, ops: [opRef(op)] });
        }
      }
      const data = { violations, ...counts };
      if (counts.batches === 0) return result(BATCH_ATOMICITY, 'pass', 'no batch ops', data);
      if (words.length > 0)
        return result(
          BATCH_ATOMICITY,
          'fail',
          `${plural(words.length, 'batch', 'batches')} not atomic: ${listSome(words, 8, '; ')}`,
          data,
          findings,
        );
      const withoutAdds = counts.batches - counts.withAdds;
      return result(
        BATCH_ATOMICITY,
        'pass',
        `${plural(counts.withAdds, 'batch', 'batches')} with adds all-or-nothing (unknown outcome: ${counts.unknownPresent} applied, ${counts.unknownAbsent} not)` +
          (withoutAdds > 0 ? `; ${withoutAdds} without adds left to the counter model` : ''),
        data,
      );
    },
  };
}
