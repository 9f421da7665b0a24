// items: compares what was attempted with what is there, by key (each add carries its own key).
// Unknown outcomes bound the answer instead of being guessed: an info add may be present (recovered) or
// absent, and both are fine. Only certainties can fail:
//   lost       = acknowledged (or preloaded) but absent
//   duplicated = one key present more than once
//   unexpected = present, but never attempted, or attempted only by ops that answered `fail`.
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../types.js';
import {
  agentList,
  groupBy,
  isUnknown,
  listSome,
  opRef,
  percent,
  plural,
  quote,
  result,
} from '../../checkers/words.js';
import { byKey, type AddAttempt, type SetVocabulary } from './vocabulary.js';

export const MEMBERSHIP = 'items';

export function membershipChecker<S>(
  vocab: SetVocabulary<S>,
  preloadKey: (p: { [k: string]: Json }) => string | null,
): Checker<S> {
  return {
    name: MEMBERSHIP,
    description:
      'every acknowledged add is present exactly once, nothing present was never attempted, unknown adds are counted as recovered or absent',
    check(input: CheckInput<S>): CheckResult {
      const attempts = vocab.attempts(input.ops);
      const attemptsByKey = groupBy(attempts, (a) => a.key);
      const elements = vocab.elements(input.state);
      const present = byKey(elements);
      const presentIds = new Set(elements.map((e) => e.id));

      const lost: Json[] = [];
      const lostWords: string[] = [];
      const lostAgents: number[] = [];
      const duplicated: Json[] = [];
      const duplicatedWords: string[] = [];
      const unexpected: Json[] = [];
      const unexpectedWords: string[] = [];
      const recovered: string[] = [];
      const unknownAbsent: string[] = [];
      const findings: Finding[] = [];
      let acknowledged = 0;
      const refs = (group: readonly AddAttempt[]): { agent: number; seq: number }[] => group.map(opRef);

      const noteDuplicate = (key: string, group: readonly AddAttempt[]): void => {
        const copies = present.get(key) ?? [];
        if (copies.length < 2) return;
        duplicated.push({ key, ids: copies.map((e) => e.id) });
        duplicatedWords.push(`${quote(key, 40)} (x${copies.length}: ${copies.map((e) => e.id).join(', ')})`);
        findings.push({
          kind: 'duplicated',
          label: `${quote(key, 40)} present as ${copies.map((e) => e.id).join(', ')}`,
          ops: refs(group),
        });
      };

      for (const [key, group] of attemptsByKey) {
        const copies = present.get(key)?.length ?? 0;
        const oks = group.filter((a) => a.outcome === 'ok');
        const unknown = group.some((a) => isUnknown(a.outcome));
        noteDuplicate(key, group);
        if (oks.length > 0) {
          acknowledged++;
          if (copies === 0) {
            // Name it by the id the target promised, so it can be looked up; the key otherwise.
            const id = oks.find((a) => a.id !== null)?.id ?? null;
            lost.push({ key, id, agents: oks.map((a) => a.agent) });
            lostWords.push(id ?? quote(key, 40));
            lostAgents.push(...oks.map((a) => a.agent));
            findings.push({
              kind: 'lost',
              label: `${id ?? '(no id)'} ${quote(key, 40)} acknowledged, absent`,
              ops: refs(oks),
            });
          }
        } else if (unknown) {
          (copies > 0 ? recovered : unknownAbsent).push(key);
          if (copies > 0)
            findings.push({ kind: 'recovered', label: `${quote(key, 40)} outcome unknown, present`, ops: refs(group) });
        } else if (copies > 0) {
          // Every attempt answered `fail`, yet the element exists: the target lied about failing.
          unexpected.push({ key, ids: present.get(key)?.map((e) => e.id) ?? [], reason: 'failed op present' });
          unexpectedWords.push(
            `${quote(key, 40)} (${listSome(
              group.map((a) => `a${a.agent} seq ${a.seq}`),
              3,
            )} failed, yet it is present)`,
          );
          findings.push({
            kind: 'unexpected',
            label: `${quote(key, 40)} answered fail, yet present`,
            ops: refs(group),
          });
        }
      }

      // Preloaded elements existed before the run: they must still be there (by id), and are never unexpected.
      const preloadKeys = new Set<string>();
      const preloadLost: Json[] = [];
      const preloadLostWords: string[] = [];
      for (const pre of input.plan.preloaded ?? []) {
        const key = preloadKey(pre);
        if (key !== null) {
          preloadKeys.add(key);
          // A key some op also tried to add was noted (if held twice) above; its preloaded id is still checked.
          if (!attemptsByKey.has(key)) noteDuplicate(key, []);
        }
        const id = String(pre.id);
        if (!presentIds.has(id)) {
          preloadLost.push({ id, key });
          preloadLostWords.push(key === null ? id : `${id} ${quote(key, 40)}`);
          findings.push({ kind: 'lost', label: `preloaded ${id} absent` });
        }
      }

      for (const [key, copies] of present) {
        if (attemptsByKey.has(key) || preloadKeys.has(key)) continue;
        const ids = copies.map((e) => e.id);
        if (ids.every((id) => (input.plan.preloaded ?? []).some((p) => String(p.id) === id))) continue;
        unexpected.push({ key, ids, reason: 'never attempted' });
        unexpectedWords.push(`${ids.join(', ')} ${quote(key, 40)} (never attempted)`);
        findings.push({ kind: 'unexpected', label: `${ids.join(', ')} ${quote(key, 40)} never attempted` });
      }

      const unknownCount = attempts.filter((a) => isUnknown(a.outcome)).length;
      const unknownKeys = recovered.length + unknownAbsent.length;
      const problems: string[] = [];
      if (lostWords.length > 0)
        problems.push(
          `${plural(lostWords.length, 'acknowledged item')} lost: ${listSome(lostWords)} (agents ${agentList(lostAgents)})`,
        );
      if (preloadLostWords.length > 0)
        problems.push(`${plural(preloadLostWords.length, 'preloaded item')} lost: ${listSome(preloadLostWords)}`);
      if (duplicatedWords.length > 0)
        problems.push(`${plural(duplicatedWords.length, 'key')} present more than once: ${listSome(duplicatedWords)}`);
      if (unexpectedWords.length > 0)
        problems.push(`${plural(unexpectedWords.length, 'unexpected item')}: ${listSome(unexpectedWords)}`);
      const recoveredWords = `recovered ${recovered.length} of ${unknownKeys} unknown`;

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
      if (problems.length > 0)
        return result(MEMBERSHIP, 'fail', `${problems.join('; ')}; ${recoveredWords}`, data, findings);

      const ratio = attempts.length === 0 ? 0 : unknownCount / attempts.length;
      if (ratio > input.maxUnknownRatio) {
        return result(
          MEMBERSHIP,
          'unknown',
          `cannot decide: ${unknownCount} of ${attempts.length} adds (${percent(ratio)}) have unknown outcomes, above the ${percent(input.maxUnknownRatio)} limit; ${recoveredWords}`,
          data,
          findings,
        );
      }
      const preloadCount = (input.plan.preloaded ?? []).length;
      if (attempts.length === 0 && preloadCount === 0)
        return result(
          MEMBERSHIP,
          'pass',
          `no add ops; ${plural(elements.length, 'item')} present, none unexpected`,
          data,
        );
      return result(
        MEMBERSHIP,
        'pass',
        `all ${plural(acknowledged, 'acknowledged item')} and ${plural(preloadCount, 'preloaded item')} present once, none unexpected; ${recoveredWords}, ${unknownAbsent.length} absent`,
        data,
        findings,
      );
    },
  };
}
