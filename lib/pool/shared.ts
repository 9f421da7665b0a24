// Shared memory between the main thread and the worker threads: per-agent counters and the stop flag.
import type { AgentCounters } from '../types.js';

const FIELDS = 4; // attempted, ok, fail, info
export type CounterField = 'attempted' | 'ok' | 'fail' | 'info';
const OFFSET: Record<CounterField, number> = { attempted: 0, ok: 1, fail: 2, info: 3 };

/** Per-agent op counters, live: the progress display reads them while workers add to them. */
export class Counters {
  private readonly cells: Int32Array;

  constructor(
    readonly agents: number,
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(agents * FIELDS * Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.cells = new Int32Array(buffer);
  }

  add(agent: number, field: CounterField): void {
    Atomics.add(this.cells, agent * FIELDS + OFFSET[field], 1);
  }

  read(agent: number): AgentCounters {
    const at = agent * FIELDS;
    return {
      agent,
      attempted: Atomics.load(this.cells, at),
      ok: Atomics.load(this.cells, at + 1),
      fail: Atomics.load(this.cells, at + 2),
      info: Atomics.load(this.cells, at + 3),
    };
  }

  all(): AgentCounters[] {
    return Array.from({ length: this.agents }, (_, agent) => this.read(agent));
  }

  totals(): Omit<AgentCounters, 'agent'> {
    const sum = { attempted: 0, ok: 0, fail: 0, info: 0 };
    for (const c of this.all()) {
      sum.attempted += c.attempted;
      sum.ok += c.ok;
      sum.fail += c.fail;
      sum.info += c.info;
    }
    return sum;
  }
}

/** Why a run is being stopped early; 0 means it is not. */
export const STOP_REASONS = [
  '',
  'run deadline reached',
  'interrupted (Ctrl-C)',
  'barrier aborted',
  'harness error in a worker thread',
  'terminated (SIGTERM)',
  'the service crashed',
  'hung up (SIGHUP)',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** A flag raised (by the main thread, or by a worker whose own machinery failed) to make every worker kill its agents and finish. */
export class StopFlag {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.cells = new Int32Array(buffer);
  }

  get reason(): StopReason {
    return STOP_REASONS[Atomics.load(this.cells, 0)] ?? '';
  }

  get raised(): boolean {
    return Atomics.load(this.cells, 0) !== 0;
  }

  raise(reason: Exclude<StopReason, ''>): void {
    if (Atomics.compareExchange(this.cells, 0, 0, STOP_REASONS.indexOf(reason)) === 0) Atomics.notify(this.cells, 0);
  }

  /** Resolves when the flag is raised. */
  async raisedSignal(): Promise<StopReason> {
    while (Atomics.load(this.cells, 0) === 0) {
      const wait = Atomics.waitAsync(this.cells, 0, 0);
      if (wait.async) await wait.value;
    }
    return this.reason;
  }
}
