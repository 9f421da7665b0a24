// Merge the worker threads' history parts into one history.jsonl, ordered by time. Each thread writes
// its own part in time order, so a k-way merge reading every part line by line gives the same order as
// sorting all events (stable) would, in memory for one event per part.
// The parts are removed only after the merged file is safely written.
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedWriter } from '../io/buffered-writer.js';
import type { HistoryEvent } from '../types.js';
import { HistoryFileReader } from './reader.js';

const PART = /^history\.part-(\d+)\.jsonl$/;

/** The history parts in a run folder, by thread number. */
export function historyParts(runDir: string): string[] {
  return readdirSync(runDir)
    .filter((name) => PART.test(name))
    .sort((a, b) => partNumber(a) - partNumber(b));
}

function partNumber(name: string): number {
  return Number(PART.exec(name)?.[1] ?? 0);
}

/**
 * Events from several time-ordered readers, by time. Equal times keep reader order (the earlier reader
 * first), and each reader's own order is kept (an op's invoke before its completion): exactly what a
 * stable sort of the readers' events, concatenated, gives. A reader whose times go backwards cannot be
 * merged this way; that is a harness bug (a thread writes its events as they happen) and throws.
 */
export function* mergeByTime(readers: readonly HistoryFileReader[]): Generator<HistoryEvent, void, undefined> {
  try {
    const heads: (HistoryEvent | null)[] = readers.map((reader) => nextOf(reader, null));
    for (;;) {
      // A linear scan: there is one part per thread, a handful.
      let pick = -1;
      let time = Infinity;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head && (pick === -1 || head.time < time)) {
          pick = i;
          time = head.time;
        }
      }
      if (pick === -1) return;
      const reader = readers[pick] as HistoryFileReader;
      const event = heads[pick] as HistoryEvent;
      heads[pick] = nextOf(reader, event);
      yield event;
    }
  } finally {
    for (const reader of readers) reader.close();
  }
}

function nextOf(reader: HistoryFileReader, previous: HistoryEvent | null): HistoryEvent | null {
  const next = reader.next();
  if (next.done) return null;
  if (previous && next.value.time < previous.time) {
    throw new Error(
      `${reader.path}:${reader.line}: time ${next.value.time} is before the previous line's ${previous.time}; a thread's history part must be in time order (harness bug)`,
    );
  }
  return next.value;
}

export interface MergedHistory {
  /** Lines written to history.jsonl. */
  events: number;
  /** Parts whose last line was torn (a thread died mid-write). */
  truncatedParts: string[];
}

export function mergeHistoryParts(runDir: string): MergedHistory {
  const parts = historyParts(runDir);
  const readers: HistoryFileReader[] = [];
  const tmp = join(runDir, 'history.jsonl.tmp');
  const out = new BufferedWriter(tmp);
  let events = 0;
  try {
    for (const part of parts) readers.push(new HistoryFileReader(join(runDir, part)));
    for (const event of mergeByTime(readers)) {
      out.write(`${JSON.stringify(event)}\n`);
      events++;
    }
    out.close();
  } catch (error) {
    // Leave the parts as they are (they are the record) and no half-merged file beside them.
    out.discard();
    rmSync(tmp, { force: true });
    for (const reader of readers) reader.close();
    throw error;
  }
  renameSync(tmp, join(runDir, 'history.jsonl'));
  for (const part of parts) rmSync(join(runDir, part));
  return { events, truncatedParts: parts.filter((_, i) => readers[i]?.truncatedTail) };
}
