// The tracker's store: `issues.jsonl` (one issue per line) and `counter` (the next id number).
// A mutation takes the lock, reads both, applies, and writes each file through a uniquely named,
// fsynced temp file and an atomic rename. Reads take no lock: a rename is atomic, so a reader
// sees the old file or the new one. The faults of faults.ts hook in here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Corruption } from '../../lib/types.js';
import { EXIT_CRASH_BEFORE_RENAME, EXIT_TORN_WRITE, sleepSync, type FaultSet } from './faults.js';
import { TrackerError, acquireLock, isTransientWindowsError, trace } from './lock.js';

export { TrackerError };

export const STATUSES = ['open', 'closed', 'in_progress'] as const;
export type Status = (typeof STATUSES)[number];

export interface Issue {
  id: string;
  title: string;
  status: string;
  comments: number;
}

export function storePaths(workspace: string): { issues: string; counter: string } {
  return { issues: path.join(workspace, 'issues.jsonl'), counter: path.join(workspace, 'counter') };
}

/** Windows briefly refuses to open or replace a file that another process is renaming or scanning. */
function retryTransient<T>(fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isTransientWindowsError(e) || attempt >= 10) throw e;
      sleepSync(2 ** Math.min(attempt, 5)); // 1, 2, 4 ... 32 ms: well under a second in all
    }
  }
}

