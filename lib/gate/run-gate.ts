// `stampede gate`: the same plan (one seed) run N times, each a full run with its own results folder, all
// under one gate folder with a gate.json beside them. Each run is judged on its invariants alone; the
// budgets are judged by the gate, over the trimmed mean of each figure (judge-gate.ts), not run by run.
import { join, resolve } from 'node:path';
import { nanoid } from 'nanoid';
import { measureFigure, MULTIPLIER_ENV, type MultiplierSource } from '../checkers/budgets.js';
import { latencyReport } from '../history/latency.js';
import { freshSeed } from '../plan/rng.js';
import { writeAtomic } from '../report/files.js';
import { reportRun } from '../report/report-run.js';
import type { Reporter } from '../report/write-reports.js';
import type { ExitCode } from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import type { RunRequest, RunResult } from '../run/request.js';
import { makeResultsFolder } from '../run/results-folder.js';
import { runBudgets } from '../run/run-budgets.js';
import { run } from '../run/run.js';
import type { LoadedScenario } from '../scenarios/load.js';
import { failedChecks } from '../run/summary.js';
import type { Verdict } from '../types.js';
import { gateVerdict, judgeGate, selectGates, type GateResult, type GateRun } from './judge-gate.js';

export interface GateRequest {
  loaded: LoadedScenario;
  /** `--figure`: the budgets to gate on, by figure (`create.p95`, `p95`); every figure budget when absent. */
  figures?: string[];
  runs: number;
  /** Runs dropped from each end before averaging. */
  trim: number;
  seed?: number;
  /** What every run gets (agents, ops, faults, a config's budgets and multiplier...). */
  request: Omit<RunRequest, 'scenario' | 'scenarioSource' | 'seed' | 'resultsDir' | 'checkBudgets' | 'progress'>;
  /** Parent folder of the gate's folder. */
  resultsDir: string;
  reporters?: readonly Reporter[];
  /** A fresh live progress per run. */
  progress?: (run: number) => RunRequest['progress'];
  /** Told after each run, with its figures (for the terminal). */
  onRun?: (record: GateRun, result: RunResult) => void;
  env?: NodeJS.ProcessEnv;
}

/** gate.json: the gate's verdict, every gated figure over the runs, and each run. Field names are stable. */
export interface GateReport {
  format: 1;
  scenario: string;
  seed: number;
  runs: number;
  trim: number;
  multiplier: number;
  multiplierFrom: MultiplierSource;
  verdict: Verdict;
  exitCode: ExitCode;
  failures: ('invariant' | 'budget')[];
  /** `FAIL (budget: create.p95 trimmed mean 250 ms > 200 ms)`. */
  words: string;
  gates: GateResult[];
  runResults: GateRun[];
  /** Why fewer runs than asked for were made (a harness error, Ctrl-C), or null. */
  stoppedEarly: string | null;
  gateDir: string;
  startedAt: string;
  durationMs: number;
}

/** Checks everything that can be wrong before the first run: the budgets, the figures, the trim. */
export function planGate(req: Pick<GateRequest, 'loaded' | 'figures' | 'runs' | 'trim' | 'request' | 'env'>) {
  const { scenario } = req.loaded;
  const budgets = runBudgets(scenario, req.request, req.env);
  if (2 * req.trim >= req.runs)
    throw new HarnessError(
      `--trim ${req.trim} drops ${2 * req.trim} of ${req.runs} runs (${req.trim} from each end), leaving none to average: give --runs ${2 * req.trim + 1} or more, or a smaller --trim`,
    );
  let gates;
  try {
    gates = selectGates(budgets?.parsed ?? [], req.figures, scenario.name);
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
  return {
    gates,
    multiplier: budgets?.multiplier ?? 1,
    multiplierFrom: budgets?.multiplierFrom ?? ('default' as MultiplierSource),
  };
}

export async function runGate(req: GateRequest): Promise<GateReport> {
  const { scenario, source } = req.loaded;
  const { gates, multiplier, multiplierFrom } = planGate(req);
  const seed = req.seed ?? freshSeed();
  const startedAt = new Date();
  const gateDir = resolve(
    req.resultsDir,
    `gate-${stamp(startedAt)}-${scenario.name}-s${seed}-${nanoid(4).replace(/[-_]/g, 'x')}`,
  );
  makeResultsFolder(gateDir, req.resultsDir);
  const started = performance.now();
  const runs: GateRun[] = [];
  const values = new Map(gates.map((g) => [g.name, [] as (number | null)[]]));
  const whys = new Map(gates.map((g) => [g.name, [] as (string | null)[]]));
  let stoppedEarly: string | null = null;
  for (let i = 1; i <= req.runs; i++) {
    if (req.request.signal?.aborted) {
      stoppedEarly = `${String(req.request.signal.reason)} before run ${i}`;
      break;
    }
    const progress = req.progress?.(i);
    const result = await run({
      ...req.request,
      scenario,
      scenarioSource: source,
      seed,
      resultsDir: gateDir,
      // The gate judges the budgets over all the runs; one run's figure alone decides nothing.
      checkBudgets: false,
      ...(progress ? { progress } : {}),
    });
    await reportRun(result, req.reporters);
    const report = latencyReport(result.ops);
    const figures: Record<string, number | null> = {};
    for (const gate of gates) {
      const measured = measureFigure(report, gate.op, gate.figure);
      figures[gate.name] = measured.value;
      values.get(gate.name)?.push(measured.value);
      whys.get(gate.name)?.push(measured.why ?? null);
    }
    const s = result.summary;
    const record: GateRun = {
      run: i,
      runDir: result.runDir,
      verdict: s.verdict,
      harnessError: s.harnessError,
      exitCode: result.exitCode,
      failedChecks: failedChecks(s.checks),
      figures,
    };
    runs.push(record);
    req.onRun?.(record, result);
    // A run the harness could not carry out (a missing program, Ctrl-C) would go the same way again.
    if (s.harnessError) {
      if (i < req.runs) stoppedEarly = `run ${i}: ${s.harnessError}`;
      break;
    }
  }
  const results = gates.map((g) =>
    judgeGate(g, values.get(g.name) ?? [], whys.get(g.name) ?? [], { runs: req.runs, trim: req.trim, multiplier }),
  );
  const verdict = gateVerdict(runs, results);
  const report: GateReport = {
    format: 1,
    scenario: scenario.name,
    seed,
    runs: req.runs,
    trim: req.trim,
    multiplier,
    multiplierFrom,
    ...verdict,
    gates: results,
    runResults: runs,
    stoppedEarly,
    gateDir,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
  writeAtomic(join(gateDir, 'gate.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** `2 (STAMPEDE_BUDGET_MULTIPLIER)`. */
export function gateMultiplierWords(report: Pick<GateReport, 'multiplier' | 'multiplierFrom'>): string {
  const from = { env: MULTIPLIER_ENV, config: "the config's budgetMultiplier", default: 'default' }[
    report.multiplierFrom
  ];
  return `${report.multiplier} (${from})`;
}

function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.\d+Z$/, '');
}
