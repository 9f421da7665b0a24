// Progress for CI and pipes: one plain line every few seconds, nothing that redraws (like Go's `stress`).
import type { Counters } from '../pool/shared.js';
import type { ProgressSink } from './progress.js';

export function plainProgress(label: string, write: (line: string) => void, everyMs = 5000): ProgressSink {
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  return {
    start(counters: Counters, totalOps: number) {
      startedAt = performance.now();
      timer = setInterval(() => {
        const t = counters.totals();
        const seconds = (performance.now() - startedAt) / 1000;
        write(`${label} ${Math.round(seconds)}s: ${t.attempted}/${totalOps} ops, ${t.fail} failed, ${t.info} unknown, ${Math.round(t.attempted / seconds)} ops/s`);
      }, everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
