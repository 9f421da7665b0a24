// Preparing a run: options checked, the run folder made, the target set up (it says what it preloaded),
// the plan made from the seed and written to plan.json. Nothing of the target runs yet but its setup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { nanoid } from 'nanoid';
import { nativeUnavailable, resolveSpawner, type SpawnerChoice } from '../agents/launch/choose.js';
import type { LauncherKind } from '../agents/launch/launcher.js';
import { faultInfo } from '../faults/catalog.js';
import { buildPlan, execArgv, planLazily, type PlanRequest } from '../plan/plan.js';
import { checkPlanFits, checkPure } from '../plan/plan-check.js';
import { PlanningStopped, writePlanFile, type PlanOnDisk } from '../plan/plan-file.js';
import { freshSeed } from '../plan/rng.js';
import { defaultThreads } from '../pool/pool.js';
import type { OpContext, Scenario, TargetContext } from '../scenario.js';
import type { AgentPlan, Plan, PlannedOp, Preloaded, RunOptions } from '../types.js';
import { codeVersion } from './code-version.js';
import { HarnessError } from './errors.js';
import { LIMITS, MAX_TIMER_MS } from './limits.js';
import { makeResultsFolder } from './results-folder.js';
import { checkCommand } from './preflight.js';
import { parseGates, type SyscallGate } from '../syscalls/gates.js';
import { locateTracing, syscallPlan, type SyscallPlan, type Tracing } from '../syscalls/locate.js';
import type { RunRequest } from './request.js';
import { runBudgets, type RunBudgets } from './run-budgets.js';

export interface PreparedRun {
  scenario: Scenario;
  plan: PlanOnDisk;
  runDir: string;
  ctx: TargetContext;
  startedAt: Date;
  /** Exec runs: how the agents' processes are started. */
  spawner: LauncherKind;
  /** Said in the reports: why `auto` fell back to the node spawner for an exec run, why count gates were skipped. */
  notes: string[];
  /** The figure budgets of the run; null when it has none. `checked: false` when the caller judges them (gate). */
  budgets: RunBudgets | null;
  /** The scenario's syscall count gates and how they are measured; null when it declares none. */
  syscalls: SyscallPlan | null;
}

export function resolveOptions(scenario: Scenario, req: Omit<RunRequest, 'scenario'>): RunOptions {
  const agents = req.agents ?? scenario.agents.count;
  const { budgets } = scenario;
  // Named as the user gave it: the flag, or the scenario's own field when no flag was given.
  const from = (flag: string, given: unknown, field: string): string =>
    given !== undefined ? flag : `scenario ${scenario.name} ${field}`;
  const check = (name: string, value: number, min: number, max: number, unit = ''): number => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new HarnessError(
        `${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')}${unit}, got ${value}`,
      );
    return value;
  };
  const threads = check(
    from('--threads', req.threads, 'threads'),
    req.threads ?? defaultThreads(agents, scenario.agents.kind),
    1,
    LIMITS.threads,
  );
  if (threads > agents)
    throw new HarnessError(
      `--threads ${threads} is more than the ${agents} agents: each thread drives at least one agent; give at most --threads ${agents}`,
    );
  const options: RunOptions = {
    agents: check(from('--agents', req.agents, 'agents.count'), agents, 1, LIMITS.agents),
    ops: check(from('--ops', req.ops, 'workload.opsPerAgent'), req.ops ?? scenario.workload.opsPerAgent, 1, LIMITS.ops),
    timeoutMs: check(
      from('--timeout', req.timeoutMs, 'budgets.opTimeoutMs'),
      req.timeoutMs ?? budgets.opTimeoutMs,
      1,
      MAX_TIMER_MS,
      ' ms',
    ),
    runTimeoutMs: check(
      from('--run-timeout', req.runTimeoutMs, 'budgets.runTimeoutMs'),
      req.runTimeoutMs ?? budgets.runTimeoutMs,
      1,
      MAX_TIMER_MS,
      ' ms',
    ),
    barrierTimeoutMs: check(
      `scenario ${scenario.name} budgets.barrierTimeoutMs`,
      budgets.barrierTimeoutMs,
      1,
      MAX_TIMER_MS,
      ' ms',
    ),
    faults: [...(req.faults ?? scenario.faults)],
    threads,
  };
  const params = resolveParams(scenario, req.params);
  if (Object.keys(params).length > 0) options.params = params;
  return options;
}

