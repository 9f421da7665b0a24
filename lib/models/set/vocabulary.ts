// How the set model reads a target's ops and state: which keys an op adds, which ids its ack returned,
// and which elements the final state holds. The defaults are the model's own vocabulary (`add` with
// `{key}`, `batch` with `{ops}`, state `{elements: [{id, key}]}`); a target maps its own words onto it.
import type { Id, Json, OpRecord, Outcome } from '../../types.js';
import { asObject, groupBy, normaliseId } from '../../checkers/words.js';

/** One element of the final state: its id and the key that says which add made it. */
export interface SetElement {
  id: Id;
  key: string;
}

export interface SetModelOptions<S> {
  /** The op that adds one element. Default `add`. */
  add?: string;
  /** The field of an add's value that holds its key (unique per add). Default `key`. */
  keyField?: string;
  /** The op whose value `{ops: [...]}` runs sub-ops all-or-nothing, answering `{ids: [...]}`. Default `batch`. */
  batch?: string;
  /** The elements in the final state. Default `state.elements`. */
  elements?: (state: S) => readonly SetElement[];
}

/** One key one op tried to add, with the id its ack returned (ok ops only, when well-formed). */
export interface AddAttempt {
  key: string;
  agent: number;
  seq: number;
  f: string;
  outcome: Outcome | 'pending';
  id: string | null;
}

export interface SubOp {
  f: string;
  value: Json;
}

export class SetVocabulary<S> {
  readonly add: string;
  readonly batch: string;
  private readonly keyField: string;
  private readonly elementsOf: (state: S) => readonly SetElement[];

  constructor(options: SetModelOptions<S> = {}) {
    this.add = options.add ?? 'add';
    this.batch = options.batch ?? 'batch';
    this.keyField = options.keyField ?? 'key';
    this.elementsOf = options.elements ?? ((state) => asObject(state)?.elements as unknown as SetElement[]);
  }

  /** The final state's elements, ids as strings; a state without a list is an error the checker reports. */
  elements(state: S): { id: string; key: string }[] {
    const list = this.elementsOf(state);
    if (!Array.isArray(list))
      throw new Error('the set model found no element list in the final state (give `elements: (state) => [...]`)');
    return list.map((e) => ({ id: normaliseId(e.id) ?? String(e.id), key: String(e.key) }));
  }

  /** The sub-ops of a batch op (empty for anything else, or for a malformed batch). */
  batchSubOps(op: Pick<OpRecord, 'f' | 'value'>): SubOp[] {
    if (op.f !== this.batch) return [];
    const ops = asObject(op.value)?.ops;
    if (!Array.isArray(ops)) return [];
    const subs: SubOp[] = [];
    for (const sub of ops) {
      const obj = asObject(sub);
      if (obj && typeof obj.f === 'string') subs.push({ f: obj.f, value: obj.value ?? null });
    }
    return subs;
  }

  private keyOf(value: Json): string | null {
    const key = asObject(value)?.[this.keyField];
    return typeof key === 'string' ? key : typeof key === 'number' ? String(key) : null;
  }

  /** Keys an op tries to add, in order: an add's key, or the keys of a batch's adds. */
  addedKeys(op: Pick<OpRecord, 'f' | 'value'>): string[] {
    if (op.f === this.add) {
      const key = this.keyOf(op.value);
      return key === null ? [] : [key];
    }
    const keys: string[] = [];
    for (const sub of this.batchSubOps(op)) {
      if (sub.f !== this.add) continue;
      const key = this.keyOf(sub.value);
      if (key !== null) keys.push(key);
    }
    return keys;
  }

  /**
   * The ids an ok add or batch returned, normalised: an add answers `{id}` (a bare id is accepted too), a
   * batch `{ids: [...]}` (a bare array too). null when the result carries no id list; entries null where malformed.
   */
  resultIds(op: Pick<OpRecord, 'f' | 'result'>): (string | null)[] | null {
    if (op.f === this.add) {
      const id = normaliseId(asObject(op.result)?.id ?? op.result);
      return id === null ? null : [id];
    }
    if (op.f === this.batch) {
      const ids = Array.isArray(op.result) ? op.result : asObject(op.result)?.ids;
      return Array.isArray(ids) ? ids.map((id) => normaliseId(id)) : null;
    }
    return null;
  }

  /** The keys one op tried to add (a batch gives one per add sub-op), with the ids its ack returned. */
  attemptsOf(op: OpRecord): AddAttempt[] {
    const keys = this.addedKeys(op);
    if (keys.length === 0) return [];
    const ids = op.outcome === 'ok' ? this.resultIds(op) : null;
    return keys.map((key, i) => {
      // Only trust positional ids when the ack's list lines up with the adds.
      const id = ids && ids.length === keys.length ? (ids[i] ?? null) : null;
      return { key, agent: op.agent, seq: op.seq, f: op.f, outcome: op.outcome, id };
    });
  }

  /** Every key every op tried to add, flattened. */
  attempts(ops: Iterable<OpRecord>): AddAttempt[] {
    const out: AddAttempt[] = [];
    for (const op of ops) for (const attempt of this.attemptsOf(op)) out.push(attempt);
    return out;
  }
}

export const byKey = (elements: readonly { id: string; key: string }[]): Map<string, { id: string; key: string }[]> =>
  groupBy(elements, (e) => e.key);
export const byId = (elements: readonly { id: string; key: string }[]): Map<string, { id: string; key: string }[]> =>
  groupBy(elements, (e) => e.id);
