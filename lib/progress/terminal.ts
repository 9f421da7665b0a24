// Progress on a terminal: cli-progress bars redrawn at most 5 times a second from the shared
// counters: one bar for the whole run (ok / fail / info, ops/s, elapsed, ETA) and one per agent
// (or per group of agents when there are many). A main-thread timer reads the counters; the op
// loop runs in the worker threads and never waits on the display.
import cliProgress from 'cli-progress';
import type { Counters } from '../pool/shared.js';
import { plainProgress } from './plain.js';
import type { ProgressSink } from './progress.js';

/** Agent rows shown at most; beyond that, each row sums a contiguous range of agents. */
export const MAX_AGENT_ROWS = 16;
const REDRAW_MS = 200;

export interface AgentGroup {
  name: string;
  from: number;
  /** Exclusive. */
  to: number;
}

export function agentGroups(agents: number, maxRows = MAX_AGENT_ROWS): AgentGroup[] {
  const size = Math.max(1, Math.ceil(agents / maxRows));
  const groups: AgentGroup[] = [];
  for (let from = 0; from < agents; from += size) {
    const to = Math.min(agents, from + size);
    groups.push({ name: to - from === 1 ? `a${from}` : `a${from}-a${to - 1}`, from, to });
  }
  return groups;
}

/** The displays drawing now: a notice written while they redraw would be drawn over, and leave them frozen. */
const live = new Set<ProgressSink>();

/** Take down every live display (cleared from the screen, cursor shown again) before saying something. */
export function stopLiveProgress(): void {
  for (const sink of [...live]) sink.stop();
}

export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  let multi: cliProgress.MultiBar | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sink: ProgressSink = {
    start(counters: Counters, totalOps: number) {
      const startedAt = performance.now();
      const groups = agentGroups(counters.agents);
      const width = Math.max(label.length, ...groups.map((g) => g.name.length + 2));
      multi = new cliProgress.MultiBar(
        {
          stream,
          fps: 1000 / REDRAW_MS,
          hideCursor: true,
          // The verdict line printed next says the same in one line; a suite should not leave 6 x 17 bar lines behind.
          clearOnComplete: true,
          etaBuffer: 50,
          barsize: 24,
          autopadding: true,
        },
        cliProgress.Presets.shades_classic,
      );
      const total = multi.create(
        totalOps,
        0,
        { ok: 0, fail: 0, info: 0, rate: 0 },
        {
          format: `${label.padEnd(width)} {bar} {value}/{total} ops | ok {ok} fail {fail} info {info} | {rate} ops/s | {duration_formatted} | eta {eta_formatted}`,
        },
      );
      const perAgent = counters.agents > 0 ? totalOps / counters.agents : 0;
      const rows = groups.map((g) =>
        multi!.create(
          Math.round(perAgent * (g.to - g.from)),
          0,
          { ok: 0, fail: 0, info: 0 },
          { format: `  ${g.name.padEnd(width - 2)} {bar} {value}/{total} | ok {ok} fail {fail} info {info}` },
        ),
      );
      const refresh = (): void => {
        const all = counters.all();
        const sum = { attempted: 0, ok: 0, fail: 0, info: 0 };
        groups.forEach((g, i) => {
          const s = { attempted: 0, ok: 0, fail: 0, info: 0 };
          for (let a = g.from; a < g.to; a++) {
            const c = all[a];
            if (!c) continue;
            s.attempted += c.attempted;
            s.ok += c.ok;
            s.fail += c.fail;
            s.info += c.info;
          }
          rows[i]?.update(s.attempted, { ok: s.ok, fail: s.fail, info: s.info });
          sum.attempted += s.attempted;
          sum.ok += s.ok;
          sum.fail += s.fail;
          sum.info += s.info;
        });
        const seconds = (performance.now() - startedAt) / 1000;
        total.update(sum.attempted, {
          ok: sum.ok,
          fail: sum.fail,
          info: sum.info,
          rate: seconds > 0 ? Math.round(sum.attempted / seconds) : 0,
        });
      };
      timer = setInterval(refresh, REDRAW_MS);
      timer.unref();
      live.add(sink);
    },
    stop() {
      live.delete(sink);
      clearInterval(timer);
      timer = undefined;
      multi?.stop();
      multi = undefined;
    },
  };
  return sink;
}

/** CI=true (or any CI value but false/0) means a log, not a person watching. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A live display when a person is watching a terminal; plain lines in CI and pipes. */
export function progressFor(label: string, write: (line: string) => void): ProgressSink {
  return process.stderr.isTTY && !isCI() ? terminalProgress(label) : plainProgress(label, write);
}
