// items: compares what was attempted with what is there, by title (titles are unique per op).
// Unknown outcomes bound the answer instead of being guessed: an info create may be present
// (recovered) or absent, and both are fine. Only certainties can fail:
//   lost       = acknowledged (or preloaded) but absent
//   duplicated = one title present more than once
//   unexpected = present, but never attempted, or attempted by an op that answered `fail`.
import type { CheckInput, CheckResult, Checker, Json } from '../types.js';
import { agentList, createAttempts, groupBy, isUnknown, itemsByTitle, listSome, plural, quote, result, type CreateAttempt } from './items.js';

const NAME = 'items';

export const itemsChecker: Checker = {
  name: NAME,
  description: 'every acknowledged create is present exactly once, nothing present was never attempted, unknown creates are counted as recovered or absent',
  check(input: CheckInput): CheckResult {
    const attempts = createAttempts(input.ops);
    const attemptsByTitle = groupBy(attempts, (a) => a.title);
    const present = itemsByTitle(input.state.items);

    const lost: Json[] = [];
    const lostWords: string[] = [];
    const lostAgents: number[] = [];
    const duplicated: Json[] = [];
    const duplicatedWords: string[] = [];
    const unexpected: Json[] = [];
    const unexpectedWords: string[] = [];
    const recovered: string[] = [];
    const unknownAbsent: string[] = [];
    let acknowledged = 0;

    const noteDuplicate = (title: string): void => {
      const copies = present.get(title) ?? [];
      if (copies.length < 2) return;
      duplicated.push({ title, ids: copies.map((item) => item.id) });
      duplicatedWords.push(`${quote(title, 40)} (x${copies.length}: ${copies.map((item) => item.id).join(', ')})`);
    };

    for (const [title, group] of attemptsByTitle) {
      const copies = present.get(title)?.length ?? 0;
      const oks = group.filter((a) => a.outcome === 'ok');
      const unknown = group.some((a) => isUnknown(a.outcome));
      noteDuplicate(title);
      if (oks.length > 0) {
        acknowledged++;
        if (copies === 0) {
          // Name it by the id the target promised, so it can be looked up; the title otherwise.
          const id = oks.find((a) => a.id !== null)?.id ?? null;
          lost.push({ title, id, agents: oks.map((a) => a.agent) });
          lostWords.push(id ?? quote(title, 40));
          lostAgents.push(...oks.map((a) => a.agent));
        }
      } else if (unknown) {
        (copies > 0 ? recovered : unknownAbsent).push(title);
      } else if (copies > 0) {
        // Every attempt answered `fail`, yet the item exists: the target lied about failing.
        unexpected.push({ title, ids: present.get(title)?.map((item) => item.id) ?? [], reason: 'failed op present' });
        unexpectedWords.push(`${quote(title, 40)} (${describeFailers(group)} failed, yet it is present)`);
      }
    }

    // Preloaded items existed before the run: they must still be there, and are never unexpected.
    const preloadTitles = new Set<string>();
    const preloadLost: Json[] = [];
    const preloadLostWords: string[] = [];
    for (const pre of input.plan.preload) {
      preloadTitles.add(pre.title);
      if (attemptsByTitle.has(pre.title)) continue;
      noteDuplicate(pre.title);
      if (!present.has(pre.title)) {
        preloadLost.push({ id: pre.id, title: pre.title });
        preloadLostWords.push(`${pre.id} ${quote(pre.title, 40)}`);
      }
    }

    for (const [title, copies] of present) {
      if (attemptsByTitle.has(title) || preloadTitles.has(title)) continue;
      unexpected.push({ title, ids: copies.map((item) => item.id), reason: 'never attempted' });
      unexpectedWords.push(`${copies.map((item) => item.id).join(', ')} ${quote(title, 40)} (never attempted)`);
    }

    const unknownCount = attempts.filter((a) => isUnknown(a.outcome)).length;
    const unknownTitles = recovered.length + unknownAbsent.length;
    const problems: string[] = [];
    if (lostWords.length > 0) problems.push(`${plural(lostWords.length, 'acknowledged item')} lost: ${listSome(lostWords)} (agents ${agentList(lostAgents)})`);
    if (preloadLostWords.length > 0) problems.push(`${plural(preloadLostWords.length, 'preloaded item')} lost: ${listSome(preloadLostWords)}`);
    if (duplicatedWords.length > 0) problems.push(`${plural(duplicatedWords.length, 'title')} present more than once: ${listSome(duplicatedWords)}`);
    if (unexpectedWords.length > 0) problems.push(`${plural(unexpectedWords.length, 'unexpected item')}: ${listSome(unexpectedWords)}`);
    const recoveredWords = `recovered ${recovered.length} of ${unknownTitles} unknown`;

    const data = {
      attempted: attempts.length,
      acknowledged,
      unknown: unknownCount,
      lost,
      preloadLost,
      duplicated,
      unexpected,
      recovered,
      unknownAbsent,
    };
    if (problems.length > 0) return result(NAME, 'fail', `${problems.join('; ')}; ${recoveredWords}`, data);

    const ratio = attempts.length === 0 ? 0 : unknownCount / attempts.length;
    if (ratio > input.maxUnknownRatio) {
      return result(
        NAME,
        'unknown',
        `cannot decide: ${unknownCount} of ${attempts.length} creates (${percent(ratio)}) have unknown outcomes, above the ${percent(input.maxUnknownRatio)} limit; ${recoveredWords}`,
        data,
      );
    }
    if (attempts.length === 0 && input.plan.preload.length === 0) return result(NAME, 'pass', `no create ops; ${plural(input.state.items.length, 'item')} present, none unexpected`, data);
    return result(
      NAME,
      'pass',
      `all ${plural(acknowledged, 'acknowledged item')} and ${plural(input.plan.preload.length, 'preloaded item')} present once, none unexpected; ${recoveredWords}, ${unknownAbsent.length} absent`,
      data,
    );
  },
};

function describeFailers(group: readonly CreateAttempt[]): string {
  return listSome(group.map((a) => `a${a.agent} seq ${a.seq}`), 3);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}
