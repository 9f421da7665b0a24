// Merge the worker threads' history parts into one history.jsonl, ordered by time.
// The parts are removed only after the merged file is safely written.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from '../types.js';
import { readHistoryFile } from './pair.js';

const PART = /^history\.part-\d+\.jsonl$/;

export interface MergedHistory {
  events: HistoryEvent[];
  /** Parts whose last line was torn (a thread died mid-write). */
  truncatedParts: string[];
}

export async function mergeHistoryParts(runDir: string): Promise<MergedHistory> {
  const parts = readdirSync(runDir).filter((name) => PART.test(name)).sort();
  const events: HistoryEvent[] = [];
  const truncatedParts: string[] = [];
  for (const part of parts) {
    const read = await readHistoryFile(join(runDir, part));
    // Not push(...events): spreading 100k+ arguments overflows the call stack.
    for (const event of read.events) events.push(event);
    if (read.truncatedTail) truncatedParts.push(part);
  }
  // Stable sort: within one op the invoke was written first, and equal times keep file order.
  events.sort((a, b) => a.time - b.time);
  const tmp = join(runDir, 'history.jsonl.tmp');
  writeFileSync(tmp, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  renameSync(tmp, join(runDir, 'history.jsonl'));
  for (const part of parts) rmSync(join(runDir, part));
  return { events, truncatedParts };
}
