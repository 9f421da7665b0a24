// What a scenario file declares: a target, a workload, agents, checks and budgets.
// A scenario is a plain typed object; `defineScenario` only checks it and fills defaults. `O` is the
// scenario's op type (what `generate` returns and `opArgv` receives); `S` is the target's final state.
import type { AgentKind, Checker, ExecOutput, OpLike, Preloaded } from './types.js';
import type { Rng } from './plan/rng.js';
import type { FaultSpec } from './faults/catalog.js';
import { isFigureKey, parseFigureBudget, parseFigureBudgets, type FigureBudgets } from './checkers/budgets.js';
import { parseGates } from './syscalls/gates.js';

/** What the harness tells a target about the run it is part of. */
export interface TargetContext {
  /** A fresh directory for this run's system under test; exec and session agents run with it as their cwd. */
  workspace: string;
  /** The run folder (results/<run>/): the service's log and the agents' logs are written there. */
  runDir: string;
  seed: number;
  /** Faults switched on for this run. */
  faults: string[];
  /** Scenario parameters (`--param key=value`), recorded in the plan and the replay command. */
  params: Record<string, string>;
  /** The target's service, once it is ready (absent when the target has none). */
  service?: ServiceInfo;
}

/** Where the service listens: what clients and `readState` connect to. */
export interface ServiceInfo {
  host: string;
  /** The free TCP port the harness picked for it (`ctx.port` when the service spec was built). */
  port: number;
  pid: number;
}

/** The context of one agent: what every per-agent hook (opArgv, client open) gets. */
export interface OpContext extends TargetContext {
  /** 0-based agent id; the agent's name is `a<id>`. */
  agent: number;
}

/**
 * How an exec op's process outcome becomes `ok` (with a value), `fail` (definitely did not happen) or
 * `info` (unknown). The exit-code lists are data, so the worker threads classify each op as it ends (the
 * live counters stay true); `parse` and `reason` are functions, which cannot cross into a worker thread,
 * so they run on the main thread over the recorded output (ExecOutput) when the history is read.
 */
export interface ExecResults {
  /** Exit codes meaning the op happened. Default [0]. */
  okExitCodes?: number[];
  /** Exit codes meaning the op definitely did not happen. Default [1]. */
  failExitCodes?: number[];
  /** Exit codes meaning the outcome is unknown. Any code in no list is unknown too, and said to be undeclared. */
  infoExitCodes?: number[];
  /** An ok op's value from its output, e.g. `Created task 7.` -> `{id: 7}`. Default: stdout as JSON, else `{stdout}`. */
  parse?(out: ExecOutput): unknown;
  /** Why a failed or unknown op did not succeed, in a few words that group well (`ref lock`). Default: the first meaningful stderr line. */
  reason?(out: ExecOutput): string | null | undefined;
}

/** How one exec agent runs one op: `command ...args ...opArgv(op, ctx)`, one process per op, cwd the workspace. */
export interface ExecAgentSpec<O extends OpLike = OpLike> {
  command: string;
  args?: string[];
  /** Called at plan time; the result is recorded in plan.json. */
  opArgv(op: O, ctx: OpContext): string[];
  results?: ExecResults;
}

/** How one session agent is started: one long-lived process speaking the JSON-lines protocol. */
export interface SessionAgentSpec {
  command: string;
  args?: string[];
}

/** Client agents: a module each worker thread loads (`open(ctx)` -> `{invoke, close}`), one connection per agent. */
export interface ClientAgentSpec {
  /** Absolute path of a .ts/.mts/.cts/.js/.mjs module, e.g. `fileURLToPath(new URL('./client.ts', import.meta.url))`. */
  module: string;
}

/** A long-lived program the target runs: started before the agents, ready-checked, watched, stopped after. */
export interface ServiceSpec {
  command: string;
  args?: string[];
  /** Added to the harness's environment. */
  env?: Record<string, string>;
  /** Default: the workspace. */
  cwd?: string;
  /** Ready when: a TCP port accepts, a unix socket (a named pipe on Windows) accepts, a line of its output matches, or a probe command exits 0. */
  ready:
    | { port: number; host?: string }
    | { socket: string }
    | { line: RegExp }
    | { probe: { command: string; args?: string[] } };
  /** Default 10 s. */
  readyTimeoutMs?: number;
  /** Grace after SIGTERM before the tree is SIGKILLed. Default 2 s. */
  stopTimeoutMs?: number;
}

/** What `setup` may say about the state it made. */
export interface SetupResult {
  /** What the target holds before the run, by id: `generate` picks from it, and the set model expects it kept. */
  preloaded?: Preloaded[];
}

