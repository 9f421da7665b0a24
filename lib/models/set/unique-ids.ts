// unique-ids: the classic id-counter race. Two adds that read the counter outside the lock hand out the
// same id; it shows up either as two elements with one id, or as two acks with one id.
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../types.js';
import { listSome, opName, opRef, plural, quote, result } from '../../checkers/words.js';
import { byId, type AddAttempt, type SetVocabulary } from './vocabulary.js';

export const UNIQUE_IDS = 'unique-ids';

export function uniqueIdsChecker<S>(
  vocab: SetVocabulary<S>,
  preloadKey: (p: { [k: string]: Json }) => string | null,
): Checker<S> {
  return {
    name: UNIQUE_IDS,
    description:
      'no id appears twice in the final state or in two acknowledged adds, and each acknowledged id holds its own key',
    check(input: CheckInput<S>): CheckResult {
      const elements = vocab.elements(input.state);
      const ids = byId(elements);
      const problems: string[] = [];
      const duplicateIds = new Set<string>();
      const findings: Finding[] = [];

      // 1. The final state: one element per id.
      const stateDuplicates: Json[] = [];
      const stateWords: string[] = [];
      for (const [id, group] of ids) {
        if (group.length < 2) continue;
        duplicateIds.add(id);
        stateDuplicates.push({ id, count: group.length, keys: group.map((e) => e.key) });
        stateWords.push(`${id} (x${group.length}: ${group.map((e) => quote(e.key, 40)).join(', ')})`);
      }
      if (stateWords.length > 0)
        problems.push(`${plural(stateWords.length, 'duplicate id')} in the final state: ${listSome(stateWords, 8)}`);

      // One pass over the ops: the acknowledged adds (what 2 and 3 check), and acks whose ids do not line up (4).
      const acked: AddAttempt[] = [];
      const malformed: Json[] = [];
      const malformedWords: string[] = [];
      for (const op of input.ops) {
        if (op.outcome !== 'ok') continue;
        const keys = vocab.addedKeys(op);
        if (keys.length === 0) continue;
        for (const a of vocab.attemptsOf(op)) if (a.id !== null) acked.push(a);
        const got = vocab.resultIds(op);
        if (got && got.length === keys.length && got.every((id) => id !== null)) continue;
        const words = got === null ? 'no ids' : `${got.filter((id) => id !== null).length} usable of ${got.length} ids`;
        malformed.push({ agent: op.agent, seq: op.seq, f: op.f, result: op.result });
        malformedWords.push(`${op.f} ${opName(op)} (${plural(keys.length, 'add')}, ${words})`);
        findings.push({
          kind: 'malformed',
          label: `${op.f} ${opName(op)} answered without usable ids`,
          ops: [opRef(op)],
        });
      }
      for (const [id, group] of ids) {
        if (group.length < 2) continue;
        const keys = new Set(group.map((e) => e.key));
        findings.push({
          kind: 'duplicated',
          label: `id ${id} held by ${group.length} items`,
          ops: acked.filter((a) => a.id === id || keys.has(a.key)).map(opRef),
        });
      }

      // 2. The acks: an id handed to two adds (or to an add while a preloaded element holds it).
      const holders = new Map<string, { words: string[]; ops: AddAttempt[] }>();
      for (const pre of input.plan.preloaded ?? []) {
        const key = preloadKey(pre);
        holders.set(String(pre.id), { words: [`preloaded${key === null ? '' : ` ${quote(key, 40)}`}`], ops: [] });
      }
      for (const a of acked) {
        const id = a.id as string;
        const who = `${opName(a)} ${quote(a.key, 40)}`;
        const entry = holders.get(id);
        if (entry) {
          entry.words.push(who);
          entry.ops.push(a);
        } else holders.set(id, { words: [who], ops: [a] });
      }
      const ackDuplicates: Json[] = [];
      const ackWords: string[] = [];
      for (const [id, who] of holders) {
        if (who.words.length < 2) continue;
        duplicateIds.add(id);
        ackDuplicates.push({ id, holders: who.words });
        ackWords.push(`${id} (x${who.words.length}: ${who.words.join(', ')})`);
        findings.push({
          kind: 'duplicated',
          label: `id ${id} given to ${who.words.length} items`,
          ops: who.ops.map(opRef),
        });
      }
      if (ackWords.length > 0)
        problems.push(`${plural(ackWords.length, 'id')} given to more than one item: ${listSome(ackWords, 8)}`);

      // 3. Each acknowledged id must hold that op's element. An id that is simply absent along with its key
      //    is a lost element (the membership checker's job); here we catch ids pointing at the wrong element.
      const keysPresent = new Set(elements.map((e) => e.key));
      const mismatched: Json[] = [];
      const mismatchWords: string[] = [];
      for (const a of acked) {
        const id = a.id as string;
        const atId = ids.get(id) ?? [];
        if (atId.some((e) => e.key === a.key)) continue;
        if (atId.length === 0 && !keysPresent.has(a.key)) continue;
        const found = atId.length === 0 ? 'nothing' : atId.map((e) => quote(e.key, 40)).join(', ');
        mismatched.push({ id, agent: a.agent, seq: a.seq, key: a.key, found: atId.map((e) => e.key) });
        mismatchWords.push(`${id} acked to ${opName(a)} for ${quote(a.key, 40)} holds ${found}`);
        findings.push({
          kind: 'mismatched',
          label: `${id} acked for ${quote(a.key, 40)} holds ${found}`,
          ops: [opRef(a)],
        });
      }
      if (mismatchWords.length > 0)
        problems.push(
          `${plural(mismatchWords.length, 'acknowledged id')} holding the wrong item: ${listSome(mismatchWords, 8)}`,
        );

      // 4. An ack whose ids do not line up with its adds cannot be checked at all: say so (found above).
      if (malformedWords.length > 0)
        problems.push(`${plural(malformedWords.length, 'ack')} without usable ids: ${listSome(malformedWords, 8)}`);

      const data = { duplicates: [...duplicateIds], stateDuplicates, ackDuplicates, mismatched, malformed };
      if (problems.length > 0) return result(UNIQUE_IDS, 'fail', problems.join('; '), data, findings);
      return result(
        UNIQUE_IDS,
        'pass',
        `${plural(ids.size, 'id')} in the final state, all unique; ${plural(acked.length, 'acknowledged add')} given distinct ids, none holding another item (whether each is present is the items check)`,
        data,
      );
    },
  };
}
