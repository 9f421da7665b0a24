// The ops of a run as a re-readable stream: every iteration reads the history from disk again, in
// chunks, and pairs invokes with completions on the fly, so checkers and reports never need all ops in
// memory at once (a million ops would be several hundred MB as objects). What one iteration holds is one
// chunk per file and the ops still open: at most one per agent.
import { join } from 'node:path';
import type { ResultMapper } from '../results/map-results.js';
import type { OpRecord } from '../types.js';
import { mergeByTime } from './merge.js';
import { Pairer } from './pair.js';
import { HistoryFileReader } from './reader.js';

export class OpLog implements Iterable<OpRecord> {
  private constructor(
    /** The files read: history.jsonl, or a crashed run's parts (merged by time on the fly). */
    readonly files: readonly string[],
    /** Ops in the history (one per invoke). */
    readonly count: number,
    /** Ops with no completion (the run was cut short). */
    readonly pending: number,
    /** Files whose torn last line was dropped. */
    readonly truncated: readonly string[],
    /** How exec ops' recorded output becomes their value (default: stdout as JSON, else text). */
    private readonly mapResult?: ResultMapper,
  ) {}

  /** The same history, its exec results read the way a target says (ExecResults' parse and reason). */
  withResults(mapResult: ResultMapper): OpLog {
    return new OpLog(this.files, this.count, this.pending, this.truncated, mapResult);
  }

  /**
   * Read the history once, checking that it parses and pairs (a history that does not is reported now,
   * naming the file, not halfway through a checker) and counting its ops.
   */
  static open(files: readonly string[]): OpLog {
    let count = 0;
    let pending = 0;
    let truncated: string[] = [];
    for (const op of pairAll(files, (torn) => (truncated = torn))) {
      count++;
      if (op.outcome === 'pending') pending++;
    }
    return new OpLog(files, count, pending, truncated);
  }

  /** A run folder's history.jsonl. */
  static ofRun(runDir: string): OpLog {
    return OpLog.open([join(runDir, 'history.jsonl')]);
  }

  /**
   * Ops in the order they completed, then the ops left pending, in invoke order. The same order every
   * time, so a position in one iteration names the same op in the next (the report links findings so).
   */
  [Symbol.iterator](): Iterator<OpRecord> {
    return pairAll(this.files, undefined, this.mapResult);
  }
}

/** One pass over the files, pairing as it goes; `onEnd` learns which files had a torn last line. */
function* pairAll(
  files: readonly string[],
  onEnd?: (truncated: string[]) => void,
  mapResult?: ResultMapper,
): Generator<OpRecord, void, undefined> {
  const readers: HistoryFileReader[] = [];
  try {
    for (const file of files) readers.push(new HistoryFileReader(file));
    const events = readers.length === 1 ? (readers[0] as HistoryFileReader) : mergeByTime(readers);
    const pairer = new Pairer(mapResult);
    for (const event of events) {
      let done: OpRecord | null;
      try {
        done = pairer.add(event);
      } catch (error) {
        // Name the history the bad pair is in; the pairer knows only agent and seq.
        throw new Error(`${files[0] ?? 'history'}: ${(error as Error).message}`, { cause: error });
      }
      if (done) yield done;
    }
    yield* pairer.pending();
    onEnd?.(files.filter((_, i) => readers[i]?.truncatedTail));
  } finally {
    for (const reader of readers) reader.close();
  }
}
