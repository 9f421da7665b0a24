// The harness's side of an agent reaper (agent-reaper-process.ts): one per worker thread that starts agent
// processes with execa, so that a harness killed outright (SIGKILL: no handler runs) leaves none of them
// behind. The thread hands each process to the reaper as soon as it is spawned and takes it back once it
// has exited; the reaper kills whatever it still holds when the thread's channel to it closes.
//
// What remains open: a process exists from the fork inside `spawn` until its `watch` message is in the
// channel's socket. Both happen in one synchronous turn of the thread (the spawn returns the pid, the next
// statement sends it, and Node writes a small IPC message into the socket at once unless earlier ones are
// still queued, i.e. unless the reaper has fallen a whole socket buffer behind), so only a SIGKILL landing
// within those microseconds leaves that one process behind. Once the message is in the socket it is safe:
// nothing is sent before the reaper says it listens (`start`), so it reads every message before it sees
// the channel end. The native spawner has no such window: it forks the processes itself.
// Also open, and harmless in practice: a pid that exits and is reused, as the leader of a new group (or, for
// a session agent watched `orAlone`, by any process), before its `unwatch` is read and just as the harness dies.
import { fork, type ChildProcess } from 'node:child_process';
import { FORKED_BY_HARNESS } from './agent-reaper-protocol.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentReaperReport, AgentReaperRequest } from './agent-reaper-protocol.js';

/** How long a reaper may take to load and listen (a loaded machine); beyond it, agents cannot be guarded. */
const READY_TIMEOUT_MS = 30_000;

/** The compiled reaper; from sources (vitest) it is still the compiled one, under dist/. */
const REAPER_PROCESS = new URL(import.meta.url).pathname.endsWith('.ts')
  ? fileURLToPath(new URL('../../dist/lib/reaper/agent-reaper-process.js', import.meta.url))
  : fileURLToPath(new URL('./agent-reaper-process.js', import.meta.url));

export class AgentReaper {
  private child: ChildProcess | null = null;
  /** Why the reaper can no longer guard anything; set once it is gone without being closed. */
  private gone: string | null = null;
  private closed = false;
  private started: Promise<void> | null = null;

  /**
   * Start the reaper, once, and wait until it listens (every later call waits for the same). Rejects when it
   * cannot be started, ends first, or does not listen within READY_TIMEOUT_MS. Nothing may be watched before
   * then: a reaper still loading would lose what the channel held should the harness die meanwhile.
   */
  start(): Promise<void> {
    this.started ??= this.fork();
    return this.started;
  }

  private async fork(): Promise<void> {
    if (this.closed) throw new Error('the agent reaper was closed: harness bug');
    // A missing build must read as such, not as an agent that could not start.
    if (!existsSync(REAPER_PROCESS))
      throw new Error(`the agent reaper ${REAPER_PROCESS} is missing: run \`npm run build\``);
    const child = fork(REAPER_PROCESS, [FORKED_BY_HARNESS], {
      // Not the harness's own flags (a loader, an `-e` script): the reaper is plain compiled JS.
      execArgv: [],
      // stderr is the harness's: the reaper prints only when it could not kill something.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
      // POSIX: its own process group, so a SIGKILL of the harness's group spares it to clean up.
      detached: process.platform !== 'win32',
    });
    this.child = child;
    // It must never keep the harness alive: it goes by itself once the channel closes.
    child.unref();
    child.channel?.unref();
    // A failed spawn or a failed send (the reaper died under it: EPIPE).
    child.on('error', (error) => this.lose(`the agent reaper failed: ${error.message}`));
    // Its exit says more than the EPIPE that often comes first: it replaces it.
    child.once('exit', (code, signal) => {
      if (!this.closed)
        this.lose(`the agent reaper (pid ${child.pid}) ended during the run (${signal ?? `exit code ${code}`})`, true);
    });
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) {
          this.lose(error.message);
          reject(new Error(this.gone ?? error.message));
        } else resolve();
      };
      const onMessage = (message: AgentReaperReport): void => {
        if (message?.type === 'ready') done();
      };
      const onExit = (code: number | null, signal: string | null): void =>
        done(
          new Error(`the agent reaper (pid ${child.pid}) ended before it listened (${signal ?? `exit code ${code}`})`),
        );
      const timer = setTimeout(
        () => done(new Error(`the agent reaper (pid ${child.pid}) did not listen within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }

  private lose(why: string, replace = false): void {
    if (this.gone && !replace) return;
    this.gone = `${why}: agent processes were no longer guarded against the harness being killed`;
  }

  /**
   * Hand a process that was just spawned (as the leader of its own group on POSIX) to the reaper. Call it in
   * the same turn as the spawn. Throws once the reaper is gone: the caller must then kill the process itself.
   */
  watch(pid: number, { orAlone = false }: { orAlone?: boolean } = {}): void {
    if (this.gone) throw new Error(this.gone);
    const child = this.child;
    if (this.closed || !child?.connected)
      throw new Error(`the agent reaper is not running (${this.closed ? 'closed' : 'not started'}): harness bug`);
    child.send({ type: 'watch', pid, ...(orAlone ? { orAlone } : {}) } satisfies AgentReaperRequest);
  }

  /** The process has exited: nothing of it is the reaper's business any more. */
  unwatch(pid: number): void {
    // A gone or closed reaper holds nothing that could be killed by mistake: there is nothing to take back.
    if (this.gone || this.closed || !this.child?.connected) return;
    this.child.send({ type: 'unwatch', pid } satisfies AgentReaperRequest);
  }

  /**
   * The thread is done: close the channel, and the reaper exits by itself (killing anything still watched,
   * which should be nothing). Rejects when the reaper was lost during the run, as that run was unguarded.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.child?.connected) this.child.disconnect();
    if (this.gone) throw new Error(this.gone);
  }
}
