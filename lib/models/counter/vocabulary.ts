// How the counter model reads a target's ops and state: which increments an op carries, what a read saw,
// and each counter's final value.
import type { Json, OpRecord } from '../../types.js';
import { asObject } from '../../checkers/words.js';

export interface Increment {
  key: string;
  by: number;
}

export interface CounterModelOptions<S> {
  /** The op that increments. Default `incr`. */
  incr?: string;
  /** The op that reads. Default `read`. */
  read?: string;
  /** Which increments an op carries (a batch may carry several). Default: an `incr` op's `{key, by}`. */
  increments?: (op: { f: string; value: Json }) => Increment[];
  /** What an ok read saw. Default: the result when it is a number, else its `value`. */
  readValue?: (result: Json) => number | null;
  /** Each counter's final value, as [key, value] pairs (a key twice is reported, not guessed). Default: `state.counters`. */
  final?: (state: S) => Iterable<readonly [string, unknown]>;
  /** A counter's value before the run. Default 0. */
  initial?: (key: string) => number;
}

const DEFAULT_KEY = 'counter';

export class CounterVocabulary<S> {
  readonly incr: string;
  readonly read: string;
  private readonly options: CounterModelOptions<S>;

  constructor(options: CounterModelOptions<S> = {}) {
    this.incr = options.incr ?? 'incr';
    this.read = options.read ?? 'read';
    this.options = options;
  }

  increments(op: Pick<OpRecord, 'f' | 'value'>): Increment[] {
    if (this.options.increments) return this.options.increments(op);
    if (op.f !== this.incr) return [];
    const value = asObject(op.value);
    const by = value?.by;
    return [{ key: keyOf(value?.key), by: typeof by === 'number' ? by : 1 }];
  }

  /** The key an ok read is about, or null when the op is not a read. */
  readKey(op: Pick<OpRecord, 'f' | 'value'>): string | null {
    return op.f === this.read ? keyOf(asObject(op.value)?.key) : null;
  }

  readValue(result: Json): number | null {
    if (this.options.readValue) return this.options.readValue(result);
    if (typeof result === 'number') return result;
    const value = asObject(result)?.value;
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
    return null;
  }

  final(state: S): [string, unknown][] {
    if (this.options.final) return [...this.options.final(state)].map(([k, v]) => [k, v]);
    const counters = asObject(asObject(state)?.counters);
    if (!counters)
      throw new Error(
        'the counter model found no counters in the final state (give `final: (state) => [[key, value], ...]`)',
      );
    return Object.entries(counters);
  }

  initial(key: string): number {
    return this.options.initial?.(key) ?? 0;
  }
}

function keyOf(value: Json | undefined): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : DEFAULT_KEY;
}
