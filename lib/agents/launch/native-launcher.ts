// Processes started by a stampede-spawn helper (stampede-spawn.c): one helper per worker thread, started
// with execa before the barrier; it posix_spawns each op's process, so the harness's own size never slows
// spawning down, and it kills every process it started if this thread goes away.
import { constants } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import which from 'which';
import { encodeGate, encodeKill, encodeStart, ReplyDecoder, type Reply } from './frames.js';
import type { ExitInfo, Gate, Launched, Launcher, LaunchSinks, LaunchSpec } from './launcher.js';

/** One process asked of the helper, from the start request until its exit reply. */
interface Entry {
  sinks: LaunchSinks;
  started: { resolve: (launched: Launched) => void; reject: (error: Error) => void };
  exited: (exit: ExitInfo) => void;
  exit: Promise<ExitInfo>;
  /** Gated processes: told when the fork is waiting at its gate. */
  ready?: { resolve: (pid: number) => void; reject: (error: Error) => void };
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

export class NativeLauncher implements Launcher {
  readonly kind = 'native';
  private helper: ResultPromise<{
    stdin: 'pipe';
    stdout: 'pipe';
    stderr: 'pipe';
    buffer: false;
    reject: false;
  }> | null = null;
  private starting: Promise<void> | null = null;
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  /** Why the helper can no longer be used; set once it has gone. */
  private gone: string | null = null;
  private helperStderr = '';
  private readonly resolved = new Map<string, string | null>();
  /** performance.now() minus the monotonic clock the helper reports, in ms (one clock, two origins). */
  private readonly clockOffsetMs = performance.now() - Number(process.hrtime.bigint()) / 1e6;

  constructor(private readonly binary: string) {}

  ready(): Promise<void> {
    this.starting ??= this.startHelper();
    return this.starting;
  }

  private async startHelper(): Promise<void> {
    const helper = execa(this.binary, [], {
      shell: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      windowsHide: true,
    });
    if (helper.pid === undefined) {
      const result = await helper;
      throw new Error(
        `could not start the spawner ${this.binary}: ${result.cause instanceof Error ? result.cause.message : result.shortMessage}`,
      );
    }
    this.helper = helper;
    const decoder = new ReplyDecoder((reply) => this.onReply(reply));
    helper.stdout.on('data', (chunk: Buffer) => decoder.push(chunk));
    helper.stderr.on('data', (chunk: Buffer) => {
      // Kept short: it only ever says why the helper gave up.
      this.helperStderr = (this.helperStderr + chunk.toString('utf8')).slice(-2000);
    });
    // A helper that died makes every write fail; the exit handler below reports that.
    helper.stdin.on('error', () => undefined);
    void helper.then((result) => {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
      const torn = decoder.leftover > 0 ? `, ${decoder.leftover} bytes into a reply` : '';
      this.lose(`the spawner ${this.binary} ${how}${torn}${this.helperStderr ? `: ${this.helperStderr.trim()}` : ''}`);
    });
  }

  /** The helper is gone: every process it was watching has an unknown end, and nothing more can start. */
  private lose(why: string): void {
    if (this.gone) return;
    this.gone = why;
    for (const entry of this.entries.values()) {
      entry.ready?.reject(new Error(why));
      entry.started.reject(new Error(why));
      entry.exited({ exitCode: undefined, signal: undefined, lost: `${why}; the process's outcome is unknown` });
    }
    this.entries.clear();
  }

  async launch(spec: LaunchSpec, sinks: LaunchSinks): Promise<Launched> {
    return (await this.request(spec, sinks, false)).started;
  }

  async gate(spec: LaunchSpec, sinks: LaunchSinks): Promise<Gate> {
    const { id, started, ready, exit } = await this.request(spec, sinks, true);
    const pid = await ready;
    // Nobody may be waiting for a gate that is killed before it opens: that rejection is expected.
    started.catch(() => undefined);
    return {
      pid,
      open: () => {
        this.openGate(id);
        return started;
      },
      kill: () => this.kill(id, exit),
    };
  }

