// The types every stage agrees on. Data flows one way:
// scenario + seed -> Plan -> pool (threads -> agents -> ops) -> history -> final state -> checkers -> verdicts -> reports.
import type { FaultInfo } from './faults/catalog.js';

/** Anything that survives JSON.stringify/parse unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One operation: a function name and its argument, e.g. `{f: "incr", value: {key: "k1", by: 1}}`. */
export interface Op {
  f: string;
  value: Json;
}

/**
 * What a scenario's own op type must look like: a name and a JSON-serialisable argument. Looser than `Op`
 * so that a user's `type MyOp = {f: 'add'; value: {name: string}} | ...` fits without casts.
 */
export interface OpLike {
  f: string;
  value?: unknown;
}

/** An id as a target hands it out: a number (taskwarrior) or a string (`t-42`, a uuid). Checkers compare them as strings. */
export type Id = string | number;

/** Something the target holds before the run (its `setup` made it and says so), by id. */
export interface Preloaded {
  id: Id;
  [key: string]: Json;
}

/** An op as the plan fixes it for one agent. */
export interface PlannedOp extends Op {
  /** Position in this agent's list (0-based). */
  seq: number;
  /** Seeded pause before invoking this op (the first op of every agent has 0, so start skew is measurable). */
  delayMs: number;
  /** Exec agents: the argv appended to the target's command for this op (computed at plan time, recorded for replay). */
  argv?: string[];
  /** A fault the target should apply to this op only (one the target declares with scope `op`). */
  fault?: string;
}

export type AgentKind = 'exec' | 'session' | 'client';

/**
 * An agent's planned ops. Iterate them with for-of, as often as needed (each pass gives the same ops in
 * order), and read `length` without reading them; do not index. In a run they are read back from plan.json
 * on every pass (PlanFileOps), so a plan's ops never have to fit in memory at once; a plain array is one too
 * (`planRun`, a plan.json parsed whole).
 */
export type PlannedOps = Iterable<PlannedOp> & { readonly length: number };

export interface AgentPlan {
  /** 0-based agent id; agent names are `a<id>`. */
  id: number;
  kind: AgentKind;
  /** Which worker thread drives this agent. */
  thread: number;
  /** Faults applied to this agent's whole process (the target's faults of scope `process` or `one-agent`). */
  faults: string[];
  ops: PlannedOps;
}

/** A harness-side fault: SIGKILL (TerminateProcess on Windows) an agent at a moment after the barrier opens. */
export interface PlannedKill {
  agent: number;
  /** Milliseconds after the barrier opens. */
  atMs: number;
}

/** A harness-side fault on the service: `restart` (SIGKILL its tree, start it again) or `pause` (SIGSTOP, then SIGCONT). */
export interface PlannedServiceFault {
  kind: 'restart' | 'pause';
  /** Milliseconds after the barrier opens. */
  atMs: number;
  /** pause: how long the service stays stopped. */
  forMs?: number;
}

export interface RunOptions {
  agents: number;
  ops: number;
  /** Per-op deadline. */
  timeoutMs: number;
  /** Whole-run deadline. */
  runTimeoutMs: number;
  /** Deadline for every agent to reach the barrier. */
  barrierTimeoutMs: number;
  faults: string[];
  threads: number;
  /** Scenario parameters from `--param key=value`, handed to the target and the workload. */
  params?: Record<string, string>;
}

/** Everything a seed decides. Same seed + same scenario + same options + same code = byte-identical plan. */
export interface Plan {
  format: 1;
  scenario: string;
  /** Where the scenario came from: a suite name, or the absolute path of a scenario file. */
  scenarioSource: string;
  seed: number;
  options: RunOptions;
  code: { version: string; commit: string | null };
  /** What the target's setup said it holds before the run (generate picks from it; checkers expect it kept). */
  preloaded: Preloaded[];
  /** The order in which agents are started (seeded shuffle). */
  startOrder: number[];
  agents: AgentPlan[];
  kills: PlannedKill[];
  /** Restarts and pauses of the service (absent in plans written before services existed). */
  serviceFaults?: PlannedServiceFault[];
}

