// Shared, pure helpers for the checkers of the "items" model: which titles an op creates,
// which ids an ack returned, which comment increments an op carries, and how to say so in words.
import type { CheckResult, Item, Json, OpRecord, OpStream, Outcome, Verdict } from '../types.js';

export type JsonObject = { [key: string]: Json };

export function asObject(value: Json | undefined): JsonObject | null {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** Targets may hand ids back as strings or numbers; checkers compare them as strings. */
export function normaliseId(value: Json | undefined): string | null {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** `info` and `pending` both mean: may or may not have happened. */
export function isUnknown(outcome: Outcome | 'pending'): boolean {
  return outcome === 'info' || outcome === 'pending';
}

export const agentName = (agent: number): string => `a${agent}`;
export const opName = (op: { agent: number; seq: number }): string => `a${op.agent} seq ${op.seq}`;

export interface SubOp {
  f: string;
  value: Json;
}

/** The sub-ops of a batch op (empty for anything else, or for a malformed batch). */
export function batchSubOps(op: Pick<OpRecord, 'f' | 'value'>): SubOp[] {
  if (op.f !== 'batch') return [];
  const ops = asObject(op.value)?.ops;
  if (!Array.isArray(ops)) return [];
  const subs: SubOp[] = [];
  for (const sub of ops) {
    const obj = asObject(sub);
    if (obj && typeof obj.f === 'string') subs.push({ f: obj.f, value: obj.value ?? null });
  }
  return subs;
}

function titleOf(value: Json): string | null {
  const title = asObject(value)?.title;
  return typeof title === 'string' ? title : null;
}

/** Titles an op tries to create, in order: a create's title, or the titles of a batch's creates. */
export function createdTitles(op: Pick<OpRecord, 'f' | 'value'>): string[] {
  if (op.f === 'create') {
    const title = titleOf(op.value);
    return title === null ? [] : [title];
  }
  const titles: string[] = [];
  for (const sub of batchSubOps(op)) {
    if (sub.f !== 'create') continue;
    const title = titleOf(sub.value);
    if (title !== null) titles.push(title);
  }
  return titles;
}

/**
 * The ids an ok create or batch returned, normalised: a create answers `{id}` (a bare id is
 * accepted too), a batch answers `{ids: [...]}` (a bare array is accepted too).
 * null when the result carries no id list at all; entries are null where an id is malformed.
 */
export function resultIds(op: Pick<OpRecord, 'f' | 'result'>): (string | null)[] | null {
  if (op.f === 'create') {
    const id = normaliseId(asObject(op.result)?.id ?? op.result);
    return id === null ? null : [id];
  }
  if (op.f === 'batch') {
    const ids = Array.isArray(op.result) ? op.result : asObject(op.result)?.ids;
    return Array.isArray(ids) ? ids.map((id) => normaliseId(id)) : null;
  }
  return null;
}

/** Item ids an op increments by one each: a `comment`, or the comment sub-ops of a batch. */
export function commentTargets(op: Pick<OpRecord, 'f' | 'value'>): string[] {
  const subs: SubOp[] = op.f === 'comment' ? [{ f: 'comment', value: op.value }] : batchSubOps(op);
  const ids: string[] = [];
  for (const sub of subs) {
    if (sub.f !== 'comment') continue;
    const id = normaliseId(asObject(sub.value)?.id);
    if (id !== null) ids.push(id);
  }
  return ids;
}

/** One title one op tried to create, with the id its ack returned (ok ops only, when well-formed). */
export interface CreateAttempt {
  title: string;
  agent: number;
  seq: number;
  f: string;
  outcome: Outcome | 'pending';
  id: string | null;
}

/** The titles one op tried to create (a batch gives one per create sub-op), with the ids its ack returned. */
export function createAttemptsOf(op: OpRecord): CreateAttempt[] {
  const titles = createdTitles(op);
  if (titles.length === 0) return [];
  const ids = op.outcome === 'ok' ? resultIds(op) : null;
  return titles.map((title, i) => {
    // Only trust positional ids when the ack's list lines up with the creates.
    const id = ids && ids.length === titles.length ? (ids[i] ?? null) : null;
    return { title, agent: op.agent, seq: op.seq, f: op.f, outcome: op.outcome, id };
  });
}

/** Every title every op tried to create, flattened (a batch contributes one per create sub-op). */
export function createAttempts(ops: OpStream): CreateAttempt[] {
  const attempts: CreateAttempt[] = [];
  for (const op of ops) for (const attempt of createAttemptsOf(op)) attempts.push(attempt);
  return attempts;
}

export function groupBy<T>(values: Iterable<T>, key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}

export const itemsByTitle = (items: readonly Item[]): Map<string, Item[]> => groupBy(items, (item) => item.title);
export const itemsById = (items: readonly Item[]): Map<string, Item[]> => groupBy(items, (item) => String(item.id));

/** A title or text in single quotes, control characters escaped, cut to `max` characters. */
export function quote(text: string, max = 60): string {
  const escaped = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${escaped.length > max ? `${escaped.slice(0, max)}...` : escaped}'`;
}

/** "x, y, z" or "x, y, z and 7 more": keeps details readable when thousands of things went wrong. */
export function listSome(values: readonly string[], max = 10, separator = ', '): string {
  if (values.length <= max) return values.join(separator);
  return `${values.slice(0, max).join(separator)}${separator}and ${values.length - max} more`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Sorted distinct agent names, e.g. "a2, a5". */
export function agentList(agents: Iterable<number>): string {
  return [...new Set(agents)].sort((a, b) => a - b).map(agentName).join(', ');
}

export function result(name: string, verdict: Verdict, details: string, data?: JsonObject): CheckResult {
  return data === undefined ? { name, verdict, details } : { name, verdict, details, data };
}
