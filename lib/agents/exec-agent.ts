// Exec agents: one process per op, argv arrays, no shell. What an exit code means is the target's (its
// ExitCodes: ok, fail, else info); a deadline or a kill is info: it may have happened. The output is
// recorded raw (ExecOutput) and turned into a value on the main thread (lib/results/).
// How the process is started (native spawner or execa) is the launcher's business (launch/).
import type { ExecOutput, PlannedOp } from '../types.js';
import { classifyExit, type ExitCodes } from '../results/exec-outcome.js';
import { BoundedCapture } from './capture.js';
import { opTableName, traced } from '../syscalls/strace-argv.js';
import type { Gate, Launched, Launcher, LaunchSinks, LaunchSpec } from './launch/launcher.js';
import {
  agentName,
  newHealth,
  RESULT_HEAD_BYTES,
  RESULT_TAIL_BYTES,
  type AgentLogs,
  type AgentRunner,
  type AgentSpawnSpec,
  type OpOutcome,
} from './runner.js';

export class ExecAgent implements AgentRunner {
  readonly health;
  readonly logs: AgentLogs;
  /** The op in flight: set before its process exists, so a kill that comes first is not lost. */
  private live: { launched: Launched | null; killedBecause?: string } | null = null;
  /** The first op's process, forked before the barrier and waiting to exec (native launcher only). */
  private gated: { seq: number; gate: Gate; capture: OpCapture } | null = null;

  constructor(
    private readonly spec: AgentSpawnSpec,
    /** What the target's exit codes mean. */
    private readonly exitCodes: ExitCodes,
    /** Starts the processes (shared by the agents of one worker thread). */
    private readonly launcher: Launcher,
  ) {
    this.health = newHealth(spec.agent);
    this.logs = spec.logs;
  }

  async prepare(first?: PlannedOp): Promise<void> {
    // Nothing of the target runs before the barrier. Where the launcher can, the first op's process is
    // forked now and waits at a gate, so that when the barrier opens every agent's first op starts at once.
    try {
      await this.launcher.ready();
    } catch (error) {
      this.health.exit = 'spawn-failed';
      this.health.error = (error as Error).message;
      throw new Error(`agent ${agentName(this.spec.agent)} cannot start processes: ${this.health.error}`, {
        cause: error,
      });
    }
    if (!first || !this.launcher.gate) return;
    const capture = this.opCapture();
    this.health.processes += 1;
    try {
      this.gated = { seq: first.seq, gate: await this.launcher.gate(this.launchSpec(first), capture.sinks), capture };
    } catch (error) {
      throw this.spawnError(first, error);
    }
    this.health.spawned = true;
  }

  private launchSpec(op: PlannedOp): LaunchSpec {
    const env = op.fault ? { ...this.spec.env, STAMPEDE_OP_FAULT: op.fault } : this.spec.env;
    const args = [...this.spec.args, ...(op.argv ?? [])];
    const { tracer } = this.spec;
    if (!tracer) return { file: this.spec.command, args, env, cwd: this.spec.cwd };
    // Counting: the op's process under strace, its counts in a table named after the op.
    const wrapped = traced(tracer, opTableName(this.spec.agent, op.seq), this.spec.command, args);
    return { file: wrapped.command, args: wrapped.args, env, cwd: this.spec.cwd };
  }

  /** One op's own view of its output (its result, its last stderr line), teed into the agent's logs. */
  private opCapture(): OpCapture {
    const resultHead = new BoundedCapture(RESULT_HEAD_BYTES, RESULT_TAIL_BYTES);
    const opStderr = new BoundedCapture(0, 4096);
    // Both pipes are drained while the process runs (never after): a full pipe would block it forever.
    const sinks: LaunchSinks = {
      stdout: (chunk) => {
        resultHead.push(chunk);
        this.logs.stdout.push(chunk);
      },
      stderr: (chunk) => {
        opStderr.push(chunk);
        this.logs.stderr.push(chunk);
      },
    };
    return { resultHead, opStderr, sinks };
  }