export type Outcome = 'ok' | 'fail' | 'info';

/** One line of history.jsonl. `invoke` opens an op; `ok`, `fail` or `info` (outcome unknown) closes it. */
export interface HistoryEvent {
  type: 'invoke' | Outcome;
  agent: number;
  seq: number;
  f: string;
  /** invoke: the op's argument. ok: the op's result. fail/info: null. */
  value: Json;
  /** fail/info: why. */
  error?: string;
  /** Milliseconds since the run started (float). */
  time: number;
  /** The OS process that served the op, when known. */
  pid?: number;
  /** Exec ops: what the process left (exit code, bounded stdout and stderr), mapped by the target's `results` when read. */
  out?: ExecOutput;
}

/** What an exec op's process left behind: the raw material of its result. */
export interface ExecOutput {
  /** null when it was killed by a signal or never exited (deadline). */
  code: number | null;
  signal?: string;
  /** stdout, whole up to 1 MiB; past that its first 4 KiB, with `truncated` and its `lastLine`. */
  stdout: string;
  /** The tail of stderr (the last 4 KiB). */
  stderr: string;
  truncated?: boolean;
  /** When truncated: the last line of stdout (where a chatty tool prints its answer). */
  lastLine?: string;
}

/** An op with its invocation and completion paired up. */
export interface OpRecord {
  agent: number;
  seq: number;
  f: string;
  /** The op's argument. */
  value: Json;
  /** `pending` when the history has an invoke but no completion (the run was cut short). */
  outcome: Outcome | 'pending';
  /** The op's result when ok. */
  result: Json;
  error?: string;
  /** Exec ops: the raw output the result was mapped from. */
  out?: ExecOutput;
  start: number;
  end: number | null;
}

/**
 * The ops of a run, paired: what checkers and reports read. Iterate it with for-of, as often as needed
 * (each pass starts from the first op and gives the same ops in the same order), but do not index it,
 * ask its length or collect it into an array: in a run it is an OpLog that reads history.jsonl from
 * disk on every pass, so that a run's ops never have to fit in memory at once. A plain array is one too
 * (tests, small tools). Order: as the ops completed, then the ops left pending; do not rely on it.
 */
export type OpStream = Iterable<OpRecord>;

/** A line of the store that does not parse. */
export interface Corruption {
  file: string;
  line: number;
  text: string;
  error: string;
}

/** A final state may carry the lines of its store that did not parse: the `store-parses` checker reads them. */
export interface WithCorruption {
  corruption?: Corruption[];
}

export type Verdict = 'pass' | 'fail' | 'unknown';

/** One thing a checker found, naming the ops it is about, so a report can link it (a user's checker too). */
export interface Finding {
  /** lost, duplicated, unexpected, out-of-bounds... the checker's own word. */
  kind: string;
  /** What a person reads. */
  label: string;
  /** The ops it concerns, by agent and seq. */
  ops?: { agent: number; seq: number }[];
  /** An agent it is about when it is not about particular ops (harness-health). */
  agent?: number;
}

export interface CheckResult {
  name: string;
  verdict: Verdict;
  /** What was found, in words a person reads first. */
  details: string;
  /** Machine-readable figures (counts, ids...). */
  data?: { [key: string]: Json };
  /** What the report links to the timeline: each finding with the ops it is about. */
  findings?: Finding[];
  /**
   * What a failure of this check means: `budget` for a figure over its limit (the budgets checker, the
   * syscalls count gates), shown as a budget miss; absent (or `invariant`) for a broken invariant such as a
   * lost update.
   */
  kind?: 'invariant' | 'budget';
}

