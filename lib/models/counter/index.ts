// The counter model: many agents increment shared counters and read them; no increment may be lost or
// invented, and no read may see the past or the future.
//
// Ops (the model's vocabulary; a target maps its own words with CounterModelOptions):
//   {f: 'incr', value: {key?: string, by?: number}}   ok -> anything (key defaults to 'counter', by to 1)
//   {f: 'read', value: {key?: string}}                ok -> the value read: a number, or {value: number}
// Final state: each counter's value (default: `state.counters`, an object of key -> number).
//
// Checkers (unknown outcomes bound the answer, never guessed):
//   counters       each counter's final value lies in [initial + acknowledged, initial + acknowledged + unknown]:
//                  below is lost updates, above is phantom increments (applied twice, or by an op that said fail)
//   counter-reads  a read is never below initial + the acknowledged increments that completed before it
//                  started, nor above initial + every increment (not failed) invoked before it ended
// Increments must be >= 0 for the read bounds; the final-value bound holds for any integer increment.
import type { Checker, Json } from '../../types.js';
import { finalValueChecker } from './final-value.js';
import { readBoundsChecker } from './read-bounds.js';
import { CounterVocabulary, type CounterModelOptions } from './vocabulary.js';

export type { CounterModelOptions, Increment } from './vocabulary.js';
export { CounterVocabulary } from './vocabulary.js';

export interface CounterModel<S> {
  counters: Checker<S>;
  reads: Checker<S>;
  /** counters and counter-reads. */
  checks: Checker<S>[];
  vocabulary: CounterVocabulary<S>;
}

export function counterModel<S = { counters: { [key: string]: Json } }>(
  options: CounterModelOptions<S> = {},
): CounterModel<S> {
  const vocabulary = new CounterVocabulary(options);
  const counters = finalValueChecker(vocabulary);
  const reads = readBoundsChecker(vocabulary);
  return { counters, reads, checks: [counters, reads], vocabulary };
}
