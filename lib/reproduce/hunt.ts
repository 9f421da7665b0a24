// Hunt: try fresh seeds until one fails or the limits run out (like Go's `stress`). Passing runs'
// folders are removed; every failing run's folder is kept, with its replay command.
import { wasInterrupted } from '../run/summary.js';
import { rmSync } from 'node:fs';
import { freshSeed } from '../plan/rng.js';
import { completeReports } from '../report/write-reports.js';
import { run, type RunResult } from '../run/run.js';
import type { Invoker } from '../run/replay.js';
import type { LoadedScenario } from '../scenarios/load.js';
import { count, emptyTally, type Tally } from './rate.js';

export interface HuntRequest {
  scenarios: LoadedScenario[];
  /** Stop after this many runs. */
  runs: number;
  timeLimitMs: number;
  parallel: number;
  /** Keep hunting after the first failure (until the limits). */
  keepGoing: boolean;
  resultsDir: string;
  overrides: { agents?: number; ops?: number; timeoutMs?: number; faults?: string[]; threads?: number };
  /** The config's figure budgets and multiplier, judged in every run as `run` does. */
  budgets?: { defaultBudgets?: Record<string, string>; budgetMultiplier?: number; checkBudgets?: false };
  signal?: AbortSignal;
  /** Called with every finished run. */
  onRun?: (result: RunResult, tally: Tally) => void;
  invoker?: Invoker;
  /** Seeds to use instead of fresh ones (tests). */
  seeds?: () => number;
}

export interface HuntResult {
  tally: Tally;
  failures: RunResult[];
  elapsedMs: number;
  stoppedBecause: 'found a failure' | 'run limit' | 'time limit' | 'interrupted';
}

export async function hunt(req: HuntRequest): Promise<HuntResult> {
  const tally = emptyTally();
  const failures: RunResult[] = [];
  const started = performance.now();
  let launched = 0;
  const timeUp = (): boolean => performance.now() - started >= req.timeLimitMs;
  const shouldStop = (): boolean =>
    Boolean(req.signal?.aborted) || launched >= req.runs || timeUp() || (!req.keepGoing && failures.length > 0);
  const nextSeed = req.seeds ?? freshSeed;

  const lane = async (): Promise<void> => {
    while (!shouldStop()) {
      const loaded = req.scenarios[launched % req.scenarios.length] as LoadedScenario;
      launched += 1;
      const result = await run({
        scenario: loaded.scenario,
        scenarioSource: loaded.source,
        seed: nextSeed(),
        resultsDir: req.resultsDir,
        ...req.overrides,
        ...req.budgets,
        ...(req.invoker ? { invoker: req.invoker } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const interrupted = wasInterrupted(result.summary.stopReason);
      if (!interrupted) count(tally, result.summary.verdict, result.summary.harnessError);
      if (!interrupted && (result.summary.verdict !== 'pass' || result.summary.harnessError)) {
        await completeReports(result);
        failures.push(result);
      } else rmSync(result.runDir, { recursive: true, force: true });
      req.onRun?.(result, tally);
    }
  };
  await Promise.all(Array.from({ length: req.parallel }, lane));
  const stoppedBecause = req.signal?.aborted
    ? 'interrupted'
    : failures.length > 0 && !req.keepGoing
      ? 'found a failure'
      : launched >= req.runs
        ? 'run limit'
        : 'time limit';
  return { tally, failures, elapsedMs: performance.now() - started, stoppedBecause };
}
