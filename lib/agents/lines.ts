// Split a byte stream into lines, with a bound on line length so a runaway agent cannot balloon memory.

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: (bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      let line: string;
      if (this.pending.length === 0) {
        // The whole line is in this chunk (the usual case): decode it in place, no copy, no garbage buffers.
        line = chunk.toString('utf8', start, nl);
      } else {
        this.pending.push(chunk.subarray(start, nl));
        line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
      }
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.onOverlong(this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
      }
    }
  }
}
