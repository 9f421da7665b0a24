// Append-only history writer. One file per worker thread. Events are gathered in memory for the rest of
// the event-loop turn and written in one system call: before any op is handed to an agent (`flush`, so an
// op's invoke is always on disk before the op can happen) and at the end of the turn at the latest, so a
// crash or Ctrl-C mid-run leaves every line of every earlier turn on disk. One write per event cost a
// session agent's op two system calls (bench: 16 µs of its 35 µs in the worker thread); gathered, a turn
// costs one, however many agents' events it carries.
// Every line goes in whole or not at all: a write that stores only part of its lines (a full disk) is
// finished by writing the rest, and a write that fails cuts the file back to its last whole line and stops
// the writer, so no record is ever glued onto half of another (see lib/io/whole-lines.ts).
import { closeSync, fstatSync, ftruncateSync, writeSync } from 'node:fs';
import { cutBackAfter, lineEndIn, openForWriting, wholeLinesEnd } from '../io/whole-lines.js';
import { fsError, type FsError } from '../run/fs-errors.js';
import type { HistoryEvent } from '../types.js';

const BUFFER_BYTES = 64 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3;

export class HistoryWriter {
  private readonly fd: number;
  /** File offset just after the last whole line: where a failed write cuts the file back to. */
  private end: number;
  /** The first write error; every write after it throws it again. */
  private failure: FsError | null = null;
  /** The failure happened in an end-of-turn flush and no caller has been told yet: `close` tells. */
  private failureUnseen = false;
  /** Lines gathered since the last flush (whole lines only). */
  private readonly pending = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  private used = 0;
  private flushScheduled = false;
  private closed = false;

  constructor(readonly path: string) {
    // Readable too, to find where an earlier writer's last whole line ends.
    this.fd = openForWriting(path, 'a+');
    try {
      this.end = cutTornTail(this.fd);
    } catch (error) {
      closeSync(this.fd);
      throw fsError(error, path);
    }
  }

  /**
   * Gathers one event as one line; it reaches the file at the next `flush`, and at the end of this
   * event-loop turn at the latest. Throws the writer's FsError once a write has failed.
   */
  add(event: HistoryEvent): void {
    if (this.failure) this.throwFailure();
    const line = `${JSON.stringify(event)}\n`;
    if (this.used + line.length * MAX_BYTES_PER_UNIT > this.pending.length) {
      this.flush();
      if (line.length * MAX_BYTES_PER_UNIT > this.pending.length) {
        // Larger than the buffer: written on its own, now (nothing is gathered before it any more).
        this.writeAll(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.used += this.pending.write(line, this.used, 'utf8');
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushAtTurnEnd);
    }
  }

  /** Appends one event as one line now; throws an FsError naming the file when it cannot (and on every call after). */
  write(event: HistoryEvent): void {
    this.add(event);
    this.flush();
  }

  /** Writes every gathered line in one system call. Throws the writer's FsError when it cannot. */
  flush(): void {
    if (this.failure) this.throwFailure();
    if (this.used === 0) return;
    const used = this.used;
    this.used = 0;
    this.writeAll(this.pending.subarray(0, used));
  }

  /** The end-of-turn flush. A failure is kept (thrown by the next add, flush or close), anything else is a bug. */
  private readonly flushAtTurnEnd = (): void => {
    this.flushScheduled = false;
    if (this.closed) return;
    try {
      this.flush();
    } catch (error) {
      if (error !== this.failure) throw error;
      this.failureUnseen = true;
    }
  };

  private throwFailure(): never {
    this.failureUnseen = false;
    throw this.failure;
  }

  private writeAll(bytes: Buffer): void {
    let done = 0;
    try {
      // writeSync may store less than it was given (a disk filling up): go on until the lines are all there.
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      // Whole lines that did get written stay; the torn rest of the last one goes.
      const wholeEnd = lineEndIn(bytes.subarray(0, done), this.end, this.end);
      this.failure = cutBackAfter(error, this.fd, this.path, wholeEnd, this.end + done);
      this.throwFailure();
    }
    this.end += bytes.length;
  }

  /** Writes what is gathered and closes the file. Throws the writer's FsError when the last lines could not be written. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.failure) this.flush();
    } finally {
      closeSync(this.fd);
    }
    if (this.failureUnseen) this.throwFailure();
  }
}

/** A torn tail left by an earlier writer would have the first line written after it glued onto it: cut it. Returns the new end. */
function cutTornTail(fd: number): number {
  const end = wholeLinesEnd(fd);
  if (end < fstatSync(fd).size) ftruncateSync(fd, end);
  return end;
}

/** File name of one thread's part of the history; the run merges the parts into history.jsonl. */
export function historyPartName(thread: number): string {
  return `history.part-${thread}.jsonl`;
}
