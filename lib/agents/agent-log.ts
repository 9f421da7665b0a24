// One stream (stdout or stderr) of one agent, written to its log file as the bytes arrive: the first
// `headLimit` bytes, then the last `tailLimit` bytes in a ring that sits right behind the head in the same
// file. Closing puts the ring in order behind a marker that says how many bytes were left out.
// At most 4 KB of it stays in memory (small chunks gathered into one write): 256 agents each printing
// 100 MB would otherwise hold their heads and tails (32 MB) in the harness, plus the fragments of growing them.

import { closeSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { omittedMarker } from './capture.js';

/** Chunks smaller than this are gathered up to this size before they are written. */
const STAGE_BYTES = 4096;

/** Where `close` puts a ring in order; one per thread (module state is per worker thread). */
let scratch = Buffer.alloc(0);

export class AgentLog {
  /** Every byte seen, kept or not. */
  total = 0;
  private fd: number | null = null;
  private headBytes = 0;
  /** Bytes that went to the tail (beyond the head), kept or not. */
  private tailSeen = 0;
  private closed = false;
  /** Small chunks not yet written (at most STAGE_BYTES). */
  private stage: Buffer | null = null;
  private staged = 0;
  /** The first write that failed: later bytes are counted, not written, and `close` reports it. */
  private failure: Error | null = null;

  constructor(
    /** The log file; created at the first byte (or, for a silent stream, by `close`). */
    readonly path: string,
    private readonly headLimit: number,
    private readonly tailLimit: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (chunk.length === 0 || this.failure || this.closed) return;
    // Small chunks (a session agent's answer per op) are gathered first: a write per op would cost a
    // session run a system call per op for its log.
    if (chunk.length >= STAGE_BYTES || this.staged + chunk.length > STAGE_BYTES) this.flush();
    if (chunk.length >= STAGE_BYTES) return this.store(chunk);
    this.stage ??= Buffer.allocUnsafeSlow(STAGE_BYTES);
    chunk.copy(this.stage, this.staged);
    this.staged += chunk.length;
  }

  /** Write out what is gathered. */
  private flush(): void {
    if (this.staged === 0 || !this.stage) return;
    const bytes = this.stage.subarray(0, this.staged);
    this.staged = 0;
    this.store(bytes);
  }

  /** Into the file: head first, then the ring. */
  private store(chunk: Buffer): void {
    if (this.failure) return;
    try {
      let rest = chunk;
      if (this.headBytes < this.headLimit) {
        const take = Math.min(this.headLimit - this.headBytes, rest.length);
        this.write(rest, 0, take, this.headBytes);
        this.headBytes += take;
        rest = rest.subarray(take);
      }
      if (rest.length > 0) this.pushTail(rest);
    } catch (error) {
      this.failure = error as Error;
    }
  }

  /** Into the ring: only the chunk's last `tailLimit` bytes can survive, so only they are written. */
  private pushTail(bytes: Buffer): void {
    const cap = this.tailLimit;
    const skipped = Math.max(0, bytes.length - cap);
    let at = (this.tailSeen + skipped) % (cap || 1);
    this.tailSeen += bytes.length;
    let from = skipped;
    while (from < bytes.length) {
      const n = Math.min(bytes.length - from, cap - at);
      this.write(bytes, from, n, this.headLimit + at);
      from += n;
      at = 0;
    }
  }

  private write(bytes: Buffer, offset: number, length: number, position: number): void {
    // Read back too: `kept` and `close` read the ring.
    this.fd ??= openSync(this.path, 'w+');
    let done = 0;
    while (done < length) done += writeSync(this.fd, bytes, offset + done, length - done, position + done);
  }

  /** Bytes neither in the head nor in the tail. */
  get omitted(): number {
    return this.tailSeen - Math.min(this.tailSeen, this.tailLimit);
  }

  /**
   * The tail's bytes in order, read back from the ring: the two pieces, oldest first, as views of `into`
   * (a buffer shared by the logs of a thread when closing: hundreds of 64 KB copies made at once would
   * wait for the garbage collector together).
   */
  private orderedTail(into?: Buffer): [Buffer, Buffer] {
    const kept = Math.min(this.tailSeen, this.tailLimit);
    if (kept === 0 || this.fd === null) return [Buffer.alloc(0), Buffer.alloc(0)];
    const ring = into && into.length >= kept ? into.subarray(0, kept) : Buffer.alloc(kept);
    let got = 0;
    while (got < kept) {
      const n = readSync(this.fd, ring, got, kept - got, this.headLimit + got);
      if (n === 0) throw new Error(`${this.path} ended after ${got} of its ${kept} tail bytes`);
      got += n;
    }
    const oldest = this.tailSeen <= this.tailLimit ? 0 : this.tailSeen % this.tailLimit;
    return [ring.subarray(oldest), ring.subarray(0, oldest)];
  }

  /** What the log will hold once closed (for messages about an agent that died: its last words). */
  kept(): Buffer {
    this.flush();
    const head = Buffer.alloc(this.headBytes);
    let got = 0;
    while (this.fd !== null && got < head.length) {
      const n = readSync(this.fd, head, got, head.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const marker = this.omitted > 0 ? Buffer.from(omittedMarker(this.omitted)) : Buffer.alloc(0);
    return Buffer.concat([head.subarray(0, got), marker, ...this.orderedTail()]);
  }

  /**
   * Finish the file: the tail in order behind the marker. Throws, naming the file, when it could not be
   * written (a full disk): a log that silently lacks bytes would mislead whoever reads it.
   */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
      this.closed = true;
      this.stage = null;
      if (this.failure) throw this.failure;
      if (this.fd === null && this.omitted === 0) {
        writeFileSync(this.path, '');
        return;
      }
      if (this.omitted > 0) {
        scratch = scratch.length >= this.tailLimit ? scratch : Buffer.allocUnsafeSlow(this.tailLimit);
        const [older, newer] = this.orderedTail(scratch);
        const marker = Buffer.from(omittedMarker(this.omitted));
        // The file only grows: marker and ordered tail cover the whole ring they replace.
        let at = this.headBytes;
        for (const piece of [marker, older, newer]) {
          this.write(piece, 0, piece.length, at);
          at += piece.length;
        }
      }
    } catch (error) {
      throw new Error(`could not write the log ${this.path}: ${(error as Error).message}`);
    } finally {
      if (this.fd !== null) closeSync(this.fd);
      this.fd = null;
    }
  }
}
