// The tracker in the models' words: its creates (keyed by title) and batches are the set model's adds,
// its comments (per issue) the counter model's increments, its final state the issues it holds.
import { counterModel } from '../../lib/models/counter/index.js';
import { setModel } from '../../lib/models/set/index.js';
import { asObject, normaliseId } from '../../lib/checkers/words.js';
import type { Json } from '../../lib/types.js';
import type { StoreSnapshot } from './store.js';

export type TrackerState = StoreSnapshot;

export const trackerSet = setModel<TrackerState>({
  add: 'create',
  keyField: 'title',
  batch: 'batch',
  elements: (state) => state.items.map((issue) => ({ id: issue.id, key: issue.title })),
});

/** Issue ids an op increments by one each: a `comment`, or the comment sub-ops of a batch. */
export function commentTargets(op: { f: string; value: Json }): string[] {
  const subs =
    op.f === 'comment'
      ? [{ f: 'comment', value: op.value }]
      : op.f === 'batch'
        ? ((asObject(op.value)?.ops ?? []) as Json[]).map((sub) => asObject(sub) ?? {})
        : [];
  const ids: string[] = [];
  for (const sub of subs) {
    if (sub.f !== 'comment') continue;
    const id = normaliseId(asObject(sub.value)?.id);
    if (id !== null) ids.push(id);
  }
  return ids;
}

export const trackerCounter = counterModel<TrackerState>({
  increments: (op) => commentTargets(op).map((key) => ({ key, by: 1 })),
  final: (state) => state.items.map((issue) => [issue.id, issue.comments ?? 0] as const),
});
