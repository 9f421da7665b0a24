// The types every stage agrees on. Data flows one way:
// scenario + seed -> Plan -> pool (threads -> agents -> ops) -> history -> FinalState -> checkers -> verdicts -> reports.

/** Anything that survives JSON.stringify/parse unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One operation: a function name and its argument, e.g. `{f: "create", value: {title: "a3-7"}}`. */
export interface Op {
  f: string;
  value: Json;
}

/** An op as the plan fixes it for one agent. */
export interface PlannedOp extends Op {
  /** Position in this agent's list (0-based). */
  seq: number;
  /** Seeded pause before invoking this op (the first op of every agent has 0, so start skew is measurable). */
  delayMs: number;
  /** Exec agents: the argv appended to the target's command for this op (computed at plan time, recorded for replay). */
  argv?: string[];
  /** A fault the target should apply to this op only (reference tracker: `hang`, `crash-before-rename`). */
  fault?: string;
}

export type AgentKind = 'exec' | 'session';

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
  /** Faults applied to this agent's whole process (reference tracker: `flood`, `slow-start`, `exit-early`, ...). */
  faults: string[];
  ops: PlannedOps;
}

/** A harness-side fault: SIGKILL (TerminateProcess on Windows) an agent at a moment after the barrier opens. */
export interface PlannedKill {
  agent: number;
  /** Milliseconds after the barrier opens. */
  atMs: number;
}

/** An item that the target holds before the run starts, so updates and comments have something to touch. */
export interface PreloadItem {
  id: string;
  title: string;
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
  preload: PreloadItem[];
  /** The order in which agents are started (seeded shuffle). */
  startOrder: number[];
  agents: AgentPlan[];
  kills: PlannedKill[];
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

/** One item as the target's final state shows it. */
export interface Item {
  id: string;
  title: string;
  /** Counter-style field: how many `comment` increments the item received. */
  comments?: number;
  [key: string]: Json | undefined;
}

/** A line of the store that does not parse. */
export interface Corruption {
  file: string;
  line: number;
  text: string;
  error: string;
}

export interface FinalState {
  items: Item[];
  corruption: Corruption[];
}

export type Verdict = 'pass' | 'fail' | 'unknown';

export interface CheckResult {
  name: string;
  verdict: Verdict;
  /** What was found, in words a person reads first. */
  details: string;
  /** Machine-readable findings (lost ids, duplicated ids, ...). */
  data?: { [key: string]: Json };
}

/** How one agent fared as a process, as opposed to how its ops fared. */
export type AgentExit =
  | 'ok' // exited as expected
  | 'spawn-failed' // could not be started
  | 'early-exit' // exited before reaching the barrier
  | 'crashed' // exited during the run without being asked to
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

/** Everything a checker may read. */
export interface CheckInput {
  plan: Plan;
  /**
   * Every op, streamed (see OpStream): fold over it with for-of. A checker may keep what it checks
   * (the creates it matches against the final state, the problems it found), not every op.
   */
  ops: OpStream;
  state: FinalState;
  health: AgentHealth[];
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
export interface Checker {
  name: string;
  /** One line: what this checker proves. */
  description: string;
  check(input: CheckInput): CheckResult;
}
