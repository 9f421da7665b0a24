// How an exec agent's process is started, whichever way that is done: the op loop asks a Launcher for a
// process, gets its output as it comes, and waits for its exit. Two ways exist (see `choose.ts`):
// `native`, a small posix_spawn helper per worker thread (Linux, macOS), and `node`, execa (everywhere).

/** What to start: no shell, ever; `args` reach the program byte for byte. */
export interface LaunchSpec {
  file: string;
  args: readonly string[];
  /** The whole environment (nothing is inherited on top of it). */
  env: Record<string, string>;
  cwd: string;
}

/** Where the process's output goes while it runs (both pipes are drained until they close). */
export interface LaunchSinks {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

export interface ExitInfo {
  /** Set when the process exited by itself. */
  exitCode: number | undefined;
  /** Set when a signal ended it (`SIGKILL`, ...). */
  signal: string | undefined;
  /** Set when the process's end could not be observed (the spawner died): its outcome is unknown. */
  lost?: string;
}

export interface Launched {
  pid: number;
  /** `performance.now()` of this thread when the process had been started (gated: its gate was opened). */
  startedAt: number;
  /**
   * When the process itself first ran (gated: got past its gate, as the scheduler allowed), where the
   * launcher can tell; otherwise absent.
   */
  ranAt?: number;
  /** Resolves once the process has exited and both its pipes are closed. Never rejects. */
  exit: Promise<ExitInfo>;
  /** Kill the process and everything it started. */
  kill(): Promise<void>;
}

/** A process forked ahead of time (behind the barrier), waiting to exec until it is opened. */
export interface Gate {
  pid: number;
  /** Let it exec now; resolves as `launch` does. Call at most once, and not after `kill`. */
  open(): Promise<Launched>;
  /** Kill it (it never ran the program); resolves once it is gone. */
  kill(): Promise<void>;
}

export type LauncherKind = 'native' | 'node';

export interface Launcher {
  readonly kind: LauncherKind;
  /** Get ready to start processes (the native helper is started here, before the barrier). */
  ready(): Promise<void>;
  /** Start a process. Rejects, saying why, when it could not be started. */
  launch(spec: LaunchSpec, sinks: LaunchSinks): Promise<Launched>;
  /** Where supported (native): prepare a process now that starts the program only when its gate opens. */
  gate?(spec: LaunchSpec, sinks: LaunchSinks): Promise<Gate>;
  /** No more processes: release what `ready` took. */
  close(): Promise<void>;
}
