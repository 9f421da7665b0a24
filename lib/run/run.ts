// One run of one scenario with one seed: plan -> pool -> history -> final state -> checkers -> summary.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nanoid } from 'nanoid';
import { resolveSpawner, type SpawnerChoice } from '../agents/launch/choose.js';
import { runChecker, withHarnessHealth } from '../checkers/run-checkers.js';
import { mergeHistoryParts } from '../history/merge.js';
import { OpLog } from '../history/op-log.js';
import { buildPlan, planLazily, type PlanRequest } from '../plan/plan.js';
import { writePlanFile, type PlanOnDisk } from '../plan/plan-file.js';
import { freshSeed } from '../plan/rng.js';
import { defaultThreads, startPool } from '../pool/pool.js';
import type { ProgressSink } from '../progress/progress.js';
import type { Scenario, TargetContext } from '../scenario.js';
import type { CheckInput, FinalState, Plan, RunOptions } from '../types.js';
import { codeVersion } from './code-version.js';
import { HarnessError } from './errors.js';
import { combineVerdicts, exitCodeFor, judgedVerdict, type ExitCode, type Expectation } from './exit-codes.js';
import { checkCommand } from './preflight.js';
import { replayCommand, replayDefaults, type Invoker } from './replay.js';
import { runFigures, summarizeAgents, type Summary } from './summary.js';
import { writeReports, type Reporter } from '../report/write-reports.js';

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
  /** Parent folder of run folders. Default `results`. */
  resultsDir?: string;
  /** Live progress; none by default (the CLI passes one). */
  progress?: ProgressSink;
  /** Aborting it stops the run like Ctrl-C: agents killed, partial results written. */
  signal?: AbortSignal;
  invoker?: Invoker;
  /** Run exactly this plan (repro, shrink) instead of planning from the seed. */
  plan?: Plan;
  /** Reports to write into the run folder (default: all). summary.json is always written. */
  reporters?: Reporter[];
  /** What the run must conclude (default `pass`): `fail` for a kept seed that must go on failing; it sets the exit code. */
  expect?: Expectation;
  /** How exec agents' processes are started (default `auto`: the native spawner where it was built). */
  spawner?: SpawnerChoice;
}

export interface RunResult {
  summary: Summary;
  /** The plan that ran; its agents' ops are read from the run folder's plan.json on each pass. */
  plan: Plan;
  runDir: string;
  exitCode: ExitCode;
  /** The terminal summary table. */
  table: string;
  /** What was unusual about the run's files (torn history lines), for the reports. */
  notes: string[];
}

export function resolveOptions(scenario: Scenario, req: Omit<RunRequest, 'scenario'>): RunOptions {
  const agents = req.agents ?? scenario.agents.count;
  const check = (name: string, value: number, min: number): number => {
    if (!Number.isInteger(value) || value < min) throw new HarnessError(`${name} must be an integer >= ${min}, got ${value}`);
    return value;
  };
  return {
    agents: check('--agents', agents, 1),
    ops: check('--ops', req.ops ?? scenario.workload.opsPerAgent, 1),
    timeoutMs: check('--timeout', req.timeoutMs ?? scenario.budgets.opTimeoutMs, 1),
    runTimeoutMs: check('run timeout', req.runTimeoutMs ?? scenario.budgets.runTimeoutMs, 1),
    barrierTimeoutMs: scenario.budgets.barrierTimeoutMs,
    faults: [...(req.faults ?? scenario.faults)],
    threads: check('--threads', req.threads ?? defaultThreads(agents, scenario.agents.kind), 1),
  };
}

/** Plan a run without running it: the same plan the run would use, every op in memory. */
export async function planRun(req: RunRequest): Promise<Plan> {
  const planReq = await planRequest(req);
  return planning(planReq.scenario.name, planReq.seed, () => buildPlan(planReq));
}

async function planRequest(req: RunRequest): Promise<PlanRequest> {
  const options = resolveOptions(req.scenario, req);
  return { scenario: req.scenario, scenarioSource: req.scenarioSource ?? req.scenario.name, seed: req.seed ?? freshSeed(), options, code: await codeVersion() };
}

async function planLazilyFor(req: RunRequest): Promise<Plan> {
  const planReq = await planRequest(req);
  return planning(planReq.scenario.name, planReq.seed, () => planLazily(planReq));
}

/** A planning error is the user's to fix (a fault name, a value no argv can carry): one clear line. */
function planning<T>(scenario: string, seed: number, make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new HarnessError(`cannot plan ${scenario} with seed ${seed}: ${(error as Error).message}`);
  }
}

