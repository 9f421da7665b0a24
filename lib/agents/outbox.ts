// Lines for session agents, sent back to back at the end of the event loop's poll phase. Every answer
// that came in during one poll (one per agent that answered) has its agent's next op queued here, and the
// thread's history for all of them is written first, in one system call, then the lines one after another:
// a thread driving 64 agents pays one history write per turn instead of two per op, and an op's invoke is
// always on disk before its line can reach the agent.
// It also keeps the first ops' start skew down: when the barrier opens, every agent of a thread queues its
// first op in the same turn; each write wakes an agent process, which on a machine with fewer cores than
// agents takes the core from the thread still sending. So the ops are prepared first (the JavaScript work:
// encoding, timers, history) and written afterwards in one tight loop.
import type { Writable } from 'node:stream';

interface Letter {
  stream: Writable;
  data: string;
  /** Told the `performance.now()` at which the line was handed to the pipe, or why it was not sent. */
  sent: (at: number, error?: Error) => void;
}

export class Outbox {
  private letters: Letter[] = [];

  constructor(
    /** Runs before the lines are written (the history flush); when it throws, no line is sent. */
    private readonly beforeSend: () => void = () => undefined,
  ) {}

  /** Queue a write; it happens at the end of this turn's poll phase, with every other write queued in it. */
  send(stream: Writable, data: string, sent: (at: number, error?: Error) => void): void {
    if (this.letters.length === 0) setImmediate(this.flush);
    this.letters.push({ stream, data, sent });
  }

  private readonly flush = (): void => {
    const letters = this.letters;
    this.letters = [];
    try {
      this.beforeSend();
    } catch (error) {
      // An op whose invoke could not be recorded is not sent: each sender is told why.
      for (const letter of letters) letter.sent(performance.now(), error as Error);
      return;
    }
    for (const { stream, data, sent } of letters) {
      sent(performance.now());
      // A stream already closed (the agent died meanwhile) reports through its 'error' handler.
      stream.write(data);
    }
  };
}
