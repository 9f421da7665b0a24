// Progress on a terminal: a live bar (cli-progress) redrawn a few times a second from the shared counters.
import cliProgress from 'cli-progress';
import type { Counters } from '../pool/shared.js';
import { plainProgress } from './plain.js';
import type { ProgressSink } from './progress.js';

export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  let bar: cliProgress.SingleBar | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    start(counters: Counters, totalOps: number) {
      const startedAt = performance.now();
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label} {bar} {value}/{total} ops | ok {ok} fail {fail} info {info} | {rate} ops/s | {duration_formatted} | eta {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(totalOps, 0, { ok: 0, fail: 0, info: 0, rate: 0 });
      timer = setInterval(() => {
        const t = counters.totals();
        const rate = Math.round(t.attempted / ((performance.now() - startedAt) / 1000));
        bar?.update(t.attempted, { ok: t.ok, fail: t.fail, info: t.info, rate });
      }, 200);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      bar?.stop();
      bar = undefined;
    },
  };
}

/** A terminal bar when a person is watching; plain lines in CI and pipes. */
export function progressFor(label: string, write: (line: string) => void): ProgressSink {
  return process.stderr.isTTY && !process.env.CI ? terminalProgress(label) : plainProgress(label, write);
}