  private async request(spec: LaunchSpec, sinks: LaunchSinks, gated: boolean) {
    await this.ready();
    const program = this.resolve(spec);
    const id = this.nextId++;
    const request = encodeStart({ id, argv: [program, ...spec.args], env: spec.env, cwd: spec.cwd, gated });
    let exited: (exit: ExitInfo) => void = () => undefined;
    const exit = new Promise<ExitInfo>((resolve) => (exited = resolve));
    let ready: Promise<number> = Promise.resolve(0);
    const started = new Promise<Launched>((resolve, reject) => {
      const entry: Entry = { sinks, started: { resolve, reject }, exited, exit };
      if (gated)
        ready = new Promise<number>(
          (resolveReady, rejectReady) => (entry.ready = { resolve: resolveReady, reject: rejectReady }),
        );
      this.entries.set(id, entry);
    });
    this.write(request);
    return { id, started, ready, exit };
  }

  /**
   * Gates opened in the same turn (every agent of the thread, just after the barrier) go to the helper in
   * one write, so it opens them back to back instead of waking once per agent.
   */
  private openGate(id: number): void {
    const stdin = this.helper?.stdin;
    if (stdin && stdin.writableCorked === 0) {
      stdin.cork();
      process.nextTick(() => stdin.uncork());
    }
    this.write(encodeGate(id));
  }

  private write(frame: Buffer): void {
    if (this.gone || !this.helper) throw new Error(this.gone ?? 'the spawner is not running');
    this.helper.stdin.write(frame);
  }

  /** Kill process #id's whole tree (the helper signals its process group), then wait for its end. */
  private async kill(id: number, exit: Promise<ExitInfo>): Promise<void> {
    if (!this.gone) this.helper?.stdin.write(encodeKill(id));
    await exit;
  }

  /** posix_spawn takes a path: look the program up on the agent's PATH once, as execvp would. */
  private resolve(spec: LaunchSpec): string {
    if (spec.file.includes('/')) return spec.file;
    const path = spec.env.PATH ?? '';
    const key = `${spec.file}\0${path}`;
    if (!this.resolved.has(key)) this.resolved.set(key, which.sync(spec.file, { path, nothrow: true }));
    const found = this.resolved.get(key);
    if (!found) throw new Error(`${spec.file}: not found on the agent's PATH (${path || 'empty'})`);
    return found;
  }

  private onReply(reply: Reply): void {
    const entry = this.entries.get(reply.id);
    if (!entry) throw new Error(`stampede-spawn replied for unknown process #${reply.id} (harness bug)`);
    switch (reply.type) {
      case 'ready':
        entry.ready?.resolve(reply.pid);
        return;
      case 'started':
        entry.started.resolve({
          pid: reply.pid,
          startedAt: Number(reply.monotonicNs) / 1e6 + this.clockOffsetMs,
          ranAt: Number(reply.ranNs) / 1e6 + this.clockOffsetMs,
          exit: entry.exit,
          kill: () => this.kill(reply.id, entry.exit),
        });
        return;
      case 'failed':
        this.entries.delete(reply.id);
        entry.ready?.reject(new Error(reply.message));
        entry.started.reject(new Error(reply.message));
        return;
      case 'output':
        if (reply.fd === 1) entry.sinks.stdout(reply.data);
        else entry.sinks.stderr(reply.data);
        return;
      case 'exited':
        this.entries.delete(reply.id);
        entry.exited(
          reply.signaled
            ? { exitCode: undefined, signal: SIGNAL_NAMES.get(reply.codeOrSignal) ?? `signal ${reply.codeOrSignal}` }
            : { exitCode: reply.codeOrSignal, signal: undefined },
        );
        return;
    }
  }

  async close(): Promise<void> {
    const helper = this.helper;
    if (!helper) return;
    // Closing stdin tells the helper to stop (killing anything still running, which should be nothing).
    helper.stdin.end();
    const result = await helper;
    if (result.exitCode !== 0 && !this.gone)
      throw new Error(
        `the spawner ${this.binary} exited with ${result.signal ?? result.exitCode} when closed: ${this.helperStderr.trim()}`,
      );
  }
}
