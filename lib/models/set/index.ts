// The set model: many agents add elements at once; every acknowledged add must be there exactly once.
//
// Ops (the model's vocabulary; a target maps its own words with SetModelOptions):
//   {f: 'add',   value: {key: string}}                  ok -> {id}  (or a bare id: a number or a string)
//   {f: 'batch', value: {ops: [{f: 'add', value: {key}}, ...]}}  ok -> {ids: [...]} (all-or-nothing)
// Each add's key is unique in the run (the generator makes it so: agent, seq and a seeded tag).
// Final state: the elements present, `[{id, key}]` (default: `state.elements`).
// Preloaded: what setup made, `[{id, key?}]`; it must still be there, and its ids must not be handed out again.
//
// Checkers (unknown outcomes bound the answer, never guessed):
//   unique-ids       no id twice in the final state or in two acks; each acked id holds its own key
//   items            acknowledged adds present once; nothing present that was never attempted or that
//                    answered fail; unknown adds counted as recovered (present) or absent
//   batch-atomicity  a batch's adds all present or all absent (all present when ok, all absent when fail)
import type { Checker, Json } from '../../types.js';
import { batchAtomicityChecker } from './batch-atomicity.js';
import { membershipChecker } from './membership.js';
import { uniqueIdsChecker } from './unique-ids.js';
import { SetVocabulary, type SetModelOptions } from './vocabulary.js';

export type { SetElement, SetModelOptions } from './vocabulary.js';
export { SetVocabulary } from './vocabulary.js';

export interface SetModel<S> {
  uniqueIds: Checker<S>;
  items: Checker<S>;
  batchAtomicity: Checker<S>;
  /** unique-ids and items: what every set scenario runs (add batchAtomicity when it has batches). */
  checks: Checker<S>[];
  vocabulary: SetVocabulary<S>;
}

export function setModel<S = { elements: { id: string | number; key: string }[] }>(
  options: SetModelOptions<S> = {},
): SetModel<S> {
  const vocabulary = new SetVocabulary(options);
  const keyField = options.keyField ?? 'key';
  const preloadKey = (p: { [k: string]: Json }): string | null => {
    const key = p[keyField];
    return typeof key === 'string' ? key : typeof key === 'number' ? String(key) : null;
  };
  const uniqueIds = uniqueIdsChecker(vocabulary, preloadKey);
  const items = membershipChecker(vocabulary, preloadKey);
  const batchAtomicity = batchAtomicityChecker(vocabulary);
  return { uniqueIds, items, batchAtomicity, checks: [uniqueIds, items], vocabulary };
}