/** The scenario's declared parameters with `--param` overrides; a key it does not declare is refused. */
export function resolveParams(scenario: Scenario, given: Record<string, string> | undefined): Record<string, string> {
  const params = { ...scenario.params };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in params)) {
      const known = Object.keys(params);
      throw new HarnessError(
        `--param ${key}: scenario ${scenario.name} has no parameter ${JSON.stringify(key)}; ${known.length > 0 ? `its parameters: ${known.join(', ')}` : 'it declares none (add `params: {...}` to it)'}`,
      );
    }
    params[key] = value;
  }
  return params;
}

/**
 * Plan a run without running it (tests, shrink, repro's check): the plan a run would use, every op in
 * memory. What the target preloads comes from `preloaded` (a recorded plan's) or, when not given, from
 * running its setup in a scratch workspace, as a run would.
 */
export async function planRun(req: RunRequest & { preloaded?: Preloaded[]; workspace?: string }): Promise<Plan> {
  const options = resolveOptions(req.scenario, req);
  const seed = req.seed ?? freshSeed();
  const workspace = req.workspace ?? '';
  const preloaded = req.preloaded ?? (await preloadedBySetup(req.scenario, seed, options));
  const planReq: PlanRequest = {
    scenario: req.scenario,
    scenarioSource: req.scenarioSource ?? req.scenario.name,
    seed,
    options,
    code: await codeVersion(),
    preloaded,
    workspace,
    runDir: workspace,
  };
  return planning(req.scenario.name, seed, () => {
    const plan = buildPlan(planReq);
    checkPure(req.scenario.name, plan, () => planLazily(planReq));
    return plan;
  });
}

