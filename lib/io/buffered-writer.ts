// Writes many small strings to a file through one fixed buffer. Gathering them in an array and
// joining would keep every piece alive until the join, long enough for the garbage collector to move
// it to the old generation, where it lingers as garbage: streaming a million ops that way costs tens
// of MB. Encoded into the buffer at once, each piece dies young.
// Line-oriented output (history.jsonl) stays whole lines when the disk fills: a failed write cuts the file
// back to its last whole line and every write after it throws the same error (lib/io/whole-lines.ts).
import { closeSync, writeSync } from 'node:fs';
import type { FsError } from '../run/fs-errors.js';
import { cutBackAfter, lineEndIn, openForWriting } from './whole-lines.js';

const BUFFER_BYTES = 64 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3;

export class BufferedWriter {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  private used = 0;
  private flushed = 0;
  /** File offset just after the last newline written: where a failed write cuts the file back to. */
  private lineEnd = 0;
  /** The first write error; every write or flush after it throws it again. */
  private failure: FsError | null = null;
  private closed = false;

  /** Opens `path` for writing, truncating it; a failure is one line naming the file. */
  constructor(readonly path: string) {
    this.fd = openForWriting(path, 'w');
  }

  /** Bytes written so far, buffered ones included: where the next write lands in the file. */
  get position(): number {
    return this.flushed + this.used;
  }

  write(text: string): void {
    if (this.failure) throw this.failure;
    if (this.used + text.length * MAX_BYTES_PER_UNIT > this.buf.length) {
      this.flush();
      if (text.length * MAX_BYTES_PER_UNIT > this.buf.length) {
        this.writeAll(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  /** Append bytes as they are. */
  writeBytes(bytes: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) {
      this.writeAll(bytes);
      return;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  /** writeSync may write less than it was given (a disk filling up); go on until all is written. */
  private writeAll(bytes: Uint8Array): void {
    if (this.failure) throw this.failure;
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      // Whole lines that did get written before the error stay; the torn rest of the last one goes.
      const end = lineEndIn(bytes.subarray(0, done), this.flushed, this.lineEnd);
      this.failure = cutBackAfter(error, this.fd, this.path, end, this.flushed + done);
      throw this.failure;
    }
    this.lineEnd = lineEndIn(bytes, this.flushed, this.lineEnd);
    this.flushed += bytes.length;
  }

  /** Flush and close. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  /** Close without writing what is buffered: the file is being given up after an error. */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    this.used = 0;
    closeSync(this.fd);
  }
}