  async run(op: PlannedOp): Promise<OpOutcome> {
    const gated = this.gated?.seq === op.seq ? this.gated : null;
    this.gated = null;
    const { resultHead, opStderr, sinks } = gated?.capture ?? this.opCapture();
    const live: NonNullable<ExecAgent['live']> = { launched: null };
    this.live = live;
    if (!gated) this.health.processes += 1;
    let launched: Launched;
    try {
      launched = gated ? await gated.gate.open() : await this.launcher.launch(this.launchSpec(op), sinks);
    } catch (error) {
      this.live = null;
      throw this.spawnError(op, error);
    }
    this.health.spawned = true;
    live.launched = launched;
    if (live.killedBecause) void launched.kill();
    const timer = setTimeout(
      () => void this.kill(`deadline of ${this.spec.opTimeoutMs} ms exceeded; process tree killed`),
      this.spec.opTimeoutMs,
    );
    const exit = await launched.exit;
    clearTimeout(timer);
    this.live = null;
    this.health.stdoutBytes = this.logs.stdout.total;
    this.health.stderrBytes = this.logs.stderr.total;
    const seen = { pid: launched.pid, startedAt: launched.startedAt, ranAt: launched.ranAt };
    if (live.killedBecause) return { outcome: 'info', value: null, error: live.killedBecause, ...seen };
    if (exit.lost) return { outcome: 'info', value: null, error: exit.lost, ...seen };
    const out = execOutput(exit.exitCode, exit.signal, resultHead, opStderr);
    const { outcome, error } = classifyExit(out, this.exitCodes);
    return { outcome, value: null, out, ...(error !== undefined ? { error } : {}), ...seen };
  }

  async kill(reason: string): Promise<void> {
    const live = this.live;
    const gated = this.gated;
    if (!live && gated) {
      // Killed before its first op ran (the run stopped, or the barrier was aborted): the waiting fork
      // goes, and should the op still run, it is spawned then.
      this.gated = null;
      await gated.gate.kill();
      return;
    }
    if (!live || live.killedBecause) return;
    live.killedBecause = reason;
    // Not started yet: `run` kills it the moment it exists.
    await live.launched?.kill();
  }

  async finish(): Promise<void> {
    if (this.live || this.gated) await this.kill('run finished');
    if (this.health.exit === 'not-run' && this.health.spawned) this.health.exit = 'ok';
  }

  private spawnError(op: PlannedOp, cause: unknown): Error {
    this.health.exit = 'spawn-failed';
    const message = cause instanceof Error ? cause.message : String(cause);
    this.health.error = `could not start ${this.spec.command}: ${message}`;
    return new Error(
      `agent ${agentName(this.spec.agent)} could not start its process for op #${op.seq} ${op.f} (${this.spec.command}): ${message}`,
    );
  }
}

interface OpCapture {
  resultHead: BoundedCapture;
  opStderr: BoundedCapture;
  sinks: LaunchSinks;
}

/** What the process left, bounded: stdout whole up to the head size (else its start and its last line), stderr's tail. */
function execOutput(
  code: number | undefined,
  signal: string | undefined,
  stdout: BoundedCapture,
  stderr: BoundedCapture,
): ExecOutput {
  const out: ExecOutput = { code: code ?? null, stdout: '', stderr: stderr.toBuffer().toString('utf8') };
  if (signal) out.signal = signal;
  if (!stdout.overflowed) out.stdout = stdout.headText();
  else {
    const tail = stdout.toBuffer().toString('utf8').trimEnd();
    out.stdout = stdout.headText().slice(0, 4096);
    out.truncated = true;
    out.lastLine = tail.slice(tail.lastIndexOf('\n') + 1).slice(-RESULT_TAIL_BYTES);
  }
  return out;
}
