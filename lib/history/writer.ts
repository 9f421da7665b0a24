// Append-only history writer. One file per worker thread, one synchronous write per event, so a crash
// or Ctrl-C mid-run leaves every completed line on disk. Every line goes in whole or not at all: a write
// that stores only part of a line (a full disk) is finished by writing the rest, and a write that fails
// cuts the file back to its last whole line and stops the writer, so no record is ever glued onto half
// of another (see lib/io/whole-lines.ts).
import { closeSync, fstatSync, ftruncateSync, writeSync } from 'node:fs';
import { cutBackAfter, openForWriting, wholeLinesEnd } from '../io/whole-lines.js';
import { fsError, type FsError } from '../run/fs-errors.js';
import type { HistoryEvent } from '../types.js';

export class HistoryWriter {
  private readonly fd: number;
  /** File offset just after the last whole line: where a failed write cuts the file back to. */
  private end: number;
  /** The first write error; every write after it throws it again. */
  private failure: FsError | null = null;

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

  /** Appends one event as one line; throws an FsError naming the file when it cannot (and on every call after). */
  write(event: HistoryEvent): void {
    if (this.failure) throw this.failure;
    const line = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
    let done = 0;
    try {
      // writeSync may store less than it was given (a disk filling up): go on until the line is all there.
      while (done < line.length) done += writeSync(this.fd, line, done, line.length - done);
    } catch (error) {
      this.failure = cutBackAfter(error, this.fd, this.path, this.end, this.end + done);
      throw this.failure;
    }
    this.end += line.length;
  }

  close(): void {
    closeSync(this.fd);
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
