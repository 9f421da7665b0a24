// Writes many small strings to a file through one fixed buffer. Gathering them in an array and
// joining would keep every piece alive until the join, long enough for the garbage collector to move
// it to the old generation, where it lingers as garbage: streaming a million ops that way costs tens
// of MB. Encoded into the buffer at once, each piece dies young.
import { closeSync, openSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 64 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3;

export class BufferedWriter {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  private used = 0;
  private flushed = 0;
  private closed = false;

  /** Opens `path` for writing, truncating it. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Bytes written so far, buffered ones included: where the next write lands in the file. */
  get position(): number {
    return this.flushed + this.used;
  }

  write(text: string): void {
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

  /** writeSync may write less than it was given; go on until all is written. */
  private writeAll(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
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
