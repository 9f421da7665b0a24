// What the op loop needs from an agent, whichever kind it is.
import type { AgentHealth, ExecOutput, Json, Outcome, PlannedOp } from '../types.js';
import type { AgentLog } from './agent-log.js';
import type { Tracer } from '../syscalls/strace-argv.js';

export interface OpOutcome {
  outcome: Outcome;
  /** ok: the result; otherwise null. */
  value: Json;
  error?: string;
  /** Exec ops that ended by themselves: the raw output, mapped to a value on the main thread. */
  out?: ExecOutput;
  pid?: number;
  /** `performance.now()` when the op reached the agent (exec: its process was started; session: its line was sent). */
  startedAt?: number;
  /** Exec, where known: `performance.now()` when the op's process itself first ran. */
  ranAt?: number;
}

/** One agent's processes, as seen by the op loop in its worker thread. */
export interface AgentRunner {
  /**
   * Start whatever must run before the barrier (given the agent's first op, so an exec agent can have its
   * process forked and waiting). Throws (naming the agent) when the agent cannot start.
   */
  prepare(first?: PlannedOp): Promise<void>;
  run(op: PlannedOp): Promise<OpOutcome>;
  /** Kill the agent's live processes now (nemesis, run stop). Their pending op ends as `info` with this reason. */
  kill(reason: string): Promise<void>;
  /** The agent is done: let it exit (session: close stdin) within the deadline, else kill it. */
  finish(): Promise<void>;
  readonly health: AgentHealth;
  readonly logs: AgentLogs;
  /**
   * True when `run` hands its op out through the thread's Outbox, which writes the thread's history before
   * any line; otherwise the op loop writes the history before calling `run`. Either way an op's invoke is on
   * disk before the op can happen.
   */
  readonly sendsThroughOutbox?: boolean;
}

/** Where an agent's output goes: its two log files, written as the bytes come. */
export interface AgentLogs {
  stdout: AgentLog;
  stderr: AgentLog;
}

/** What every runner is started with. */
export interface AgentSpawnSpec {
  agent: number;
  command: string;
  args: string[];
  /** Full environment (already merged with the harness's STAMPEDE_* variables). */
  env: Record<string, string>;
  cwd: string;
  opTimeoutMs: number;
  /** Deadline for a session agent to say ready (and for any agent process to exit when asked). */
  startTimeoutMs: number;
  logs: AgentLogs;
  /** When set, each process runs under strace, which writes its call counts to a table of its own. */
  tracer?: Tracer;
  /**
   * Session agents (POSIX): `stampede-spawn`, started as `stampede-spawn --exec-in-own-group command ...args`
   * to put the agent in a process group of its own within the harness's session. Without it the agent is
   * started detached, in a session of its own (which Linux's autogroup also makes a scheduling group).
   */
  groupExec?: string;
}

export const LOG_HEAD_BYTES = 64 * 1024;
export const LOG_TAIL_BYTES = 64 * 1024;
/** Largest exec-op stdout parsed as its result; beyond it the result is marked truncated. */
export const RESULT_HEAD_BYTES = 1024 * 1024;
/** Kept from the end of an exec op's stdout, where a chatty program's result line is. */
export const RESULT_TAIL_BYTES = 64 * 1024;

export function newHealth(agent: number): AgentHealth {
  return {
    agent,
    spawned: false,
    reachedBarrier: false,
    exit: 'not-run',
    processes: 0,
    restarts: 0,
    stdoutBytes: 0,
    stderrBytes: 0,
    arrivedAt: null,
    releasedAt: null,
    firstInvokeAt: null,
    firstStartAt: null,
    firstRunAt: null,
  };
}

/** An agent's name as every message and file uses it. */
export function agentName(agent: number): string {
  return `a${agent}`;
}

/** The op as it goes on the wire or into an error message. */
export function describeOp(op: PlannedOp): string {
  return `op #${op.seq} ${op.f} ${JSON.stringify(op.value)}`;
}
