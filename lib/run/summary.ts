// summary.json: the run's verdict and figures. Field names are stable (documented in docs/results.md).
import type { LauncherKind } from '../agents/launch/launcher.js';
import type { Expectation } from './exit-codes.js';
import type { LatencyRow } from '../history/latency.js';
import type {
  AgentCounters,
  AgentExit,
  AgentHealth,
  CheckResult,
  Plan,
  RunOptions,
  ServiceHealth,
  Verdict,
} from '../types.js';
import type { Platform } from './environment.js';
import type { OutcomeReasons } from './reasons.js';
import type { BudgetsRecord } from './run-budgets.js';

export interface AgentSummary extends Omit<AgentCounters, 'agent'> {
  id: number;
  name: string;
  exit: AgentExit;
  processes: number;
  restarts: number;
  stdoutBytes: number;
  stderrBytes: number;
  error?: string;
}

export interface Summary {
  format: 1;
  scenario: string;
  seed: number;
  verdict: Verdict;
  /** What the run must conclude: `fail` for a seed kept to prove the checkers still catch a bug (its exit code is 0 when it fails). Absent in older folders: `pass`. */
  expect?: Expectation;
  /** Set when the run could not be carried out as planned (an agent that could not start, Ctrl-C...). */
  harnessError: string | null;
  /** Why the run stopped before every op was done, or null. */
  stopReason: string | null;
  checks: CheckResult[];
  agents: AgentSummary[];
  totals: Omit<AgentCounters, 'agent'>;
  /** Failed and unknown ops counted by reason, most common first (absent in older folders). */
  reasons?: OutcomeReasons;
  /** The target's service, when it has one. */
  service?: Pick<ServiceHealth, 'exit' | 'restarts' | 'pauses' | 'planned' | 'logFile'>;
  /** Spread between the first and the last agent's first op reaching it (exec: process started; session: line sent). */
  startSkewMs: number | null;
  /** Spread between agents seeing the barrier open. */
  releaseSkewMs: number | null;
  /** Exec agents on the native spawner: spread between the first ops' processes first running; otherwise null. */
  processSkewMs?: number | null;
  durationMs: number;
  opsPerSec: number;
  /** Exec runs: how the agents' processes were started (`native`: stampede-spawn; `node`: execa). */
  spawner?: LauncherKind;
  options: RunOptions;
  code: Plan['code'];
  startedAt: string;
  runDir: string;
  /** The command that replays this run's plan. */
  replay: string;
  /** The machine it ran on (absent in older folders). */
  platform?: Platform;
  /**
   * The scenario's syscall count gates, as declared, and why they were not measured (no strace, not Linux,
   * STAMPEDE_SYSCALLS=off), or null when they were: then the `syscalls` check holds the figures.
   */
  syscalls?: { gates: Record<string, string>; skipped: string | null };
  /** Latency per op kind (and `all`), written by the json reporter. */
  latency?: LatencyRow[];
  /** The figure budgets the run was judged by and the multiplier (absent when it had none; their results are the `budgets` check). */
  budgets?: BudgetsRecord;
}

/** The timing figures of a summary, from each agent's health, the op totals and the run's length. */
export function runFigures(
  health: readonly AgentHealth[],
  totals: Omit<AgentCounters, 'agent'>,
  durationMs: number,
): Pick<Summary, 'startSkewMs' | 'releaseSkewMs' | 'processSkewMs' | 'durationMs' | 'opsPerSec'> {
  return {
    startSkewMs: spread(health.map((h) => h.firstStartAt ?? h.firstInvokeAt)),
    releaseSkewMs: spread(health.map((h) => h.releasedAt)),
    processSkewMs: spread(health.map((h) => h.firstRunAt ?? null)),
    durationMs: round(durationMs, 1),
    opsPerSec: round(totals.attempted / Math.max(durationMs / 1000, 1e-3), 1),
  };
}

export function spread(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  return round(Math.max(...known) - Math.min(...known));
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summarizeAgents(health: readonly AgentHealth[], counters: readonly AgentCounters[]): AgentSummary[] {
  return health.map((h) => {
    const c = counters[h.agent] ?? { attempted: 0, ok: 0, fail: 0, info: 0 };
    const row: AgentSummary = {
      id: h.agent,
      name: `a${h.agent}`,
      attempted: c.attempted,
      ok: c.ok,
      fail: c.fail,
      info: c.info,
      exit: h.exit,
      processes: h.processes,
      restarts: h.restarts,
      stdoutBytes: h.stdoutBytes,
      stderrBytes: h.stderrBytes,
    };
    if (h.error !== undefined) row.error = h.error;
    return row;
  });
}

export { wasInterrupted } from './interrupts.js';

/** The checks that did not pass, in brief: what gate.json and a merged summary list per run. */
export function failedChecks(checks: readonly CheckResult[]): { name: string; verdict: Verdict; details: string }[] {
  return checks
    .filter((c) => c.verdict !== 'pass')
    .map((c) => ({ name: c.name, verdict: c.verdict, details: c.details }));
}
