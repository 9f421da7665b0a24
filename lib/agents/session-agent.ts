// Session agents: one long-lived process per agent, speaking JSON lines. This header is the protocol's
// specification (the README and docs/scenarios.md point here).
//
// 1. The harness starts the agent directly (no shell) with STAMPEDE_AGENT_ID, STAMPEDE_SEED,
//    STAMPEDE_WORKSPACE and STAMPEDE_FAULTS (a comma list, may be empty) in its environment, plus the
//    target's env(ctx).
// 2. The agent prints {"type":"ready"} on stdout once initialised. No op is sent to any agent until every
//    agent is ready (the barrier).
// 3. The harness writes one op per line on the agent's stdin:
//      {"type":"op","id":7,"f":"add","value":{"key":"a3-7"}}      (optionally "fault":"hang")
// 4. The agent answers each op on stdout, in order, one line each:
//      {"type":"ok","id":7,"value":{"id":42}}   or   {"type":"fail","id":7,"error":"key taken"}
//    `ok`: the op happened, `value` is its result; `fail`: it definitely did not happen.
// 5. Anything else on stdout is a protocol error: a line that is not JSON, an answer with another op's id,
//    a second answer, or stdout closed while the process keeps running (noticed within
//    STDOUT_CLOSED_GRACE_MS). The agent is stopped and the run ends as a harness error naming the agent
//    and the line (exit 2): the harness could not carry out its plan. stderr is free-form log.
// 6. Closing stdin means: finish and exit 0.
//
// An op that passes its deadline, or whose process dies mid-op, ends `info` (unknown): the process tree is
// killed and a fresh process is started (and must say ready) before the agent's next op.
import { execa, type ResultPromise } from 'execa';
import type { Json, PlannedOp } from '../types.js';
import type { AgentReaper } from '../reaper/agent-reaper.js';
import { killTree, TREE_SPAWN_OPTIONS } from './kill-tree.js';
import { LineSplitter } from './lines.js';
import { sessionTableName, traced } from '../syscalls/strace-argv.js';
import type { Outbox } from './outbox.js';
import {
  agentName,
  newHealth,
  type AgentLogs,
  type AgentRunner,
  type AgentSpawnSpec,
  type OpOutcome,
} from './runner.js';

const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** stampede-spawn's mode that makes a process group and execs the agent (see stampede-spawn.c). */
const EXEC_IN_OWN_GROUP = '--exec-in-own-group';
/** How stampede-spawn's line starts when it could not exec the agent's program. */
const EXEC_FAILED = 'stampede-spawn: cannot run ';
/**
 * A process's stdout closes just before it exits; one whose stdout closed but that is still running this
 * long after has stopped answering for good (every op would wait out its deadline): a protocol violation.
 */
const STDOUT_CLOSED_GRACE_MS = 500;

type Message =
  { type: 'ready' } | { type: 'ok'; id: number; value?: Json } | { type: 'fail'; id: number; error?: string };

interface Live {
  subprocess: ResultPromise;
  pid: number;
  exited: boolean;
  /** Set when the harness killed it on purpose. */
  killedBecause?: string;
  /** It died with an op in flight: that op is `info`, so the death is accounted for. */
  diedDuringOp?: boolean;
  onReady?: () => void;
  pending?: { id: number; settle: (outcome: OpOutcome) => void };
  /** Resolves when the process has exited, with a description of how. */
  exit: Promise<string>;
  exitCode: number | undefined;
  /**
   * The op deadline: one timer per process, re-armed (`refresh`) as each op is sent rather than created and
   * cleared per op (that cost a list insert and removal in Node's timers every op). Fired with no op
   * pending (the op ended meanwhile), it does nothing. Cleared when the process exits.
   */
  deadline?: NodeJS.Timeout;
}

export class SessionAgent implements AgentRunner {
  /** Ops go out through the thread's Outbox, which writes the thread's history before any line. */
  readonly sendsThroughOutbox = true;
  readonly health;
  readonly logs: AgentLogs;
  private live: Live | null = null;
  private protocolError: string | null = null;
  /** Set once the harness closed its stdin: its stdout closing is expected from then on. */
  private finishing = false;

  constructor(
    private readonly spec: AgentSpawnSpec,
    /** Sends the op lines (shared by the agents of one worker thread). */
    private readonly outbox: Outbox,
    /** Kills this agent's process should the harness die without doing so (shared by the thread's agents). */
    private readonly reaper: AgentReaper,
  ) {
    this.health = newHealth(spec.agent);
    this.logs = spec.logs;
  }

  private get name(): string {
    return agentName(this.spec.agent);
  }

  async prepare(): Promise<void> {
    await this.start();
  }

