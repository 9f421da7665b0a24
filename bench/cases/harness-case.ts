// One run through the harness's public API, in a fresh process, so that what is measured (spawn cost,
// which grows with the spawning process's memory; peak RSS) belongs to this run alone.
//   node dist/bench/cases/harness-case.js '<HarnessCaseSpec as JSON>'
// Prints one JSON line: HarnessCaseResult.
import { rmSync } from 'node:fs';
import {
  defineScenario,
  harnessHealth,
  OpLog,
  perAgent,
  run,
  storeParses,
  type Scenario,
  type Target,
} from '../../lib/index.js';
import { trackerSet } from '../../stress/tracker/model.js';
import { trackerTarget } from '../../stress/tracker/target.js';
import { issueTitle } from '../../stress/tracker/titles.js';
import { NOOP_AGENT } from '../common.js';

export interface HarnessCaseSpec {
  /** `true`: exec agents running a no-op native program; `noop`: bench/noop-session-agent.mjs; `tracker`: the reference tracker. */
  target: 'true' | 'noop' | 'tracker';
  kind: 'exec' | 'session';
  agents: number;
  ops: number;
  /** Worker threads; default: the harness's own default. */
  threads?: number;
  /** How exec agents' processes start; default: the harness's own default (`auto`). */
  spawner?: 'native' | 'node';
  /** noop session agents: bytes each writes to stderr. */
  stderrBytes?: number;
  /** Absolute path of the no-op program for `true`. */
  trueProgram?: string;
  seed: number;
  resultsDir: string;
  /** Read the history afterwards for the op-phase figures (off for memory cases, which measure the run alone). */
  analyze: boolean;
  /** Leave the run folder behind (default: removed). */
  keep?: boolean;
}

export interface HarnessCaseResult {
  verdict: string;
  harnessError: string | null;
  failedChecks: string[];
  threads: number;
  /** Exec runs: the spawner that started the processes. */
  spawner: string | null;
  attempted: number;
  ok: number;
  durationMs: number;
  startSkewMs: number | null;
  releaseSkewMs: number | null;
  /** Exec on the native spawner: spread of the first ops' processes first running (`summary.processSkewMs`). */
  processSkewMs: number | null;
  /** From the first op's invoke to the last op's completion (ms); null without `analyze`. */
  opPhaseMs: number | null;
  /** Ops per second over the op phase; null without `analyze`. */
  opsPerSec: number | null;
  /** Mean op latency (invoke to completion), ms; null without `analyze`. */
  meanOpMs: number | null;
  /** Peak resident memory of this process (the harness: main thread and its worker threads), bytes. */
  maxRssBytes: number;
  stderrBytes: number;
}

const emptyState = async () => ({ items: [], corruption: [] });

function targetFor(spec: HarnessCaseSpec): Target {
  switch (spec.target) {
    case 'true':
      if (!spec.trueProgram) throw new Error('target true needs trueProgram');
      return {
        name: 'true',
        exec: { command: spec.trueProgram, opArgv: () => [] },
        setup: async () => undefined,
        readState: emptyState,
      };
    case 'noop':
      return {
        name: 'noop',
        session: { command: process.execPath, args: [NOOP_AGENT] },
        env: () => ({ NOOP_STDERR_BYTES: String(spec.stderrBytes ?? 0) }),
        setup: async () => undefined,
        readState: emptyState,
      };
    case 'tracker':
      return trackerTarget;
  }
}

function scenarioFor(spec: HarnessCaseSpec): Scenario {
  const tracker = spec.target === 'tracker';
  return defineScenario({
    name: `bench-${spec.target}-${spec.kind}`,
    description: 'bench case',
    target: targetFor(spec),
    agents: { count: spec.agents, kind: spec.kind },
    workload: {
      opsPerAgent: spec.ops,
      generate: tracker
        ? ({ agent, seq, rng }) => ({ f: 'create', value: { title: issueTitle(agent, seq, rng) } })
        : () => ({ f: 'noop', value: null }),
    },
    checks: tracker ? [harnessHealth, storeParses, trackerSet.uniqueIds, trackerSet.items, perAgent] : [harnessHealth],
    // Hundreds of Node agents starting on two busy cores take a while: the bench measures, it does not time out.
    budgets: { opTimeoutMs: 120_000, runTimeoutMs: 1_200_000, barrierTimeoutMs: 300_000 },
  });
}

const spec = JSON.parse(process.argv[2] ?? '') as HarnessCaseSpec;
const result = await run({
  scenario: scenarioFor(spec),
  seed: spec.seed,
  threads: spec.threads,
  spawner: spec.spawner,
  resultsDir: spec.resultsDir,
});
// Peak memory first: reading the history back afterwards is the bench's doing, not the run's.
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
const summary = result.summary;
let opPhaseMs: number | null = null;
let opsPerSec: number | null = null;
let meanOpMs: number | null = null;
if (spec.analyze) {
  const ops = OpLog.ofRun(result.runDir);
  let first = Infinity;
  let last = -Infinity;
  let busy = 0;
  let done = 0;
  for (const op of ops) {
    if (op.end === null) continue;
    first = Math.min(first, op.start);
    last = Math.max(last, op.end);
    busy += op.end - op.start;
    done += 1;
  }
  if (done > 0) {
    opPhaseMs = last - first;
    opsPerSec = done / Math.max(opPhaseMs / 1000, 1e-6);
    meanOpMs = busy / done;
  }
}
if (!spec.keep) rmSync(result.runDir, { recursive: true, force: true });
const out: HarnessCaseResult = {
  verdict: summary.verdict,
  harnessError: summary.harnessError,
  failedChecks: summary.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.details}`),
  threads: summary.options.threads,
  spawner: summary.spawner ?? null,
  attempted: summary.totals.attempted,
  ok: summary.totals.ok,
  durationMs: summary.durationMs,
  startSkewMs: summary.startSkewMs,
  releaseSkewMs: summary.releaseSkewMs,
  processSkewMs: summary.processSkewMs ?? null,
  opPhaseMs,
  opsPerSec,
  meanOpMs,
  maxRssBytes,
  stderrBytes: summary.agents.reduce((sum, a) => sum + a.stderrBytes, 0),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
