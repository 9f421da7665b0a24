// Progress for CI and pipes: one plain line every few seconds, nothing that redraws (like Go's `stress`):
// `mixed-ops 12s: 4213/6000 ops, 0 failed, 3 unknown, 351 ops/s`.
// Reads the shared counters from a main-thread timer; the op loop (in the workers) never waits on it.
import type { Counters } from '../pool/shared.js';
import type { ProgressSink } from './progress.js';

export function plainProgress(label: string, write: (line: string) => void, everyMs = 5000): ProgressSink {
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let lines = 0;
  let line = (): string => '';
  return {
    start(counters: Counters, totalOps: number) {
      startedAt = performance.now();
      line = () => {
        const t = counters.totals();
        const seconds = (performance.now() - startedAt) / 1000;
        const rate = seconds > 0 ? Math.round(t.attempted / seconds) : 0;
        return `${label} ${Math.round(seconds)}s: ${t.attempted}/${totalOps} ops, ${t.fail} failed, ${t.info} unknown, ${rate} ops/s`;
      };
      timer = setInterval(() => {
        lines++;
        write(line());
      }, everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      // A run long enough to have printed progress also gets its final count; a short one stays quiet.
      if (lines > 0) write(line());
      lines = 0;
    },
  };
}
