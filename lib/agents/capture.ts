// Bounded capture of a stream in memory: keep the head and the tail, count everything. One exec op's own
// output (its result, its last stderr line) is read from one of these; an agent's whole output goes to
// disk instead (agent-log.ts). Draining into either while the process runs is what keeps pipes from
// filling up (seed 002's deadlock) without letting 100 MB of output become 100 MB of memory.
// Kept bytes are copied into the capture's own storage: a slice of a pipe chunk would keep the whole
// chunk (up to 64 KB) alive for a few bytes of it, per stream per agent.

/** First allocation of a store that grows; it grows by half up to its limit as bytes come. */
const MIN_STORE_BYTES = 1024;
/** Half again: a store ends at most a third empty (a session agent's answers rarely fill the head). */
const GROWTH = 1.5;

const EMPTY = Buffer.alloc(0);

/** The marker between head and tail where bytes were left out (in captures and agent logs alike). */
export function omittedMarker(omitted: number): string {
  return `\n[... ${omitted} bytes omitted ...]\n`;
}

/** Room for `needed` bytes, at most `limit`: grown in steps, so a stream that writes little costs little. */
function grown(buf: Buffer, used: number, needed: number, limit: number): Buffer {
  if (needed <= buf.length) return buf;
  const size = Math.min(limit, Math.max(needed, Math.ceil(buf.length * GROWTH), MIN_STORE_BYTES));
  // Not from Node's shared pool: a pooled slice would pin the pool's 8 KB slab.
  const bigger = Buffer.allocUnsafeSlow(size);
  buf.copy(bigger, 0, 0, used);
  return bigger;
}

/** The last `limit` bytes pushed into it: a ring once it has grown to its limit. */
class TailRing {
  private buf: Buffer = EMPTY;
  /** Where the oldest kept byte is. */
  private start = 0;
  size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (this.limit === 0 || chunk.length === 0) return;
    const bytes = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
    if (this.size + bytes.length > this.buf.length && this.buf.length < this.limit) {
      // Still growing: lay the kept bytes out from 0 in a bigger store.
      this.buf = grown(this.toBuffer(), this.size, this.size + bytes.length, this.limit);
      this.start = 0;
    }
    const cap = this.buf.length;
    const at = (this.start + this.size) % cap;
    const first = Math.min(bytes.length, cap - at);
    bytes.copy(this.buf, at, 0, first);
    if (first < bytes.length) bytes.copy(this.buf, 0, first);
    // What did not fit overwrote the oldest bytes.
    const over = Math.max(0, this.size + bytes.length - cap);
    this.start = (this.start + over) % cap;
    this.size = Math.min(cap, this.size + bytes.length);
  }

  /** The kept bytes in order (a view when they do not wrap). */
  toBuffer(): Buffer {
    const end = this.start + this.size;
    if (end <= this.buf.length) return this.buf.subarray(this.start, end);
    return Buffer.concat([this.buf.subarray(this.start), this.buf.subarray(0, end - this.buf.length)]);
  }
}

export class BoundedCapture {
  private head: Buffer = EMPTY;
  private headBytes = 0;
  private readonly tail: TailRing;
  /** Every byte seen, kept or not. */
  total = 0;

  constructor(
    private readonly headLimit: number,
    tailLimit: number,
  ) {
    this.tail = new TailRing(tailLimit);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head = grown(this.head, this.headBytes, this.headBytes + take, this.headLimit);
      rest.copy(this.head, this.headBytes, 0, take);
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    this.tail.push(rest);
  }

  /** Bytes neither in the head nor in the tail. */
  get omitted(): number {
    return this.total - this.headBytes - this.tail.size;
  }

  /** Everything kept, as one buffer, with a marker where bytes were left out. */
  toBuffer(): Buffer {
    const parts = [this.head.subarray(0, this.headBytes)];
    if (this.omitted > 0) parts.push(Buffer.from(omittedMarker(this.omitted)));
    parts.push(this.tail.toBuffer());
    return Buffer.concat(parts);
  }

  /** The head only (exec ops parse their result from it). */
  headText(): string {
    return this.head.toString('utf8', 0, this.headBytes);
  }

  /** True when some bytes beyond the head were seen. */
  get overflowed(): boolean {
    return this.total > this.headBytes;
  }
}
