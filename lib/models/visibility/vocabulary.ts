// How the visibility model reads a target's ops and state: the token each write makes visible, which
// tokens a read saw, and which are visible at the end. The defaults are the model's own vocabulary
// (`set` with `{key}`, `read` answering `{keys: [...]}`, `{data: {key: value}}` or a list of keys);
// a target maps its own words onto it.
import type { Json, OpRecord } from '../../types.js';
import { asObject } from '../../checkers/words.js';

/** Whether a read (or the final state) shows a token. */
export type Seen = (token: string) => boolean;

export interface VisibilityModelOptions<S> {
  /** The op that writes. Default `set`. */
  write?: string;
  /** The op that reads. Default `read`. */
  read?: string;
  /**
   * What an ok write makes visible: a token unique to that write in the run (a fresh key, or key and
   * version), or null when the op writes nothing. Default: a write's `value.key`.
   */
  token?: (op: { f: string; value: Json }) => string | null;
  /** What an ok read saw, as a test for tokens; null when its result does not say. Default: see `seenIn`. */
  seen?: (result: Json) => Seen | null;
  /** What the final state shows, as a test for tokens; null when it does not say. Default: `seen` of the state. */
  final?: (state: S) => Seen | null;
  /** The visibility budget in ms: the percentile below must be at most this. Default 500 (seed 003's target). */
  budgetMs?: number;
  /** Which percentile of ack-to-visible the budget holds (1..100). Default 95. */
  percentile?: number;
  /** Fewer observed writes than this and the verdict is `unknown`. Default 10. */
  minObserved?: number;
}

/**
 * The default reading of a read's result: a list of keys, `{keys: [...]}`, or `{data: {key: value}}`
 * (an object whose keys are the tokens); null for anything else.
 */
export function seenIn(result: unknown): Seen | null {
  const obj = asObject(result);
  const list = Array.isArray(result) ? result : Array.isArray(obj?.keys) ? obj.keys : null;
  if (list) {
    const keys = new Set(list.filter((k) => typeof k === 'string' || typeof k === 'number').map(String));
    return (token) => keys.has(token);
  }
  const data = asObject(obj?.data);
  if (data) return (token) => Object.hasOwn(data, token);
  return null;
}

function keyOf(value: Json): string | null {
  const key = asObject(value)?.key;
  return typeof key === 'string' ? key : typeof key === 'number' ? String(key) : null;
}

export class VisibilityVocabulary<S> {
  readonly write: string;
  readonly read: string;
  readonly budgetMs: number;
  readonly percentile: number;
  readonly minObserved: number;
  private readonly options: VisibilityModelOptions<S>;

  constructor(options: VisibilityModelOptions<S> = {}) {
    this.write = options.write ?? 'set';
    this.read = options.read ?? 'read';
    this.budgetMs = options.budgetMs ?? 500;
    this.percentile = options.percentile ?? 95;
    this.minObserved = options.minObserved ?? 10;
    if (!(this.budgetMs >= 0)) throw new Error(`visibility: budgetMs must be >= 0, got ${options.budgetMs}`);
    if (!(this.percentile > 0 && this.percentile <= 100))
      throw new Error(`visibility: percentile must be in (0, 100], got ${options.percentile}`);
    this.options = options;
  }

  /** The token an op writes, or null when it is not a write. */
  token(op: Pick<OpRecord, 'f' | 'value'>): string | null {
    if (this.options.token) return this.options.token(op);
    return op.f === this.write ? keyOf(op.value) : null;
  }

  isRead(op: Pick<OpRecord, 'f'>): boolean {
    return op.f === this.read;
  }

  seen(result: Json): Seen | null {
    return this.options.seen ? this.options.seen(result) : seenIn(result);
  }

  final(state: S): Seen | null {
    return this.options.final ? this.options.final(state) : seenIn(state);
  }
}
