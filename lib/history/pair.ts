// Turns the flat event stream of history.jsonl into one record per op.
// Pairing problems are harness bugs (the harness writes both halves), so they throw
// rather than being papered over: a checker fed a mis-paired history would lie.
import { readFile } from 'node:fs/promises';
import type { HistoryEvent, Json, OpRecord } from '../types.js';

const EVENT_TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

const opLabel = (agent: number, seq: number): string => `agent a${agent} seq ${seq}`;

/**
 * Pair each invoke with the completion of the same (agent, seq).
 * Records come out in invoke order. An invoke without a completion becomes `pending`.
 */
export function pairHistory(events: HistoryEvent[]): OpRecord[] {
  const records: OpRecord[] = [];
  const open = new Map<string, OpRecord>();
  const closed = new Set<string>();
  for (const event of events) {
    const key = `${event.agent}:${event.seq}`;
    if (event.type === 'invoke') {
      if (open.has(key) || closed.has(key)) throw new Error(`history: duplicate invoke for ${opLabel(event.agent, event.seq)} (harness bug)`);
      const record: OpRecord = {
        agent: event.agent,
        seq: event.seq,
        f: event.f,
        value: event.value,
        outcome: 'pending',
        result: null,
        start: event.time,
        end: null,
      };
      open.set(key, record);
      records.push(record);
      continue;
    }
    const record = open.get(key);
    if (!record) {
      const why = closed.has(key) ? 'duplicate completion' : 'completion without invoke';
      throw new Error(`history: ${why} (${event.type}) for ${opLabel(event.agent, event.seq)} (harness bug)`);
    }
    if (record.f !== event.f) {
      throw new Error(`history: ${opLabel(event.agent, event.seq)} was invoked as '${record.f}' but completed as '${event.f}' (harness bug)`);
    }
    record.outcome = event.type;
    // Only an ok completion carries a result; fail/info carry null by contract.
    record.result = event.type === 'ok' ? event.value : null;
    if (event.error !== undefined) record.error = event.error;
    record.end = event.time;
    open.delete(key);
    closed.add(key);
  }
  return records;
}

export interface HistoryFile {
  events: HistoryEvent[];
  /** True when the last line was torn (the writer died mid-line) and was dropped. */
  truncatedTail: boolean;
}

/** Why `value` is not a HistoryEvent, or null when it is one. */
function eventProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  if (typeof e.type !== 'string' || !EVENT_TYPES.has(e.type)) return `bad type ${JSON.stringify(e.type)}`;
  if (!Number.isInteger(e.agent)) return 'agent is not an integer';
  if (!Number.isInteger(e.seq)) return 'seq is not an integer';
  if (typeof e.f !== 'string') return 'f is not a string';
  if (!('value' in e)) return 'value is missing';
  if (typeof e.time !== 'number') return 'time is not a number';
  if (e.error !== undefined && typeof e.error !== 'string') return 'error is not a string';
  return null;
}

/**
 * Parse a history.jsonl file. The writer appends whole lines, so only the very last line can be
 * torn by a crash; that one is dropped and reported. Any other bad line is a real problem.
 */
export async function readHistoryFile(path: string): Promise<HistoryFile> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  // A file ending in '\n' leaves one empty segment after it; it is not a line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const events: HistoryEvent[] = [];
  let truncatedTail = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    const isLast = i === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line) as Json;
    } catch (err) {
      if (isLast) {
        truncatedTail = true;
        break;
      }
      throw new Error(`${path}:${i + 1}: history line does not parse (${(err as Error).message}): ${line.slice(0, 120)}`, { cause: err });
    }
    const problem = eventProblem(parsed);
    if (problem) throw new Error(`${path}:${i + 1}: not a history event (${problem}): ${line.slice(0, 120)}`);
    events.push(parsed as HistoryEvent);
  }
  return { events, truncatedTail };
}