async function preloadedBySetup(scenario: Scenario, seed: number, options: RunOptions): Promise<Preloaded[]> {
  if (!scenario.target.setup) return [];
  const scratch = mkdtempSync(join(tmpdir(), 'stampede-plan-'));
  try {
    return await setUp(scenario, {
      workspace: scratch,
      runDir: scratch,
      seed,
      faults: options.faults,
      params: options.params ?? {},
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function prepareRun(req: RunRequest): Promise<PreparedRun> {
  const { scenario } = req;
  const options = req.plan?.options ?? resolveOptions(scenario, req);
  const seed = req.plan?.seed ?? req.seed ?? freshSeed();
  const budgets = runBudgets(scenario, req);
  await preflight(scenario, options);
  const tracing = await syscallTracing(scenario);
  let spawner: LauncherKind;
  try {
    spawner = resolveSpawner(req.spawner ?? 'auto');
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }

  const startedAt = new Date();
  const runDir = resolve(req.resultsDir ?? 'results', runId(startedAt, scenario.name, seed));
  const workspace = join(runDir, 'workspace');
  makeResultsFolder(workspace, req.resultsDir ?? 'results');
  const ctx: TargetContext = { workspace, runDir, seed, faults: options.faults, params: options.params ?? {} };
  try {
    const preloaded = await setUp(scenario, ctx);
    const planToWrite = req.plan
      ? withArgvFor(req.plan, scenario, ctx, preloaded)
      : await planFresh(req, options, seed, preloaded, ctx);
    const plan = await writePlan(join(runDir, 'plan.json'), planToWrite, req.signal);
    const syscalls = tracing && syscallPlan(tracing.gates, tracing.tracing, runDir);
    return {
      scenario,
      plan,
      runDir,
      ctx,
      startedAt,
      spawner,
      notes: [
        ...spawnerNotes(scenario, req.spawner ?? 'auto', spawner),
        ...(syscalls?.skipped ? [`syscall count gates skipped: ${syscalls.skipped}`] : []),
      ],
      budgets: budgets && req.checkBudgets === false ? { ...budgets, checked: false } : budgets,
      syscalls,
    };
  } catch (error) {
    // Nothing ran: a folder holding half a plan would only mislead.
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

/** plan.json written (Ctrl-C stops it there: nothing has run yet); its errors are one line. */
async function writePlan(path: string, plan: Plan, signal: AbortSignal | undefined): Promise<PlanOnDisk> {
  try {
    return await writePlanFile(path, plan, signal);
  } catch (error) {
    if (error instanceof PlanningStopped)
      throw new HarnessError(`${plan.scenario} seed ${plan.seed}: ${error.message}; nothing ran`);
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** An exec run that asked for `auto` and got the node spawner says why (a helper built for another machine...). */
function spawnerNotes(scenario: Scenario, choice: SpawnerChoice, got: LauncherKind): string[] {
  // On Windows execa is the only way, and no news.
  if (scenario.agents.kind !== 'exec' || choice !== 'auto' || got !== 'node' || process.platform === 'win32') return [];
  const why = nativeUnavailable();
  return why ? [`spawner: ${why}`] : [];
}

/** Can the scenario's count gates be measured here (strace)? A gate naming a call this machine lacks is refused. */
async function syscallTracing(scenario: Scenario): Promise<{ gates: SyscallGate[]; tracing: Tracing } | null> {
  if (!scenario.syscalls) return null;
  try {
    const gates = parseGates(scenario.syscalls);
    return { gates, tracing: await locateTracing(gates) };
  } catch (error) {
    throw new HarnessError(`scenario ${scenario.name} syscalls: ${(error as Error).message}`);
  }
}

/** Is the target's program there? One clear line before anything starts. */
async function preflight(scenario: Scenario, options: RunOptions): Promise<void> {
  const { target } = scenario;
  for (const fault of options.faults) {
    try {
      faultInfo(fault, target);
    } catch (error) {
      throw new HarnessError(`--fault ${fault}: ${(error as Error).message}`);
    }
  }
  const kind = scenario.agents.kind;
  const spec = target[kind];
  if (!spec) throw new HarnessError(`target ${target.name} has no ${kind} agent`);
  if (kind === 'client') return; // the module is loaded (and its absence said) by each thread before the barrier
  let args: string[];
  try {
    args = [...((spec as { args?: string[] }).args ?? [])];
  } catch (error) {
    throw new HarnessError(`target ${target.name}: ${(error as Error).message}`);
  }
  await checkCommand((spec as { command: string }).command, args, target.name);
}

/** The target's setup, its failure one clear line naming the target; what it preloaded, checked. */
async function setUp(scenario: Scenario, ctx: TargetContext): Promise<Preloaded[]> {
  let said;
  try {
    said = await scenario.target.setup?.(ctx);
  } catch (error) {
    throw new HarnessError(`target ${scenario.target.name}: setup failed: ${(error as Error).message}`);
  }
  const preloaded = said?.preloaded ?? [];
  if (
    !Array.isArray(preloaded) ||
    preloaded.some((p) => p === null || typeof p !== 'object' || (typeof p.id !== 'string' && typeof p.id !== 'number'))
  ) {
    throw new HarnessError(
      `target ${scenario.target.name}: setup must return { preloaded: [{ id, ... }] } (ids are strings or numbers)`,
    );
  }
  return preloaded;
}

async function planFresh(
  req: RunRequest,
  options: RunOptions,
  seed: number,
  preloaded: Preloaded[],
  ctx: TargetContext,
): Promise<Plan> {
  const planReq: PlanRequest = {
    scenario: req.scenario,
    scenarioSource: req.scenarioSource ?? req.scenario.name,
    seed,
    options,
    code: await codeVersion(),
    preloaded,
    workspace: ctx.workspace,
    runDir: ctx.runDir,
  };
  // Ops are generated as plan.json is written, and read back from it from then on: so a sample is
  // generated twice first (is it pure?) and measured (does it fit?).
  return planning(req.scenario.name, seed, () => {
    const plan = planLazily(planReq);
    checkPure(req.scenario.name, plan, () => planLazily(planReq));
    checkPlanFits(plan, dirname(ctx.runDir));
    return plan;
  });
}

/**
 * A given plan (repro, shrink) runs in a new folder: its exec argv is made again for this run's context, so
 * a target whose argv names its workspace points at the new one. Its preloaded state must be what setup made.
 */
function withArgvFor(plan: Plan, scenario: Scenario, ctx: TargetContext, preloaded: Preloaded[]): Plan {
  if (JSON.stringify(plan.preloaded ?? []) !== JSON.stringify(preloaded)) {
    throw new HarnessError(
      `target ${scenario.target.name}: setup preloaded ${JSON.stringify(preloaded).slice(0, 200)}, but the plan was made with ${JSON.stringify(plan.preloaded ?? []).slice(0, 200)}; a replay needs a setup that makes the same state`,
    );
  }
  const exec = scenario.agents.kind === 'exec' ? scenario.target.exec : undefined;
  if (!exec) return plan;
  const agents = plan.agents.map((agent): AgentPlan => {
    const opCtx: OpContext = { ...ctx, agent: agent.id };
    const source = agent.ops;
    const ops = {
      length: source.length,
      *[Symbol.iterator](): Generator<PlannedOp> {
        for (const op of source) yield { ...op, argv: execArgv(exec.opArgv, op, opCtx) };
      },
    };
    return { ...agent, ops };
  });
  return { ...plan, agents };
}

/** A planning error is the user's to fix (a fault name, a value no argv can carry): one clear line. */
function planning<T>(scenario: string, seed: number, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(`cannot plan ${scenario} with seed ${seed}: ${(error as Error).message}`);
  }
}

function runId(at: Date, scenario: string, seed: number): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.\d+Z$/, '');
  return `${stamp}-${scenario}-s${seed}-${nanoid(4).replace(/[-_]/g, 'x')}`;
}
