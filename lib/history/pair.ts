// Turns the flat event stream of history.jsonl into one record per op.
// Pairing problems are harness bugs (the harness writes both halves), so they throw
// rather than being papered over: a checker fed a mis-paired history would lie.
import { defaultResultMapper, type ResultMapper } from '../results/map-results.js';
import type { HistoryEvent, OpRecord } from '../types.js';
import { HistoryFileReader } from './reader.js';

const opLabel = (agent: number, seq: number): string => `agent a${agent} seq ${seq}`;

/**
 * Pairs events as they come, holding only the ops still open: an agent runs its ops one after another,
 * so that is at most one per agent. Each agent's ops are invoked in plan order (ascending seq), which is
 * what lets a repeated invoke or completion be told apart from a new one without remembering every op.
 */
export class Pairer {
  /** Open ops by `agent:seq`, in invoke order. */
  private readonly open = new Map<string, OpRecord>();
  /** Each agent's last invoked seq. */
  private readonly lastInvoked = new Map<number, number>();

  /** `mapResult` turns an exec op's recorded output into its value and reason (the target's results). */
  constructor(private readonly mapResult: ResultMapper = defaultResultMapper) {}

  /** Take one event; returns the op it completes, or null (an invoke). */
  add(event: HistoryEvent): OpRecord | null {
    const key = `${event.agent}:${event.seq}`;
    const last = this.lastInvoked.get(event.agent);
    if (event.type === 'invoke') {
      if (this.open.has(key) || last === event.seq)
        throw new Error(`history: duplicate invoke for ${opLabel(event.agent, event.seq)} (harness bug)`);
      if (last !== undefined && event.seq < last) {
        throw new Error(
          `history: invoke for ${opLabel(event.agent, event.seq)} after seq ${last}; each agent's ops are invoked in plan order (harness bug)`,
        );
      }
      this.lastInvoked.set(event.agent, event.seq);
      this.open.set(key, {
        agent: event.agent,
        seq: event.seq,
        f: event.f,
        value: event.value,
        outcome: 'pending',
        result: null,
        start: event.time,
        end: null,
      });
      return null;
    }
    const record = this.open.get(key);
    if (!record) {
      const why = last !== undefined && event.seq <= last ? 'duplicate completion' : 'completion without invoke';
      throw new Error(`history: ${why} (${event.type}) for ${opLabel(event.agent, event.seq)} (harness bug)`);
    }
    if (record.f !== event.f) {
      throw new Error(
        `history: ${opLabel(event.agent, event.seq)} was invoked as '${record.f}' but completed as '${event.f}' (harness bug)`,
      );
    }
    record.outcome = event.type;
    // Only an ok completion carries a result; fail/info carry null by contract.
    record.result = event.type === 'ok' ? event.value : null;
    if (event.error !== undefined) record.error = event.error;
    if (event.out !== undefined) record.out = event.out;
    record.end = event.time;
    this.open.delete(key);
    return this.mapResult(record);
  }

  /** The ops invoked but never completed (the run was cut short), in invoke order, still `pending`. */
  pending(): OpRecord[] {
    return [...this.open.values()];
  }
}

/**
 * Pair each invoke with the completion of the same (agent, seq). Records come out in the order the ops
 * completed, then the ops that never completed (`pending`) in invoke order: the order an OpLog streams.
 */
export function pairHistory(events: Iterable<HistoryEvent>, mapResult?: ResultMapper): OpRecord[] {
  const pairer = new Pairer(mapResult);
  const records: OpRecord[] = [];
  for (const event of events) {
    const done = pairer.add(event);
    if (done) records.push(done);
  }
  for (const record of pairer.pending()) records.push(record);
  return records;
}

export interface HistoryFile {
  events: HistoryEvent[];
  /** True when the last line was torn (the writer died mid-line) and was dropped. */
  truncatedTail: boolean;
}

/**
 * Parse a whole history.jsonl file into memory (small histories, tests). Runs and `stampede report` stream
 * it instead (OpLog). The writer appends whole lines, so only the very last line can be torn by a crash;
 * that one is dropped and reported. Any other bad line is a real problem.
 */
export async function readHistoryFile(path: string): Promise<HistoryFile> {
  const reader = new HistoryFileReader(path);
  const events: HistoryEvent[] = [];
  for (const event of reader) events.push(event);
  return { events, truncatedTail: reader.truncatedTail };
}
