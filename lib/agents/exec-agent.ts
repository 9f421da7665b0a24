// Exec agents: one process per op, argv arrays, no shell. Exit 0 = ok (stdout is the result),
// a clean failure exit code = fail, anything else (signal, crash code, deadline) = info: it may have happened.
// How the process is started (native spawner or execa) is the launcher's business (launch/).
import type { Json, PlannedOp } from '../types.js';
import { BoundedCapture } from './capture.js';
import type { Gate, Launched, Launcher, LaunchSinks, LaunchSpec } from './launch/launcher.js';
import { agentName, newHealth, RESULT_HEAD_BYTES, RESULT_TAIL_BYTES, type AgentLogs, type AgentRunner, type AgentSpawnSpec, type OpOutcome } from './runner.js';

export class ExecAgent implements AgentRunner {
  readonly health;
  readonly logs: AgentLogs;
  /** The op in flight: set before its process exists, so a kill that comes first is not lost. */
  private live: { launched: Launched | null; killedBecause?: string } | null = null;
  /** The first op's process, forked before the barrier and waiting to exec (native launcher only). */
  private gated: { seq: number; gate: Gate; capture: OpCapture } | null = null;

  constructor(
    private readonly spec: AgentSpawnSpec,
    /** Exit codes that mean "the op definitely did not happen". */
    private readonly failExitCodes: readonly number[],
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
      throw new Error(`agent ${agentName(this.spec.agent)} cannot start processes: ${this.health.error}`);
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
    return { file: this.spec.command, args: [...this.spec.args, ...(op.argv ?? [])], env, cwd: this.spec.cwd };
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
    const timer = setTimeout(() => void this.kill(`deadline of ${this.spec.opTimeoutMs} ms exceeded; process tree killed`), this.spec.opTimeoutMs);
    const exit = await launched.exit;
    clearTimeout(timer);
    this.live = null;
    this.health.stdoutBytes = this.logs.stdout.total;
    this.health.stderrBytes = this.logs.stderr.total;
    const seen = { pid: launched.pid, startedAt: launched.startedAt, ranAt: launched.ranAt };
    if (live.killedBecause) return { outcome: 'info', value: null, error: live.killedBecause, ...seen };
    if (exit.lost) return { outcome: 'info', value: null, error: exit.lost, ...seen };
    if (exit.exitCode === 0) return { outcome: 'ok', value: parseResult(resultHead), ...seen };
    const why = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    const said = lastLine(opStderr.toBuffer().toString('utf8'));
    const error = said ? `${why}: ${said}` : why;
    if (exit.exitCode !== undefined && this.failExitCodes.includes(exit.exitCode)) return { outcome: 'fail', value: null, error, ...seen };
    return { outcome: 'info', value: null, error, ...seen };
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
    return new Error(`agent ${agentName(this.spec.agent)} could not start its process for op #${op.seq} ${op.f} (${this.spec.command}): ${message}`);
  }
}

interface OpCapture {
  resultHead: BoundedCapture;
  opStderr: BoundedCapture;
  sinks: LaunchSinks;
}

/**
 * stdout as JSON when it is JSON (the usual `--json` contract), else as text. When a process wrote more
 * than we keep, its last line is tried as the result (a chatty tool still ends with its answer).
 */
function parseResult(out: BoundedCapture): Json {
  if (!out.overflowed) {
    const text = out.headText().trim();
    return text === '' ? null : parseOrText(text);
  }
  const tail = out.toBuffer().toString('utf8').trimEnd();
  const last = tail.slice(tail.lastIndexOf('\n') + 1);
  const parsed = parseOrText(last);
  return typeof parsed === 'object' && parsed !== null && !('stdout' in parsed) ? parsed : { stdout: out.headText().slice(0, 4096), truncated: true };
}

function parseOrText(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    if (error instanceof SyntaxError) return { stdout: text };
    throw error;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