  /** Start a process and wait for its ready line. Throws, naming the agent, when it cannot get there. */
  private async start(): Promise<void> {
    try {
      await this.reaper.start();
    } catch (error) {
      throw this.failStart('spawn-failed', `cannot start processes: ${(error as Error).message}`);
    }
    const { groupExec } = this.spec;
    let subprocess: ResultPromise;
    // Counting: each process under strace, its counts in a table of its own (p0, then one per restart).
    const { command, args } = this.spec.tracer
      ? traced(
          this.spec.tracer,
          sessionTableName(this.spec.agent, this.health.processes),
          this.spec.command,
          this.spec.args,
        )
      : this.spec;
    try {
      subprocess = execa(groupExec ?? command, groupExec ? [EXEC_IN_OWN_GROUP, command, ...args] : args, {
        shell: false,
        env: this.spec.env,
        extendEnv: false,
        cwd: this.spec.cwd,
        stdin: 'pipe',
        buffer: false,
        reject: false,
        ...(groupExec ? { windowsHide: true } : TREE_SPAWN_OPTIONS),
      });
    } catch (error) {
      throw this.failStart('spawn-failed', `could not start ${this.spec.command}: ${(error as Error).message}`);
    }
    this.health.processes += 1;
    const pid = subprocess.pid;
    if (pid === undefined) {
      const result = await subprocess;
      throw this.failStart(
        'spawn-failed',
        `could not start ${this.spec.command}: ${result.cause instanceof Error ? result.cause.message : result.shortMessage}`,
      );
    }
    try {
      // In the same turn as the spawn: see agent-reaper.ts for the window that remains.
      this.reaper.watch(pid, { orAlone: groupExec !== undefined });
    } catch (error) {
      // Nothing would kill it should the harness die: it does not run unguarded.
      await killTree(pid, { orAlone: groupExec !== undefined });
      await subprocess;
      throw this.failStart('spawn-failed', `cannot start processes: ${(error as Error).message}`);
    }
    this.health.spawned = true;
    const live: Live = { subprocess, pid, exited: false, exitCode: undefined, exit: Promise.resolve('') };
    live.exit = subprocess.then((result) => {
      this.reaper.unwatch(pid);
      clearTimeout(live.deadline);
      live.exited = true;
      live.exitCode = result.exitCode;
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
      if (live.pending) live.diedDuringOp = true;
      live.pending?.settle({
        outcome: 'info',
        value: null,
        error: live.killedBecause ?? `agent process ${how} during the op`,
        pid,
      });
      live.pending = undefined;
      return how;
    });
    const lines = new LineSplitter(
      MAX_LINE_BYTES,
      (line) => this.onLine(live, line),
      (bytes) => this.violate(live, `a stdout line longer than ${bytes} bytes`),
    );
    subprocess.stdout?.on('data', (chunk: Buffer) => {
      this.logs.stdout.push(chunk);
      this.health.stdoutBytes = this.logs.stdout.total;
      lines.push(chunk);
    });
    subprocess.stdout?.on('end', () => void this.watchClosedStdout(live));
    subprocess.stderr?.on('data', (chunk: Buffer) => {
      this.logs.stderr.push(chunk);
      this.health.stderrBytes = this.logs.stderr.total;
    });
    // A closed stdin (agent died) must not crash the harness; the exit handler records what happened.
    subprocess.stdin?.on('error', () => undefined);
    this.live = live;

    const ready = new Promise<'ready'>((resolve) => (live.onReady = () => resolve('ready')));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), this.spec.startTimeoutMs)),
    );
    const outcome = await Promise.race([ready, live.exit, timeout]);
    clearTimeout(timer);
    live.onReady = undefined;
    if (outcome === 'ready') return;
    if (outcome === 'timeout') {
      await this.kill('did not say ready in time');
      throw this.failStart('early-exit', `did not print {"type":"ready"} within ${this.spec.startTimeoutMs} ms`);
    }
    if (live.killedBecause) {
      // We stopped it (the run was stopped or another agent could not start): not this agent's fault.
      this.health.exit = 'killed';
      this.health.error = `stopped before reaching the barrier: ${live.killedBecause}`;
      throw new Error(`agent ${this.name} ${this.health.error}`);
    }
    const said = lastLine(this.logs.stderr.kept().toString('utf8'));
    // stampede-spawn could not exec the agent's program (missing, not executable): a failed spawn.
    if (groupExec && (live.exitCode === 126 || live.exitCode === 127) && said.startsWith(EXEC_FAILED))
      throw this.failStart('spawn-failed', `could not start ${said.slice(EXEC_FAILED.length)}`);
    throw this.failStart(
      'early-exit',
      `exited before reaching the barrier (it ${outcome}${said ? `; stderr: ${said}` : ''})`,
    );
  }

  private failStart(exit: 'spawn-failed' | 'early-exit', message: string): Error {
    this.health.exit = this.protocolError ? 'protocol-error' : exit;
    this.health.error = this.protocolError ?? message;
    return new Error(`agent ${this.name} ${this.health.error}`);
  }

  private onLine(live: Live, line: string): void {
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      this.violate(
        live,
        `stdout line is not JSON: ${JSON.stringify(line.slice(0, 200))} (stdout carries protocol lines only: write logs to stderr)`,
      );
      return;
    }
    if (message?.type === 'ready' && live.onReady) return live.onReady();
    if ((message?.type === 'ok' || message?.type === 'fail') && live.pending && message.id === live.pending.id) {
      const { settle } = live.pending;
      live.pending = undefined;
      if (message.type === 'ok') settle({ outcome: 'ok', value: message.value ?? null, pid: live.pid });
      else
        settle({
          outcome: 'fail',
          value: null,
          error: String(message.error ?? 'failed (no error given)'),
          pid: live.pid,
        });
      return;
    }
    const expected = live.pending ? `an answer to op ${live.pending.id}` : 'no line (no op was waiting for an answer)';
    this.violate(live, `unexpected stdout line: ${JSON.stringify(line.slice(0, 200))} (expected ${expected})`);
  }

  /** Stdout closed: fine if the process is exiting (or was told to finish); a violation if it keeps running. */
  private async watchClosedStdout(live: Live): Promise<void> {
    if (live.exited || live.killedBecause || this.finishing) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'running'>(
      (resolve) => (timer = setTimeout(() => resolve('running'), STDOUT_CLOSED_GRACE_MS)),
    );
    const how = await Promise.race([live.exit, grace]);
    clearTimeout(timer);
    if (how === 'running' && !live.exited && !live.killedBecause && !this.finishing)
      this.violate(live, `closed its stdout but kept running (pid ${live.pid}): it can answer no op`);
  }

  /** Anything on stdout outside the protocol: record it, and kill the process (its pending op becomes info). */
  private violate(live: Live, what: string): void {
    this.protocolError ??= `broke the session protocol: ${what}`;
    void this.killLive(live, `agent ${this.name} ${this.protocolError}`);
  }

  async run(op: PlannedOp): Promise<OpOutcome> {
    if (this.protocolError)
      return { outcome: 'fail', value: null, error: `not sent: agent ${this.name} ${this.protocolError}` };
    if (!this.live || this.live.exited) {
      this.health.restarts += 1;
      await this.start();
    }
    const live = this.live as Live;
    const line = JSON.stringify({
      type: 'op',
      id: op.seq,
      f: op.f,
      value: op.value,
      ...(op.fault ? { fault: op.fault } : {}),
    });
    const answer = new Promise<OpOutcome>((resolve) => (live.pending = { id: op.seq, settle: resolve }));
    if (live.deadline) live.deadline.refresh();
    else live.deadline = setTimeout(() => this.onDeadline(live), this.spec.opTimeoutMs);
    let startedAt: number | undefined;
    if (live.subprocess.stdin)
      this.outbox.send(live.subprocess.stdin, `${line}\n`, (at, error) => {
        startedAt = at;
        if (error && live.pending?.id === op.seq) {
          const { settle } = live.pending;
          live.pending = undefined;
          settle({ outcome: 'fail', value: null, error: `not sent: ${error.message}` });
        }
      });
    const outcome = await answer;
    outcome.startedAt = startedAt;
    return outcome;
  }

  /** The op deadline passed: kill the process tree (its pending op becomes info), unless no op is pending. */
  private onDeadline(live: Live): void {
    if (live.pending) void this.killLive(live, `deadline of ${this.spec.opTimeoutMs} ms exceeded; process tree killed`);
  }

  async kill(reason: string): Promise<void> {
    if (this.live) await this.killLive(this.live, reason);
  }

  private async killLive(live: Live, reason: string): Promise<void> {
    if (live.exited || live.killedBecause) return;
    live.killedBecause = reason;
    await killTree(live.pid, { orAlone: this.spec.groupExec !== undefined });
    await live.exit;
  }

  async finish(): Promise<void> {
    this.finishing = true;
    const live = this.live;
    if (this.protocolError) {
      this.health.exit = 'protocol-error';
      this.health.error = this.protocolError;
    }
    if (!live) return;
    if (live.exited) {
      // Killed by us or died mid-op: its op is already `info`, so that is expected. Dying while idle is not.
      if (this.protocolError) return;
      if (live.killedBecause || live.diedDuringOp) this.health.exit = 'ok';
      else {
        this.health.exit = 'crashed';
        this.health.error = `exited on its own between ops with code ${live.exitCode}`;
      }
      return;
    }
    // Closing stdin means: finish and exit 0.
    live.subprocess.stdin?.end();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), this.spec.startTimeoutMs)),
    );
    const how = await Promise.race([live.exit, timeout]);
    clearTimeout(timer);
    if (how === 'timeout') {
      await this.killLive(live, 'did not exit after stdin closed');
      this.health.exit = 'crashed';
      this.health.error = `did not exit within ${this.spec.startTimeoutMs} ms after stdin closed; process tree killed`;
    } else if (!this.protocolError) {
      this.health.exit = live.exitCode === 0 ? 'ok' : 'crashed';
      if (live.exitCode !== 0) this.health.error = `${how} after stdin closed (expected exit 0)`;
    }
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