export interface Target<O extends OpLike = OpLike, S = unknown> {
  name: string;
  /** Present when the target can be driven one process per op. */
  exec?: ExecAgentSpec<O>;
  /** Present when the target has a session-agent entry. */
  session?: SessionAgentSpec;
  /** Present when the target is driven by an in-process client module. */
  client?: ClientAgentSpec;
  /** A server or daemon to start before the agents (`ctx.port` is a free port picked for it). */
  service?(ctx: TargetContext & { port: number }): ServiceSpec;
  /** Faults this target can carry: `--fault` accepts these and the harness's own (kill, restart, pause). */
  faults?: FaultSpec[];
  /** Environment for every agent process and the service (the harness adds STAMPEDE_* variables). */
  env?(ctx: TargetContext): Record<string, string>;
  /** Prepare the empty workspace (before the service starts and before planning). */
  setup?(ctx: TargetContext): Promise<SetupResult | void> | SetupResult | void;
  /** Read the final state once every agent has exited (the service, if any, still runs). Throws when it cannot. */
  readState(ctx: TargetContext): Promise<S> | S;
  /** Undo what setup made outside the workspace (after the service has stopped). */
  teardown?(ctx: TargetContext): Promise<void> | void;
}

export interface GenerateContext {
  /** 0-based agent id. */
  agent: number;
  /** 0-based position in the agent's op list. */
  seq: number;
  /** This agent's seeded random stream. */
  rng: Rng;
  /** What the target held before the run (its setup said so). */
  preloaded: readonly Preloaded[];
  /** Scenario parameters (`--param key=value`). */
  params: Readonly<Record<string, string>>;
}

/** An op, optionally with a fault the scenario itself wants applied to it (the timeouts scenario's hangs). */
export type GeneratedOp<O extends OpLike = OpLike> = O & { fault?: string };

export interface Workload<O extends OpLike = OpLike> {
  /** Default ops per agent (`--ops` overrides). */
  opsPerAgent: number;
  /** Seeded pause before each op after the first, [min, max] ms. Default [0, 0]. */
  jitterMs?: [number, number];
  /** Agent `ctx.agent`'s op number `ctx.seq`. Must be a pure function of its context. */
  generate(ctx: GenerateContext): GeneratedOp<O>;
}

/** The run's deadlines (figure budgets such as `'create.p95': '< 200ms'` sit beside them: ScenarioBudgets). */
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

/**
 * What a scenario's `budgets` may hold: its deadlines, and limits on figures judged by the `budgets` checker
 * (`'create.p95': '< 200ms'`, `'all.errorRatio': '< 1%'`, `opsPerSec: '> 100'`; see lib/checkers/budgets.ts).
 */
export type ScenarioBudgets = Partial<Budgets> & FigureBudgets;

export interface ScenarioInput<O extends OpLike = OpLike, S = unknown> {
  name: string;
  /** What it does and why, in a sentence or two. */
  description: string;
  target: Target<O, S>;
  agents: { count: number; kind: AgentKind };
  workload: Workload<O>;
  checks: Checker<S>[];
  /** Deadlines and figure budgets; deadlines not given take DEFAULT_BUDGETS. */
  budgets?: ScenarioBudgets;
  /** Faults this scenario runs with unless `--fault` says otherwise. */
  faults?: string[];
  /** Default values of the scenario's parameters (`--param key=value` overrides; an unknown key is refused). */
  params?: Record<string, string>;
  /**
   * Count gates on the system calls of the target's processes (exec ops, session agents, the service),
   * counted with strace on Linux and skipped, with a note, where it is missing: per op (`'<= 2 per op'`) or
   * over the run (`'< 50'`). A key is a system call (`fsync`, `fdatasync`) or a family (`rename`, `open`,
   * `write`, `read`, `unlink`). A miss is a budget miss of the `syscalls` check. See lib/syscalls/.
   */
  syscalls?: Record<string, string>;
}

export interface Scenario<O extends OpLike = OpLike, S = unknown> extends ScenarioInput<O, S> {
  budgets: Budgets & FigureBudgets;
  faults: string[];
  params: Record<string, string>;
}

export const DEFAULT_BUDGETS: Budgets = {
  opTimeoutMs: 10_000,
  runTimeoutMs: 120_000,
  barrierTimeoutMs: 30_000,
  maxUnknownRatio: 0.5,
};

const DEADLINES = Object.keys(DEFAULT_BUDGETS) as (keyof Budgets)[];

