// A one-shot start barrier in shared memory. Agents arrive from worker threads; the main thread opens it
// once every agent has arrived (or aborts it when one cannot). Waiting is asynchronous (Atomics.waitAsync),
// so a waiting thread keeps draining its agents' pipes. A pending waitAsync does not keep a thread's event
// loop alive, so each wait holds a timer open until it resolves. A thread waits once for all its agents:
// one waitAsync per agent resolved one event-loop turn apart (several ms for 10 agents on a busy machine),
// while one shared wait releases every agent of the thread in the same turn.

const ARRIVED = 0;
const STATE = 1;
const SLOTS = 2;

export type BarrierState = 'waiting' | 'open' | 'aborted';
const STATES: readonly BarrierState[] = ['waiting', 'open', 'aborted'];

export class Barrier {
  private readonly cells: Int32Array;
  private passing: Promise<BarrierState> | null = null;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.cells = new Int32Array(buffer);
  }

  get arrived(): number {
    return Atomics.load(this.cells, ARRIVED);
  }

  get state(): BarrierState {
    return STATES[Atomics.load(this.cells, STATE)] ?? 'aborted';
  }

  /** An agent is ready to start. */
  arrive(): void {
    Atomics.add(this.cells, ARRIVED, 1);
    Atomics.notify(this.cells, ARRIVED);
  }

  /** Resolves when the barrier opens or is aborted (one wait per thread, shared by its agents). */
  passed(): Promise<BarrierState> {
    this.passing ??= this.waitPassed();
    return this.passing;
  }

  private async waitPassed(): Promise<BarrierState> {
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      while (Atomics.load(this.cells, STATE) === 0) {
        const wait = Atomics.waitAsync(this.cells, STATE, 0);
        if (wait.async) await wait.value;
      }
    } finally {
      clearInterval(keepAlive);
    }
    return this.state;
  }

  /** Main thread: resolves true once `count` agents have arrived, false if the barrier was aborted or time ran out. */
  async allArrived(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      return await this.arrivals(count, deadline);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async arrivals(count: number, deadline: number): Promise<boolean> {
    for (;;) {
      if (Atomics.load(this.cells, STATE) === 2) return false;
      const seen = Atomics.load(this.cells, ARRIVED);
      if (seen >= count) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const wait = Atomics.waitAsync(this.cells, ARRIVED, seen, left);
      if (wait.async) await wait.value;
    }
  }

  open(): void {
    if (Atomics.compareExchange(this.cells, STATE, 0, 1) === 0) Atomics.notify(this.cells, STATE);
  }

  /** Stop everyone: an agent could not start. Also wakes the main thread waiting for arrivals. */
  abort(): void {
    Atomics.store(this.cells, STATE, 2);
    Atomics.notify(this.cells, STATE);
    Atomics.notify(this.cells, ARRIVED);
  }
}