/** How one agent fared as a process, as opposed to how its ops fared. */
export type AgentExit =
  | 'ok' // exited as expected
  | 'spawn-failed' // could not be started
  | 'early-exit' // exited before reaching the barrier
  | 'crashed' // exited during the run without being asked to
  | 'protocol-error' // a session agent said something outside the protocol, or closed its stdout while running
  | 'killed' // killed by the harness (deadline, nemesis, abort)
  | 'not-run'; // never started (run aborted first)

export interface AgentHealth {
  agent: number;
  spawned: boolean;
  reachedBarrier: boolean;
  exit: AgentExit;
  /** Processes started for this agent (exec: one per op; session: 1 + restarts). */
  processes: number;
  /** Session agents restarted after a kill or crash. */
  restarts: number;
  error?: string;
  stdoutBytes: number;
  stderrBytes: number;
  /** When this agent reached the barrier (session: said ready), ms since run start. */
  arrivedAt: number | null;
  /** When this agent saw the barrier open, ms since run start. */
  releasedAt: number | null;
  /** When this agent's first op was invoked, ms since run start. */
  firstInvokeAt: number | null;
  /**
   * When this agent's first op reached it, ms since run start: exec, its process had been started; session,
   * its line had been written. Start skew is measured on this. Absent in run folders written before it existed.
   */
  firstStartAt?: number | null;
  /**
   * Exec agents on the native spawner: when the first op's process itself first ran (got past its gate), ms
   * since run start; how far this trails `firstStartAt` is the operating system's scheduling, not the harness.
   */
  firstRunAt?: number | null;
}

export interface AgentCounters {
  agent: number;
  attempted: number;
  ok: number;
  fail: number;
  info: number;
}

/** How the target's service fared (absent when the target has none). */
export interface ServiceHealth {
  name: string;
  started: boolean;
  ready: boolean;
  readyAfterMs: number | null;
  restarts: number;
  pauses: number;
  /** Restarts and pauses the plan scheduled; fewer landed when the run ended first. */
  planned?: number;
  /** `crashed`: exited during the run without being asked to. */
  exit: 'running' | 'stopped' | 'crashed' | 'failed-to-start' | 'not-ready';
  exitCode: number | null;
  signal: string | null;
  crashedAtMs: number | null;
  /** Its last lines of output, for the message that names it. */
  lastLines: string[];
  error?: string;
  logFile: string;
}

/** Everything a checker may read. `State` is the target's final state type. */
export interface CheckInput<State = unknown> {
  plan: Plan;
  /**
   * Every op, streamed (see OpStream): fold over it with for-of. A checker may keep what it checks
   * (the creates it matches against the final state, the problems it found), not every op.
   */
  ops: OpStream;
  state: State;
  health: AgentHealth[];
  /** The service, when the target has one. */
  service?: ServiceHealth | null;
  /** The faults this target can carry (its own and the harness's), as declared. */
  faults?: FaultInfo[];
  /** Why the run was stopped early (deadline, Ctrl-C, the service crashed), or null. */
  stopReason?: string | null;
  counters: AgentCounters[];
  /** Fraction of attempted ops with unknown outcome above which a checker may answer `unknown`. */
  maxUnknownRatio: number;
}

/**
 * A check over a run. `check` folds over `input.ops` (see OpStream), keeping only what it checks:
 *
 *     check({ ops }) {
 *       const failed: string[] = [];
 *       for (const op of ops) if (op.outcome === 'fail') failed.push(`a${op.agent} seq ${op.seq}`);
 *       return { name: 'no-fails', verdict: failed.length === 0 ? 'pass' : 'fail', details: `${failed.length} ops failed` };
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a suite's checkers take any target's state
export interface Checker<State = any> {
  name: string;
  /** One line: what this checker proves. */
  description: string;
  /** false for a checker that never reads the final state (it still runs when the state could not be read). */
  readsState?: boolean;
  check(input: CheckInput<State>): CheckResult;
}