/** The figure budgets of a scenario's `budgets` (every key but the deadlines), as written. */
export function figureBudgetsOf(budgets: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(budgets ?? {}))
    if (!(DEADLINES as string[]).includes(key)) out[key] = value as string;
  return out;
}

/** What is wrong with a scenario's `budgets`, one line per key: a deadline that is not a number, a figure budget that does not parse. */
function budgetProblems(budgets: unknown): string[] {
  if (budgets === undefined) return [];
  if (budgets === null || typeof budgets !== 'object' || Array.isArray(budgets))
    return ["budgets must be an object such as { opTimeoutMs: 5000, 'create.p95': '< 200ms' }"];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(budgets)) {
    if ((DEADLINES as string[]).includes(key)) {
      // Their ranges are checked when a run resolves its options (resolveOptions), where a flag can override them.
      if (typeof value !== 'number' || !Number.isFinite(value))
        problems.push(`budgets.${key} must be a number, got ${JSON.stringify(value)}`);
    } else if (!isFigureKey(key)) {
      problems.push(
        `budgets[${JSON.stringify(key)}]: not a budget key; accepted: ${DEADLINES.join(', ')}, or a figure budget '<op kind or all>.<figure>' (figure: p50, p95, p99, max, opsPerSec, errorRatio)`,
      );
    } else {
      try {
        parseFigureBudget(key, value);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (problems.length > 0) return problems;
  try {
    parseFigureBudgets(figureBudgetsOf(budgets)); // one figure given twice: `p95` and `all.p95`
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

const AGENT_KINDS: readonly AgentKind[] = ['exec', 'session', 'client'];

/** Check a scenario and fill its defaults. Throws a readable error for a malformed one. */
export function defineScenario<const O extends OpLike, S>(input: ScenarioInput<O, S>): Scenario<O, S> {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.name ?? ''))
    problems.push(`name must be lower-case words joined by '-', got ${JSON.stringify(input.name)}`);
  if (!input.target) problems.push('target is required');
  else if (typeof input.target.readState !== 'function')
    problems.push(`target ${input.target.name} needs a readState(ctx) function`);
  if (!Number.isInteger(input.agents?.count) || input.agents.count < 1)
    problems.push('agents.count must be a positive integer');
  const kind = input.agents?.kind;
  if (!AGENT_KINDS.includes(kind))
    problems.push(`agents.kind must be one of ${AGENT_KINDS.map((k) => `'${k}'`).join(', ')}`);
  else if (input.target && !input.target[kind])
    problems.push(`target ${input.target.name} has no ${kind} agent spec (target.${kind})`);
  if (!Number.isInteger(input.workload?.opsPerAgent) || input.workload.opsPerAgent < 1)
    problems.push('workload.opsPerAgent must be a positive integer');
  if (typeof input.workload?.generate !== 'function') problems.push('workload.generate must be a function');
  if (!Array.isArray(input.checks) || input.checks.length === 0) problems.push('checks must list at least one checker');
  problems.push(...budgetProblems(input.budgets));
  if (input.syscalls !== undefined) problems.push(...syscallProblems(input));
  for (const [key, value] of Object.entries(input.params ?? {}))
    if (typeof value !== 'string') problems.push(`params.${key} must be a string`);
  if (problems.length > 0) throw new Error(`scenario ${input.name ?? '(unnamed)'} is invalid: ${problems.join('; ')}`);
  return {
    ...input,
    budgets: { ...DEFAULT_BUDGETS, ...input.budgets },
    faults: input.faults ?? [],
    params: { ...input.params },
  };
}

/** What is wrong with a scenario's count gates (lib/syscalls/gates.ts), if anything. */
function syscallProblems(input: ScenarioInput<OpLike, unknown>): string[] {
  const declared = input.syscalls;
  if (declared === null || typeof declared !== 'object' || Array.isArray(declared))
    return [`syscalls must be an object such as { fsync: '<= 2 per op' }`];
  const problems: string[] = [];
  try {
    if (parseGates(declared).length === 0) problems.push('syscalls declares no gate (remove it, or add one)');
  } catch (error) {
    problems.push(`syscalls: ${(error as Error).message}`);
  }
  // Client agents run inside the harness: only a service is a process of the target's to count.
  if (input.agents?.kind === 'client' && input.target && !input.target.service)
    problems.push(
      "syscalls gates count the calls of the target's processes, and client agents run inside the harness: give the target a service, or use exec or session agents",
    );
  return problems;
}

/** Type a target on its own (its op and state types), to share between scenarios. */
export function defineTarget<const O extends OpLike, S>(target: Target<O, S>): Target<O, S> {
  return target;
}
