// Small pure helpers every checker uses: reading JSON values, naming ops and agents, and saying
// counts in words that stay readable when thousands of things went wrong.
import type { CheckResult, Finding, Id, Json, Outcome, Verdict } from '../types.js';

export type JsonObject = { [key: string]: Json };

export function asObject(value: unknown): JsonObject | null {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : null;
}

/** Targets hand ids back as strings or numbers; checkers compare them as strings. */
export function normaliseId(value: Json | Id | undefined): string | null {
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
export const opRef = (op: { agent: number; seq: number }): { agent: number; seq: number } => ({
  agent: op.agent,
  seq: op.seq,
});

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

/** A text in single quotes, control characters escaped, cut to `max` characters. */
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
  return [...new Set(agents)]
    .sort((a, b) => a - b)
    .map(agentName)
    .join(', ');
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** Findings a report draws at most per check: enough to click through, not a million DOM nodes. */
export const MAX_FINDINGS = 200;

export function result(
  name: string,
  verdict: Verdict,
  details: string,
  data?: JsonObject,
  findings?: Finding[],
): CheckResult {
  const out: CheckResult = { name, verdict, details };
  if (data !== undefined) out.data = data;
  if (findings !== undefined && findings.length > 0) out.findings = findings.slice(0, MAX_FINDINGS);
  return out;
}
