// The visibility model: agents write and other agents read; how long after its ack does a write become
// visible to the others (a daemon that exports its state, a cache, a replica, an index)? Seed 003's
// event-driven daemon promises "< 500 ms" where polling took up to 5 s.
//
// Ops (the model's vocabulary; a target maps its own words with VisibilityModelOptions):
//   {f: 'set',  value: {key: string, ...}}   ok -> anything. The key is unique to the write in the run
//                                            (the token a read looks for: a fresh key, or key + version).
//   {f: 'read', value: anything}             ok -> what the reader saw: a list of keys, {keys: [...]},
//                                            or {data: {key: value}} (or any shape, with `seen`)
// Final state: what is visible at the end, in a read's shape (default), or with `final`. Read it once
//   the target has settled (its last export done), or writes still on their way are called lost.
//
// Checker (unknown outcomes are never guessed):
//   visibility   each acknowledged write's ack-to-visible time is bounded by other agents' reads:
//                  at least (last read that started after the ack and missed it).start - ack,
//                  at most  (first read that saw it).end - ack
//                (a read's answer holds at some moment between its start and its end, hence start for
//                a miss and end for a hit). The p-th percentile (default 95) lies between the percentile
//                of the lower bounds and that of the upper bounds: fail when the lower one is over
//                budget (proven slow), pass when the upper one is within it, unknown when the budget
//                falls in between (reads too sparse) or fewer than `minObserved` writes could be watched
//                for a whole budget before the reads stopped. Writes acked less than a budget before
//                other agents' last read are left out (not enough watching left to call them slow).
//                Fail too when an acknowledged write is absent from the final state (lost) or was seen
//                and then missed by a read that started later (vanished).
//   Figures (data): p50, p<percentile> and max as {low, high} (high null: never seen), histograms of
//   both bounds, and per-write columns (agent, seq, ack, low, high) for a chart; findings link each
//   slow, lost or vanished write with the reads that bound it.
import type { Checker, Json } from '../../types.js';
import { visibilityChecker } from './checker.js';
import { VisibilityVocabulary, type VisibilityModelOptions } from './vocabulary.js';

export type { Seen, VisibilityModelOptions } from './vocabulary.js';
export { seenIn, VisibilityVocabulary } from './vocabulary.js';
export { VISIBILITY, boundsWords } from './checker.js';
export {
  boundsOf,
  classify,
  judgeVisibility,
  nearestRank,
  percentileBounds,
  VisibilityObserver,
  type Bounds,
  type ReadRef,
  type VisibilityJudgement,
  type WriteSpan,
} from './intervals.js';

export interface VisibilityModel<S> {
  visibility: Checker<S>;
  /** visibility. */
  checks: Checker<S>[];
  vocabulary: VisibilityVocabulary<S>;
}

export function visibilityModel<S = { data: { [key: string]: Json } }>(
  options: VisibilityModelOptions<S> = {},
): VisibilityModel<S> {
  const vocabulary = new VisibilityVocabulary(options);
  const visibility = visibilityChecker(vocabulary);
  return { visibility, checks: [visibility], vocabulary };
}
