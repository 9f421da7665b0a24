// Folds a storm of triggers into few runs of one action (seed 003's debouncer, made safe under a steady
// stream). Three modes, the correct one and two faults:
//   window     the first trigger opens a window of `windowMs`; triggers inside it join it; the action
//              runs when the window closes. A steady stream still gets one run per window: the latency
//              of a trigger is at most a window plus one run.
//   reset      seed 003's own: every trigger restarts the timer, so triggers closer together than the
//              window postpone the run for as long as they keep coming (the `debounce-reset` fault).
//   immediate  no debounce: one run per trigger, one after another (the `no-debounce` fault).
// Runs never overlap: a trigger during a run opens the next window when the run ends.

export type DebounceMode = 'window' | 'reset' | 'immediate';

export class Debouncer {
  private timer: NodeJS.Timeout | null = null;
  private openedAt = 0;
  private running = false;
  /** A trigger came after the last run took its snapshot. */
  private dirty = false;
  /** immediate: runs owed, one per trigger. */
  private owed = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly mode: DebounceMode,
    private readonly action: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  trigger(): void {
    this.dirty = true;
    if (this.mode === 'immediate') {
      this.owed += 1;
      if (!this.running) void this.run();
      return;
    }
    if (this.running) return; // the next window opens when this run ends
    if (this.mode === 'reset' && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.timer) this.open();
  }

  /** Resolves once no window is open and no run is going or owed. */
  settled(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drop an open window (shutdown): its triggers are not run. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.owed = 0;
  }

  get pending(): boolean {
    return !this.idle();
  }

  private idle(): boolean {
    return this.timer === null && !this.running && this.owed === 0;
  }

  private open(): void {
    this.openedAt = performance.now();
    this.timer = setTimeout(() => this.close(), this.windowMs);
  }

  private close(): void {
    // A timer may fire a little early by the clock (its loop time was stale when it was set): the window
    // is a promise to the reader, so wait out the rest.
    const left = this.windowMs - (performance.now() - this.openedAt);
    if (left > 0) {
      this.timer = setTimeout(() => this.close(), left);
      return;
    }
    this.timer = null;
    void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        if (this.owed > 0) this.owed -= 1;
        this.dirty = false;
        await this.action();
      } while (this.owed > 0);
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
    if (this.dirty && this.mode !== 'immediate') this.open();
    if (this.idle()) for (const resolve of this.waiters.splice(0)) resolve();
  }
}
