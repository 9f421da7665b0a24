// Exec agents: one process per op, argv arrays, no shell. Exit 0 = ok (stdout is the result),
// a clean failure exit code = fail, anything else (signal, crash code, deadline) = info: it may have happened.
import { execa, type ResultPromise } from 'execa';
import type { Json, PlannedOp } from '../types.js';
import { BoundedCapture } from './capture.js';
import { killTree, TREE_SPAWN_OPTIONS } from './kill-tree.js';
import { agentName, newHealth, RESULT_HEAD_BYTES, RESULT_TAIL_BYTES, type AgentRunner, type AgentSpawnSpec, type OpOutcome } from './runner.js';

export class ExecAgent implements AgentRunner {
  readonly health;
  readonly stdout: BoundedCapture;
  readonly stderr: BoundedCapture;
  private live: { pid: number; killedBecause?: string } | null = null;

  constructor(
    private readonly spec: AgentSpawnSpec,
    /** Exit codes that mean "the op definitely did not happen". */
    private readonly failExitCodes: readonly number[],
  ) {
    this.health = newHealth(spec.agent);
    this.stdout = new BoundedCapture(spec.logHeadBytes, spec.logTailBytes);
    this.stderr = new BoundedCapture(spec.logHeadBytes, spec.logTailBytes);
  }

  async prepare(): Promise<void> {
    // Nothing runs before the first op; the command was checked before the barrier.
  }

  async run(op: PlannedOp): Promise<OpOutcome> {
    const env = op.fault ? { ...this.spec.env, STAMPEDE_OP_FAULT: op.fault } : this.spec.env;
    const resultHead = new BoundedCapture(RESULT_HEAD_BYTES, RESULT_TAIL_BYTES);
    const opStderr = new BoundedCapture(0, 4096);
    let subprocess: ResultPromise;
    try {
      subprocess = execa(this.spec.command, [...this.spec.args, ...(op.argv ?? [])], {
        shell: false,
        env,
        extendEnv: false,
        cwd: this.spec.cwd,
        stdin: 'ignore',
        buffer: false,
        reject: false,
        ...TREE_SPAWN_OPTIONS,
      });
    } catch (error) {
      throw this.spawnError(op, error);
    }
    this.health.processes += 1;
    const pid = subprocess.pid;
    // Drain both pipes while the process runs (never after): a full pipe would block the child forever.
    subprocess.stdout?.on('data', (chunk: Buffer) => {
      resultHead.push(chunk);
      this.stdout.push(chunk);
    });
    subprocess.stderr?.on('data', (chunk: Buffer) => {
      opStderr.push(chunk);
      this.stderr.push(chunk);
    });
    if (pid === undefined) {
      const result = await subprocess;
      throw this.spawnError(op, result.cause ?? new Error(result.shortMessage));
    }
    this.health.spawned = true;
    this.live = { pid };
    const timer = setTimeout(() => void this.kill(`deadline of ${this.spec.opTimeoutMs} ms exceeded; process tree killed`), this.spec.opTimeoutMs);
    const result = await subprocess;
    clearTimeout(timer);
    const killedBecause = this.live?.killedBecause;
    this.live = null;
    this.health.stdoutBytes = this.stdout.total;
    this.health.stderrBytes = this.stderr.total;
    if (killedBecause) return { outcome: 'info', value: null, error: killedBecause, pid };
    if (result.exitCode === 0) return { outcome: 'ok', value: parseResult(resultHead), pid };
    const why = result.signal ? `killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    const said = lastLine(opStderr.toBuffer().toString('utf8'));
    const error = said ? `${why}: ${said}` : why;
    if (result.exitCode !== undefined && this.failExitCodes.includes(result.exitCode)) return { outcome: 'fail', value: null, error, pid };
    return { outcome: 'info', value: null, error, pid };
  }

  async kill(reason: string): Promise<void> {
    const live = this.live;
    if (!live || live.killedBecause) return;
    live.killedBecause = reason;
    await killTree(live.pid);
  }

  async finish(): Promise<void> {
    if (this.live) await this.kill('run finished');
    if (this.health.exit === 'not-run' && this.health.spawned) this.health.exit = 'ok';
  }

  private spawnError(op: PlannedOp, cause: unknown): Error {
    this.health.exit = 'spawn-failed';
    const message = cause instanceof Error ? cause.message : String(cause);
    this.health.error = `could not start ${this.spec.command}: ${message}`;
    return new Error(`agent ${agentName(this.spec.agent)} could not start its process for op #${op.seq} ${op.f} (${this.spec.command}): ${message}`);
  }
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
