// What a scenario file declares: a target, a workload, agents, checks and budgets.
// A scenario is a plain typed object; `defineScenario` only checks it and fills defaults.
import type { AgentKind, Checker, FinalState, Op, PreloadItem } from './types.js';
import type { Rng } from './plan/rng.js';

/** What the harness tells a target about the run it is part of. */
export interface TargetContext {
  /** A fresh directory for this run's system under test. */
  workspace: string;
  seed: number;
  /** Faults switched on for this run. */
  faults: string[];
}

/** How one exec agent runs one op: `command ...args ...opArgv(op)`, one process per op. */
export interface ExecAgentSpec {
  command: string;
  args?: string[];
  /** Called at plan time; the result is recorded in plan.json. */
  opArgv(op: Op): string[];
}

/** How one session agent is started: one long-lived process speaking the JSON-lines protocol. */
export interface SessionAgentSpec {
  command: string;
  args?: string[];
}

export interface Target {
  name: string;
  /** Present when the target can be driven one process per op. */
  exec?: ExecAgentSpec;
  /** Present when the target has a session-agent entry. */
  session?: SessionAgentSpec;
  /** Environment for every agent process (the harness adds STAMPEDE_* variables). */
  env?(ctx: TargetContext): Record<string, string>;
  /** Prepare an empty workspace, holding the preloaded items. Runs before any agent starts. */
  setup(ctx: TargetContext, preload: PreloadItem[]): Promise<void>;
  /** Read the final state once every agent has exited. Corrupt lines are reported, never thrown away. */
  readState(ctx: TargetContext): Promise<FinalState>;
}

export interface GenerateContext {
  /** 0-based agent id. */
  agent: number;
  /** 0-based position in the agent's op list. */
  seq: number;
  /** This agent's seeded random stream. */
  rng: Rng;
  /** Items that exist before the run starts. */
  preload: PreloadItem[];
}

/** An op, optionally with a fault the scenario itself wants applied to it (the timeouts scenario's hangs). */
export interface GeneratedOp extends Op {
  fault?: string;
}

export interface Workload {
  /** Default ops per agent (`--ops` overrides). */
  opsPerAgent: number;
  /** Items the target holds before the run (ids `t-1`..`t-N`). */
  preload?: number;
  /** Seeded pause before each op after the first, [min, max] ms. Default [0, 0]. */
  jitterMs?: [number, number];
  /** Agent `ctx.agent`'s op number `ctx.seq`. Must be a pure function of its context. */
  generate(ctx: GenerateContext): GeneratedOp;
}

export interface Budgets {
  /** Per-op deadline in ms; on expiry the op is `info` and its process tree is killed. */
  opTimeoutMs: number;
  /** Whole-run deadline in ms. */
  runTimeoutMs: number;
  /** Deadline for every agent to reach the barrier. */
  barrierTimeoutMs: number;
  /** Above this fraction of unknown outcomes, checkers may answer `unknown`. */
  maxUnknownRatio: number;
}

export interface ScenarioInput {
  name: string;
  /** What it does and why, in a sentence or two. */
  description: string;
  target: Target;
  agents: { count: number; kind: AgentKind };
  workload: Workload;
  checks: Checker[];
  budgets?: Partial<Budgets>;
  /** Faults this scenario runs with unless `--fault` says otherwise. */
  faults?: string[];
}

export interface Scenario extends ScenarioInput {
  budgets: Budgets;
  faults: string[];
}

export const DEFAULT_BUDGETS: Budgets = {
  opTimeoutMs: 10_000,
  runTimeoutMs: 120_000,
  barrierTimeoutMs: 30_000,
  maxUnknownRatio: 0.5,
};

/** Check a scenario and fill its defaults. Throws a readable error for a malformed one. */
export function defineScenario(input: ScenarioInput): Scenario {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.name ?? '')) problems.push(`name must be lower-case words joined by '-', got ${JSON.stringify(input.name)}`);
  if (!input.target) problems.push('target is required');
  if (!Number.isInteger(input.agents?.count) || input.agents.count < 1) problems.push('agents.count must be a positive integer');
  const kind = input.agents?.kind;
  if (kind !== 'exec' && kind !== 'session') problems.push(`agents.kind must be 'exec' or 'session'`);
  else if (input.target && !input.target[kind]) problems.push(`target ${input.target.name} has no ${kind} agent spec`);
  if (!Number.isInteger(input.workload?.opsPerAgent) || input.workload.opsPerAgent < 1) problems.push('workload.opsPerAgent must be a positive integer');
  if (typeof input.workload?.generate !== 'function') problems.push('workload.generate must be a function');
  if (!Array.isArray(input.checks) || input.checks.length === 0) problems.push('checks must list at least one checker');
  if (problems.length > 0) throw new Error(`scenario ${input.name ?? '(unnamed)'} is invalid: ${problems.join('; ')}`);
  return { ...input, budgets: { ...DEFAULT_BUDGETS, ...input.budgets }, faults: input.faults ?? [] };
}
