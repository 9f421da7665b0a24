// Read a history file (history.jsonl, or one thread's part) one event at a time, in chunks, so a history
// of any length costs one chunk of memory and every reader of it can stream. The writer appends whole
// lines and cuts a failed write back to the last whole one, so only the very last line can be torn (by a
// crash mid-write): a last line that does not parse, or has no newline and is not an event, is dropped
// and reported. Any other bad line is a real problem and throws, naming the file and the line. A last
// line without its newline that is a whole event is kept: a cut JSON object never parses, so it is whole.
import { closeSync, openSync, readSync } from 'node:fs';
import type { HistoryEvent } from '../types.js';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const EVENT_TYPES = new Set<string>(['invoke', 'ok', 'fail', 'info']);

/** Why `value` is not a HistoryEvent, or null when it is one. */
export function eventProblem(value: unknown): string | null {
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
 * One pass over one history file. Iterate it (for-of closes the file even when the loop stops early) or
 * call next() and close() by hand. Single use: open a new reader to read the file again.
 */
export class HistoryFileReader implements IterableIterator<HistoryEvent> {
  /** True once the end was reached and the last line, torn, was dropped. */
  truncatedTail = false;
  /** 1-based number of the line last read. */
  line = 0;
  private fd: number | null;
  /** Unread bytes are buf[start, end). A line longer than the buffer grows it. */
  private buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private start = 0;
  private end = 0;
  private eof = false;
  /** True once the line last read was the file's last and had no newline. */
  private unterminated = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  next(): IteratorResult<HistoryEvent> {
    const text = this.nextLine();
    if (text === null) return this.done();
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      if (this.atEnd()) return this.dropTornTail();
      this.close();
      throw new Error(
        `${this.path}:${this.line}: history line does not parse (${(error as Error).message}): ${line.slice(0, 120)}`,
        { cause: error },
      );
    }
    const problem = eventProblem(parsed);
    if (problem) {
      if (this.unterminated) return this.dropTornTail();
      this.close();
      throw new Error(`${this.path}:${this.line}: not a history event (${problem}): ${line.slice(0, 120)}`);
    }
    return { done: false, value: parsed as HistoryEvent };
  }

  /** The last line was torn by a crash mid-write: it is not an event, and the caller reports the file. */
  private dropTornTail(): IteratorResult<HistoryEvent> {
    this.truncatedTail = true;
    return this.done();
  }

  /** Called by for-of when the loop ends early: the file is closed. */
  return(): IteratorResult<HistoryEvent> {
    return this.done();
  }

  [Symbol.iterator](): this {
    return this;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.eof = true;
    this.start = this.end;
  }

  private done(): IteratorResult<HistoryEvent> {
    this.close();
    return { done: true, value: undefined };
  }

  /** The next line without its newline, or null at the end of the file. */
  private nextLine(): string | null {
    for (;;) {
      const nl = this.buf.indexOf(NEWLINE, this.start);
      // A newline byte never occurs inside a multi-byte UTF-8 character, so decoding per line is safe.
      if (nl !== -1 && nl < this.end) {
        const text = this.buf.toString('utf8', this.start, nl);
        this.start = nl + 1;
        this.line++;
        return text;
      }
      if (this.eof) {
        if (this.start === this.end) return null;
        // The last line has no newline after it.
        this.unterminated = true;
        const text = this.buf.toString('utf8', this.start, this.end);
        this.start = this.end;
        this.line++;
        return text;
      }
      this.fill();
    }
  }

  /** True when nothing follows the line last read. */
  private atEnd(): boolean {
    while (this.start === this.end && !this.eof) this.fill();
    return this.start === this.end;
  }

  /** Read one more chunk after the unread bytes (moved to the front; the buffer grows only for a line longer than it). */
  private fill(): void {
    if (this.fd === null) {
      this.eof = true;
      return;
    }
    const unread = this.end - this.start;
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.start = 0;
      this.end = unread;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
    if (n === 0) this.eof = true;
    this.end += n;
  }
}