export async function run(req: RunRequest): Promise<RunResult> {
  const { scenario } = req;
  // Without a given plan, ops are generated as plan.json is written and read back from it from then on.
  const planToWrite = req.plan ?? (await planLazilyFor(req));
  const spec = scenario.target[scenario.agents.kind];
  if (!spec) throw new HarnessError(`target ${scenario.target.name} has no ${scenario.agents.kind} agent`);
  let args: string[];
  try {
    args = [...(spec.args ?? [])];
  } catch (error) {
    throw new HarnessError(`target ${scenario.target.name}: ${(error as Error).message}`);
  }
  await checkCommand(spec.command, args, scenario.target.name);
  let spawner;
  try {
    spawner = resolveSpawner(req.spawner ?? 'auto');
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }

  const startedAt = new Date();
  const runDir = resolve(req.resultsDir ?? 'results', runId(startedAt, planToWrite));
  const workspace = join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  let plan: PlanOnDisk;
  try {
    plan = planning(scenario.name, planToWrite.seed, () => writePlanFile(join(runDir, 'plan.json'), planToWrite));
  } catch (error) {
    // Nothing ran: a folder holding half a plan would only mislead.
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  const ctx: TargetContext = { workspace, seed: plan.seed, faults: plan.options.faults };
  await scenario.target.setup(ctx, plan.preload);

  const runStartEpoch = performance.timeOrigin + performance.now();
  const totalOps = plan.options.agents * plan.options.ops;
  const pool = startPool({
    plan,
    runStartEpoch,
    runDir,
    workspace,
    startTimeoutMs: scenario.budgets.barrierTimeoutMs,
    agent: { kind: scenario.agents.kind, command: spec.command, args, env: { ...inheritedEnv(), ...scenario.target.env?.(ctx) }, failExitCodes: [1], spawner },
    onOpen: () => req.progress?.start(pool.counters, totalOps),
  });
  const deadline = setTimeout(() => pool.halt('run deadline reached'), plan.options.runTimeoutMs);
  const onAbort = (): void => pool.halt('interrupted (Ctrl-C)');
  req.signal?.addEventListener('abort', onAbort);
  if (req.signal?.aborted) onAbort();
  let outcome;
  try {
    outcome = await pool.done;
  } finally {
    clearTimeout(deadline);
    req.signal?.removeEventListener('abort', onAbort);
    req.progress?.stop();
  }
  const durationMs = performance.timeOrigin + performance.now() - runStartEpoch;

  // The history stays on disk: checkers and reports stream it (OpLog), so memory does not grow with ops.
  const merged = mergeHistoryParts(runDir);
  const ops = OpLog.ofRun(runDir);
  const state = await readFinalState(scenario, ctx);
  writeFileSync(join(runDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  writeFileSync(join(runDir, 'health.json'), `${JSON.stringify(outcome.health, null, 2)}\n`);
  const counters = pool.counters.all();
  const input: CheckInput = { plan, ops, state, health: outcome.health, counters, maxUnknownRatio: scenario.budgets.maxUnknownRatio };
  const checks = withHarnessHealth(scenario.checks).map((checker) => runChecker(checker, input));

  const startFailure = outcome.health.find((h) => h.exit === 'spawn-failed' || h.exit === 'early-exit');
  const stopReason = pool.stop.raised ? pool.stop.reason : null;
  const harnessError =
    (startFailure?.error && `agent a${startFailure.agent}: ${startFailure.error}`) ||
    outcome.barrierError ||
    outcome.threadError ||
    (stopReason === 'interrupted (Ctrl-C)' ? 'interrupted (Ctrl-C): partial results written' : null) ||
    (merged.truncatedParts.length > 0 ? `history parts with a torn last line: ${merged.truncatedParts.join(', ')}` : null);
  const verdict = combineVerdicts(checks.map((c) => c.verdict));
  const totals = pool.counters.totals();
  const summary: Summary = {
    format: 1,
    scenario: plan.scenario,
    seed: plan.seed,
    verdict,
    expect: req.expect ?? 'pass',
    harnessError,
    stopReason,
    checks,
    agents: summarizeAgents(outcome.health, counters),
    totals,
    ...runFigures(outcome.health, totals, durationMs),
    ...(scenario.agents.kind === 'exec' ? { spawner } : {}),
    options: plan.options,
    code: plan.code,
    startedAt: startedAt.toISOString(),
    runDir,
    replay: replayCommand(plan, replayDefaults(scenario), req.invoker ?? 'npx'),
  };
  // Written before the reports, so the verdict is on disk even if building a report fails.
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const notes = merged.truncatedParts.map((part) => `torn last line dropped in ${part}`);
  const reports = await writeReports(runDir, { plan, ops, summary, notes }, req.reporters);
  return { summary, plan, runDir, exitCode: exitCodeFor(judgedVerdict(verdict, req.expect), harnessError), table: reports.table, notes };
}

async function readFinalState(scenario: Scenario, ctx: TargetContext): Promise<FinalState> {
  try {
    return await scenario.target.readState(ctx);
  } catch (error) {
    // The store could not even be read: that is what the run found, so report it as corruption.
    return { items: [], corruption: [{ file: ctx.workspace, line: 0, text: '', error: `could not read the final state: ${(error as Error).message}` }] };
  }
}

/** Agents get the harness's environment minus its own STAMPEDE_* variables (a nested run must not leak them). */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('STAMPEDE_')) env[key] = value;
  return env;
}

function runId(at: Date, plan: Plan): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.\d+Z$/, '');
  return `${stamp}-${plan.scenario}-s${plan.seed}-${nanoid(4).replace(/[-_]/g, 'x')}`;
}