/** A file's text, or null when it does not exist. */
function readText(file: string): string | null {
  try {
    return retryTransient(() => fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Lines of a JSONL text; a last line without its newline (a torn write) is kept. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** An issue, or why the line is not one. */
function parseLine(line: string): { issue: Issue; error?: undefined } | { issue?: undefined; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const issue = value as Issue;
  if (typeof issue.id !== 'string' || typeof issue.title !== 'string')
    return { error: 'not an issue (no string id and title)' };
  return { issue };
}

export interface StoreSnapshot {
  items: Issue[];
  corruption: Corruption[];
}

/** Read the store without the lock. A missing file is an empty store; bad lines are reported, not dropped. */
export function readStore(workspace: string): StoreSnapshot {
  const file = storePaths(workspace).issues;
  const items: Issue[] = [];
  const corruption: Corruption[] = [];
  splitLines(readText(file) ?? '').forEach((text, i) => {
    const parsed = parseLine(text);
    if (parsed.issue) items.push(parsed.issue);
    else corruption.push({ file, line: i + 1, text, error: parsed.error });
  });
  return { items, corruption };
}

/** True once `tracker init` (or a target setup) has created the store. */
export function storeExists(workspace: string): boolean {
  const p = storePaths(workspace);
  return fs.existsSync(p.counter) || fs.existsSync(p.issues);
}

export function noStoreError(workspace: string): TrackerError {
  return new TrackerError(`no store in ${workspace}`, 'run `tracker init` first');
}

function readCounter(workspace: string): number {
  const text = readText(storePaths(workspace).counter);
  if (text === null) throw noStoreError(workspace);
  if (!/^\d+\s*$/.test(text))
    throw new TrackerError(
      `counter file is corrupt: ${JSON.stringify(text.slice(0, 40))}`,
      `fix ${storePaths(workspace).counter}`,
    );
  return Number(text);
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Write through a temp file, fsync, and rename over `file`, so readers never see a partial file. */
function writeFileAtomic(file: string, data: string, faults: FaultSet): void {
  // tmp-collision: seed 002's bug. A name from the millisecond clock alone is shared by every
  // writer in that millisecond: 'w' lets the second truncate the first's temp file, and the
  // loser's rename then fails with ENOENT, or renames the other's (or a mixed) content: lost
  // items, even a corrupt line.
  const collide = faults.has('tmp-collision');
  const tmp = collide
    ? `${file}.tmp.${Date.now()}`
    : `${file}.tmp.${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
  const fd = fs.openSync(tmp, collide ? 'w' : 'wx');
  try {
    writeAll(fd, Buffer.from(data, 'utf8'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (faults.has('crash-before-rename')) {
    trace(`crash-before-rename: exiting with ${tmp} written and the lock held`);
    process.exit(EXIT_CRASH_BEFORE_RENAME);
  }
  try {
    retryTransient(() => fs.renameSync(tmp, file));
  } catch (e) {
    // Do not leave our own temp file behind; under tmp-collision it is not ours to remove.
    if (!collide) fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * torn-write: write the file in place, in two chunks split in the middle of the last line, and
 * on about 1 write in 3 die between them, leaving a partial last line (and the lock held).
 */
function writeTorn(file: string, data: string): void {
  const buf = Buffer.from(data, 'utf8');
  const lastLineStart = buf.lastIndexOf(0x0a, buf.length - 2) + 1;
  const cut = Math.min(buf.length, lastLineStart + Math.max(1, Math.floor((buf.length - 1 - lastLineStart) / 2)));
  const fd = fs.openSync(file, 'w');
  try {
    writeAll(fd, buf.subarray(0, cut));
    if (buf.length > 0 && Math.random() < 1 / 3) {
      fs.fsyncSync(fd);
      trace(`torn-write: exiting after ${cut} of ${buf.length} bytes`);
      process.exit(EXIT_TORN_WRITE);
    }
    writeAll(fd, buf.subarray(cut));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The store as a mutation sees it: raw lines, parsed only when touched. Lines that do not parse
 * are written back verbatim, so a mutation never destroys the evidence of an earlier corruption.
 */
export class StoreDoc {
  private dirty = false;

  constructor(
    private readonly lines: string[],
    /** The next id number. */
    public counter: number,
  ) {}

  get changed(): boolean {
    return this.dirty;
  }

  create(title: string): Issue {
    const issue: Issue = { id: `t-${this.counter++}`, title, status: 'open', comments: 0 };
    this.lines.push(JSON.stringify(issue));
    this.dirty = true;
    return issue;
  }

  /** The first issue with this id (duplicates are left for the checker to find). */
  get(id: string): Issue {
    const found = this.find(id);
    if (!found) throw new TrackerError(`no such issue ${id}`, 'see `tracker list`');
    return found.issue;
  }

  /** Write back a changed issue in place (its id must already exist). */
  put(issue: Issue): void {
    const found = this.find(issue.id);
    if (!found) throw new TrackerError(`no such issue ${issue.id}`, 'see `tracker list`');
    this.lines[found.index] = JSON.stringify(issue);
    this.dirty = true;
  }

  serialize(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  private find(id: string): { index: number; issue: Issue } | undefined {
    // Parsing every line of a big store on every update is the main cost of an op; only lines
    // that mention the id (as our writer spells it) can hold it.
    const needle = JSON.stringify(id);
    for (let index = 0; index < this.lines.length; index++) {
      const line = this.lines[index]!;
      if (!line.includes(needle)) continue;
      const { issue } = parseLine(line);
      if (issue?.id === id) return { index, issue };
    }
    return undefined;
  }
}

/**
 * One locked read-modify-write. `apply` changes the doc or throws (then nothing is written).
 * `createsIds` says whether the op takes ids from the counter (counter-race needs to know).
 */
export function mutate<T>(workspace: string, faults: FaultSet, createsIds: boolean, apply: (doc: StoreDoc) => T): T {
  // counter-race: read the counter before taking the lock, and give others a moment to do the
  // same; the ids handed out below then come from a number another writer may also have read.
  let earlyCounter: number | undefined;
  if (createsIds && faults.has('counter-race')) {
    earlyCounter = readCounter(workspace);
    sleepSync(1);
  }
  // no-lock, and tmp-collision too: seed 002's CLI did its read-modify-write unprotected, and a
  // lock would serialise the writers so that their millisecond temp names never collide.
  const unlocked = faults.has('no-lock') || faults.has('tmp-collision');
  const lock = unlocked ? null : acquireLock(workspace);
  try {
    const counter = readCounter(workspace); // also proves the store exists
    const doc = new StoreDoc(splitLines(readText(storePaths(workspace).issues) ?? ''), earlyCounter ?? counter);
    const result = apply(doc);
    if (doc.changed) {
      const p = storePaths(workspace);
      // Counter first: a crash between the two renames then wastes an id instead of reusing one.
      if (doc.counter !== counter) writeFileAtomic(p.counter, `${doc.counter}\n`, faults);
      if (faults.has('torn-write')) writeTorn(p.issues, doc.serialize());
      else writeFileAtomic(p.issues, doc.serialize(), faults);
    }
    return result;
  } finally {
    lock?.release();
  }
}

/** Create a store holding `preload` (status open, 0 comments); the counter continues after them. */
export function initStore(workspace: string, preload: ReadonlyArray<{ id: string; title: string }>): void {
  fs.mkdirSync(workspace, { recursive: true });
  const lock = acquireLock(workspace);
  try {
    if (storeExists(workspace))
      throw new TrackerError(`a store already exists in ${workspace}`, 'use an empty directory');
    const lines = preload.map((p) =>
      JSON.stringify({ id: p.id, title: p.title, status: 'open', comments: 0 } satisfies Issue),
    );
    const highest = preload.reduce((max, p) => Math.max(max, Number(/^t-(\d+)$/.exec(p.id)?.[1] ?? 0)), 0);
    const p = storePaths(workspace);
    writeFileAtomic(p.counter, `${Math.max(preload.length, highest) + 1}\n`, new Set());
    writeFileAtomic(p.issues, lines.length === 0 ? '' : `${lines.join('\n')}\n`, new Set());
  } finally {
    lock.release();
  }
}
