// What a caller asks of a run, and what it gets back. run() finds things out; the callers (the CLI, hunt,
// shrink, a user's test) decide which reports to write from what it returns (lib/report/report-run.ts).
import type { SpawnerChoice } from '../agents/launch/choose.js';
import type { OpLog } from '../history/op-log.js';
import type { ProgressSink } from '../progress/progress.js';
import type { Scenario } from '../scenario.js';
import type { Plan } from '../types.js';
import type { ExitCode, Expectation } from './exit-codes.js';
import type { Invoker } from './replay.js';
import type { Summary } from './summary.js';

export interface RunRequest {
  scenario: Scenario;
  /** Suite name or scenario file path, as the replay command should say it. */
  scenarioSource?: string;
  seed?: number;
  agents?: number;
  ops?: number;
  timeoutMs?: number;
  runTimeoutMs?: number;
  faults?: string[];
  threads?: number;
  /** `--param key=value`: override the scenario's declared parameters. */
  params?: Record<string, string>;
  /** Parent folder of run folders. Default `results`. */
  resultsDir?: string;
  /** Live progress; none by default (the CLI passes one). */
  progress?: ProgressSink;
  /** Aborting it stops the run like Ctrl-C: agents killed, partial results written. */
  signal?: AbortSignal;
  invoker?: Invoker;
  /** Run exactly this plan (repro, shrink) instead of planning from the seed. */
  plan?: Plan;
  /** What the run must conclude (default `pass`): `fail` for a kept seed that must go on failing; it sets the exit code. */
  expect?: Expectation;
  /** How exec agents' processes are started (default `auto`: the native spawner where it was built). */
  spawner?: SpawnerChoice;
  /** Figure budgets for this scenario unless it sets the same one itself (a config's `budgets`). */
  defaultBudgets?: Record<string, string>;
  /** Latency budgets x this, throughput budgets / this (a config's `budgetMultiplier`); STAMPEDE_BUDGET_MULTIPLIER wins. Default 1. */
  budgetMultiplier?: number;
  /** false: no budgets check in this run (`stampede gate` judges the budgets over many runs instead). Default true. */
  checkBudgets?: boolean;
}

export interface RunResult {
  /** The verdict and figures, also written to the run folder's summary.json. */
  summary: Summary;
  /** The plan that ran; its agents' ops are read from the run folder's plan.json on each pass. */
  plan: Plan;
  /** The ops, streamed from history.jsonl, exec results read the target's way. */
  ops: OpLog;
  runDir: string;
  exitCode: ExitCode;
  /** What was unusual about the run's files (torn history lines), for the reports. */
  notes: string[];
}
