// unique-ids: the classic id-counter race. Two creates that read the counter outside the lock
// hand out the same id; it shows up either as two items with one id, or as two acks with one id.
import type { CheckInput, CheckResult, Checker, Json } from '../types.js';
import { createAttemptsOf, createdTitles, itemsById, listSome, opName, plural, quote, result, resultIds, type CreateAttempt } from './items.js';

const NAME = 'unique-ids';

export const uniqueIds: Checker = {
  name: NAME,
  description: 'no id appears twice in the final state or in two acknowledged creates, and each acknowledged id holds its own title',
  check(input: CheckInput): CheckResult {
    const byId = itemsById(input.state.items);
    const problems: string[] = [];
    const duplicateIds = new Set<string>();

    // 1. The final state: one item per id.
    const stateDuplicates: Json[] = [];
    const stateWords: string[] = [];
    for (const [id, items] of byId) {
      if (items.length < 2) continue;
      duplicateIds.add(id);
      stateDuplicates.push({ id, count: items.length, titles: items.map((item) => item.title) });
      stateWords.push(`${id} (x${items.length}: ${items.map((item) => quote(item.title, 40)).join(', ')})`);
    }
    if (stateWords.length > 0) problems.push(`${plural(stateWords.length, 'duplicate id')} in the final state: ${listSome(stateWords, 8)}`);

    // One pass over the ops: the acknowledged creates (what 2 and 3 check), and acks whose ids do not line up (4).
    const acked: CreateAttempt[] = [];
    const malformed: Json[] = [];
    const malformedWords: string[] = [];
    for (const op of input.ops) {
      if (op.outcome !== 'ok') continue;
      const titles = createdTitles(op);
      if (titles.length === 0) continue;
      for (const a of createAttemptsOf(op)) if (a.id !== null) acked.push(a);
      const ids = resultIds(op);
      if (ids && ids.length === titles.length && ids.every((id) => id !== null)) continue;
      const got = ids === null ? 'no ids' : `${ids.filter((id) => id !== null).length} usable of ${ids.length} ids`;
      malformed.push({ agent: op.agent, seq: op.seq, f: op.f, result: op.result });
      malformedWords.push(`${op.f} ${opName(op)} (${plural(titles.length, 'create')}, ${got})`);
    }

    // 2. The acks: an id handed to two creates (or to a create while a preloaded item holds it).
    const holders = new Map<string, string[]>();
    for (const pre of input.plan.preload) holders.set(pre.id, [`preloaded ${quote(pre.title, 40)}`]);
    for (const a of acked) {
      const id = a.id as string;
      const who = `${opName(a)} ${quote(a.title, 40)}`;
      const list = holders.get(id);
      if (list) list.push(who);
      else holders.set(id, [who]);
    }
    const ackDuplicates: Json[] = [];
    const ackWords: string[] = [];
    for (const [id, who] of holders) {
      if (who.length < 2) continue;
      duplicateIds.add(id);
      ackDuplicates.push({ id, holders: who });
      ackWords.push(`${id} (x${who.length}: ${who.join(', ')})`);
    }
    if (ackWords.length > 0) problems.push(`${plural(ackWords.length, 'id')} given to more than one item: ${listSome(ackWords, 8)}`);

    // 3. Each acknowledged id must hold that op's item. An id that is simply absent along with its
    //    title is a lost item (the `items` checker's job); here we catch ids pointing at the wrong item.
    const titlesPresent = new Set(input.state.items.map((item) => item.title));
    const mismatched: Json[] = [];
    const mismatchWords: string[] = [];
    for (const a of acked) {
      const id = a.id as string;
      const atId = byId.get(id) ?? [];
      if (atId.some((item) => item.title === a.title)) continue;
      if (atId.length === 0 && !titlesPresent.has(a.title)) continue;
      const found = atId.length === 0 ? 'nothing' : atId.map((item) => quote(item.title, 40)).join(', ');
      mismatched.push({ id, agent: a.agent, seq: a.seq, title: a.title, found: atId.map((item) => item.title) });
      mismatchWords.push(`${id} acked to ${opName(a)} for ${quote(a.title, 40)} holds ${found}`);
    }
    if (mismatchWords.length > 0) problems.push(`${plural(mismatchWords.length, 'acknowledged id')} holding the wrong item: ${listSome(mismatchWords, 8)}`);

    // 4. An ack whose ids do not line up with its creates cannot be checked at all: say so (found above).
    if (malformedWords.length > 0) problems.push(`${plural(malformedWords.length, 'ack')} without usable ids: ${listSome(malformedWords, 8)}`);

    const duplicates = [...duplicateIds];
    const data = { duplicates, stateDuplicates, ackDuplicates, mismatched, malformed };
    if (problems.length > 0) return result(NAME, 'fail', problems.join('; '), data);
    return result(
      NAME,
      'pass',
      `${plural(byId.size, 'id')} in the final state, all unique; ${plural(acked.length, 'acknowledged create')} given distinct ids, none holding another item (whether each is present is the items check)`,
      data,
    );
  },
};
