// One stream (stdout or stderr) of one agent, written to its log file as the bytes arrive: the first
// `headLimit` bytes, then the last `tailLimit` bytes in a ring that sits right behind the head in the same
// file. Closing puts the ring in order behind a marker that says how many bytes were left out.
// At most 4 KB of it stays in memory (small chunks gathered into one write): 256 agents each printing
// 100 MB would otherwise hold their heads and tails (32 MB) in the harness, plus the fragments of growing them.

import { closeSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { omittedMarker } from './capture.js';
import type { ChunkReclaimer } from './chunk-reclaimer.js';

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
    /** Told of every chunk: each one an agent's pipes give comes through its log. */
    private readonly reclaimer?: ChunkReclaimer,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.reclaimer?.read(chunk.length);
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
  private get omitted(): number {
    return Math.max(0, this.tailSeen - this.tailLimit);
  }

  /** Fill `into` from the file at `position`. */
  private readAt(into: Buffer, position: number): Buffer {
    let got = 0;
    while (got < into.length) {
      const n = this.fd === null ? 0 : readSync(this.fd, into, got, into.length - got, position + got);
      if (n === 0) throw new Error(`${this.path} ended ${into.length - got} bytes early at ${position + got}`);
      got += n;
    }
    return into;
  }

  /**
   * What follows the head once closed: the marker (when bytes were left out), then the ring's bytes
   * oldest first, as views of `into` when given (one buffer shared by a thread's logs when closing:
   * hundreds of 64 KB copies made at once would wait for the garbage collector together).
   */
  private afterHead(into?: Buffer): Buffer[] {
    const kept = Math.min(this.tailSeen, this.tailLimit);
    const ring = this.readAt(into && into.length >= kept ? into.subarray(0, kept) : Buffer.alloc(kept), this.headLimit);
    const oldest = this.omitted > 0 ? this.tailSeen % this.tailLimit : 0;
    const marker = Buffer.from(this.omitted > 0 ? omittedMarker(this.omitted) : '');
    return [marker, ring.subarray(oldest), ring.subarray(0, oldest)];
  }

  /** What the log will hold once closed (for messages about an agent that died: its last words). */
  kept(): Buffer {
    this.flush();
    return Buffer.concat([this.readAt(Buffer.alloc(this.headBytes), 0), ...this.afterHead()]);
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
      // A ring that never wrapped is in order already; one that did is rewritten behind its marker (the
      // file only grows: marker and ordered tail cover the whole ring they replace).
      if (this.omitted > 0) {
        scratch = scratch.length >= this.tailLimit ? scratch : Buffer.allocUnsafeSlow(this.tailLimit);
        let at = this.headBytes;
        for (const piece of this.afterHead(scratch)) {
          this.write(piece, 0, piece.length, at);
          at += piece.length;
        }
      }
    } catch (error) {
      throw new Error(`could not write the log ${this.path}: ${(error as Error).message}`, { cause: error });
    } finally {
      if (this.fd !== null) closeSync(this.fd);
      this.fd = null;
    }
  }
}
