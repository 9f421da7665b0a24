// Bounded capture of a stream: keep the head and the tail, count everything.
// Draining into one of these while the process runs is what keeps pipes from filling up
// (seed 002's deadlock) without letting 100 MB of output become 100 MB of memory.

export class BoundedCapture {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  /** Every byte seen, kept or not. */
  total = 0;

  constructor(
    private readonly headLimit: number,
    private readonly tailLimit: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(rest.length > this.tailLimit ? rest.subarray(rest.length - this.tailLimit) : rest);
    this.tailBytes += Math.min(rest.length, this.tailLimit);
    // Drop whole chunks from the front while the rest still covers the limit; copy once in a while only.
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
  }

  /** Bytes neither in the head nor in the tail. */
  get omitted(): number {
    return this.total - this.headBytes - Math.min(this.tailBytes, this.tailLimit);
  }

  /** Everything kept, as one buffer, with a marker where bytes were left out. */
  toBuffer(): Buffer {
    const tail = Buffer.concat(this.tail);
    const keptTail = tail.subarray(Math.max(0, tail.length - this.tailLimit));
    const omitted = this.total - this.headBytes - keptTail.length;
    const parts = [...this.head];
    if (omitted > 0) parts.push(Buffer.from(`\n[... ${omitted} bytes omitted ...]\n`));
    parts.push(keptTail);
    return Buffer.concat(parts);
  }

  /** The head only (exec ops parse their result from it). */
  headText(): string {
    return Buffer.concat(this.head).toString('utf8');
  }

  /** True when some bytes beyond the head were seen. */
  get overflowed(): boolean {
    return this.total > this.headBytes;
  }
}
