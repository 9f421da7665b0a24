// Lines for session agents, sent back to back. When the barrier opens, every agent of a thread sends its
// first op in the same turn of the event loop; each write wakes an agent process, and on a machine with
// fewer cores than agents a woken agent takes the core from the thread still sending. So the ops are
// prepared first (the JavaScript work: encoding, timers, history) and written afterwards in one tight
// loop, which keeps the first op's start skew down to the cost of the writes themselves.
import type { Writable } from 'node:stream';

interface Letter {
  stream: Writable;
  data: string;
  /** Told the `performance.now()` at which the line was handed to the pipe. */
  sent: (at: number) => void;
}

export class Outbox {
  private letters: Letter[] = [];

  /** Queue a write; it happens at the end of this turn, with every other write queued in it. */
  send(stream: Writable, data: string, sent: (at: number) => void): void {
    if (this.letters.length === 0) process.nextTick(() => this.flush());
    this.letters.push({ stream, data, sent });
  }

  private flush(): void {
    const letters = this.letters;
    this.letters = [];
    for (const { stream, data, sent } of letters) {
      sent(performance.now());
      // A stream already closed (the agent died meanwhile) reports through its 'error' handler.
      stream.write(data);
    }
  }
}
