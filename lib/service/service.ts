// A target's service for one run: started through the reaper (lib/service/reaper.ts) so that it never
// outlives the harness, ready-checked with a deadline, its output drained to a bounded log in the run
// folder, watched (an exit nobody asked for is a crash, with its code and last lines), restarted and
// paused by the harness's nemeses, and stopped with its tree: SIGTERM, then SIGKILL after a grace.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentLog } from '../agents/agent-log.js';
import { IS_WINDOWS, killTree } from '../agents/kill-tree.js';
import { LineSplitter } from '../agents/lines.js';
import type { ServiceSpec } from '../scenario.js';
import type { ServiceHealth } from '../types.js';
import { waitReady } from './ready.js';
import type { ReaperMessage, ReaperRequest } from './reaper-protocol.js';

/** The compiled reaper; from sources (vitest) it is still the compiled one, under dist/. */
const REAPER = new URL(import.meta.url).pathname.endsWith('.ts')
  ? fileURLToPath(new URL('../../dist/lib/service/reaper.js', import.meta.url))
  : fileURLToPath(new URL('./reaper.js', import.meta.url));

const LOG_HEAD_BYTES = 256 * 1024;
const LOG_TAIL_BYTES = 256 * 1024;
const LAST_LINES = 20;
const DEFAULT_READY_MS = 10_000;
const DEFAULT_STOP_MS = 2_000;
/** After the reaper exits, how long its output may take to end (a process that left the group can hold it). */
const OUTPUT_GRACE_MS = 500;

export interface ServiceOptions {
  runDir: string;
  /** The target's name: the log is `<runDir>/service/<name>.log`. */
  name: string;
  env: Record<string, string>;
  cwd: string;
  /** Milliseconds since the run started, for the health record. */
  now: () => number;
  /** Ctrl-C: stop waiting for it to be ready (it is killed, and the start fails saying so). */
  signal?: AbortSignal;
  /** What each life actually starts (counting: the command under strace, a table per life); as given when absent. */
  wrap?: (command: string, args: string[]) => { command: string; args: string[] };
}

export interface ServiceHandle {
  readonly pid: number;
  readonly health: ServiceHealth;
  /** Resolves when the service exits without being asked to (a crash during the run). */
  readonly crashed: Promise<ServiceHealth>;
  /** SIGKILL its tree, start it again, wait until ready (the `restart` nemesis). */
  restart(): Promise<void>;
  /** SIGSTOP its process group for `ms`, then SIGCONT (the `pause` nemesis; POSIX only). */
  pause(ms: number): Promise<void>;
  /** SIGTERM, then SIGKILL of the tree after the grace; idempotent. */
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface, for a service to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port was assigned')),
      );
    });
  });
}

/** One life of the service: a reaper and the process it started. */
interface Life {
  reaper: ChildProcess;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Set when the harness stopped or restarted it: that exit is not a crash. */
  expected: boolean;
}

export async function startService(spec: ServiceSpec, opts: ServiceOptions): Promise<ServiceHandle> {
  // From sources (vitest) the reaper is the compiled one: a missing build must not read as a service failure.
  if (!existsSync(REAPER)) throw new Error(`the service reaper ${REAPER} is missing: run \`npm run build\``);
  mkdirSync(join(opts.runDir, 'service'), { recursive: true });
  const logFile = join(opts.runDir, 'service', `${opts.name}.log`);
  const log = new AgentLog(logFile, LOG_HEAD_BYTES, LOG_TAIL_BYTES);
  const lastLines: string[] = [];
  let lineSeen = false;
  const readyLine = 'line' in spec.ready ? spec.ready.line : null;
  const onLine = (line: string): void => {
    lastLines.push(line.slice(0, 300));
    if (lastLines.length > LAST_LINES) lastLines.shift();
    if (readyLine && readyLine.test(line)) lineSeen = true;
  };
  const health: ServiceHealth = {
    name: opts.name,
    started: false,
    ready: false,
    readyAfterMs: null,
    restarts: 0,
    pauses: 0,
    exit: 'running',
    exitCode: null,
    signal: null,
    crashedAtMs: null,
    lastLines,
    logFile,
  };
  let announceCrash: (h: ServiceHealth) => void = () => undefined;
  const crashed = new Promise<ServiceHealth>((resolve) => (announceCrash = resolve));
  let life: Life;
  let stopped = false;

  const describeExit = (exit: { code: number | null; signal: NodeJS.Signals | null }): string =>
    exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const withLines = (text: string): string =>
    `${text}; ${lastLines.length > 0 ? `its last lines: ${lastLines.slice(-5).join(' | ')}` : 'it printed nothing'} (its log: ${logFile})`;

  const launch = async (): Promise<Life> => {
    // Both streams get their own splitter, so lines from stdout and stderr are never glued together.
    const splitters = [
      new LineSplitter(64 * 1024, onLine, () => undefined),
      new LineSplitter(64 * 1024, onLine, () => undefined),
    ];
    // POSIX: the reaper leads a group of its own, so a SIGKILL of the harness's group spares it to clean up.
    const reaper = fork(REAPER, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      detached: !IS_WINDOWS,
    });
    reaper.stdout?.on('data', (chunk: Buffer) => {
      log.push(chunk);
      splitters[0]?.push(chunk);
    });
    reaper.stderr?.on('data', (chunk: Buffer) => {
      log.push(chunk);
      splitters[1]?.push(chunk);
    });
    const current: Partial<Life> & { exit: Life['exit']; expected: boolean } = { reaper, exit: null, expected: false };
    /** Why its exit is not the service's own, when the reaper died first. */
    let lost = '';
    const pid = new Promise<number>((resolve, reject) => {
      reaper.on('message', (raw) => {
        const message = raw as ReaperMessage;
        if (message.type === 'pid') resolve(message.pid);
        else if (message.type === 'error') reject(new Error(`could not start ${spec.command}: ${message.message}`));
        else if (message.type === 'exit') current.exit = { code: message.code, signal: message.signal };
      });
      // On 'close', so that an error it reported before exiting is read first (and wins).
      reaper.once('close', (code, signal) =>
        reject(new Error(`its reaper ended (${signal ?? `code ${code}`}) before starting it`)),
      );
    });
    current.exited = new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!current.exit) {
          // The reaper died without reporting an exit (killed on its own): the service, if it started, is
          // nobody's now. Take its tree down from here.
          current.exit = { code: null, signal: 'SIGKILL' };
          lost = ` (its reaper ended first, ${reaper.signalCode ?? `code ${reaper.exitCode}`}, and its tree was killed)`;
          if (current.pid !== undefined) {
            killTree(current.pid).catch(
              (error: unknown) =>
                (health.error = `${health.error ?? ''}; killing its tree failed: ${(error as Error).message}`),
            );
          }
        }
        resolve(current.exit);
      };
      // 'close' comes once its output and IPC channel have ended: the last lines and the exit report are in.
      reaper.once('close', settle);
      reaper.once('exit', () => (timer = setTimeout(settle, OUTPUT_GRACE_MS)));
    });
    const started = opts.wrap?.(spec.command, spec.args ?? []) ?? { command: spec.command, args: spec.args ?? [] };
    const request: ReaperRequest = {
      type: 'start',
      command: started.command,
      args: started.args,
      cwd: spec.cwd ?? opts.cwd,
      env: { ...opts.env, ...spec.env },
    };
    reaper.send(request);
    current.pid = await pid;
    const ready = current as Life;
    void ready.exited.then((exit) => {
      if (ready.expected || stopped) return;
      // Nobody asked it to go: a crash, named with its exit and its last words.
      health.exit = 'crashed';
      health.exitCode = exit.code;
      health.signal = exit.signal;
      health.crashedAtMs = opts.now();
      health.error = withLines(`it ${describeExit(exit)} during the run${lost}`);
      announceCrash({ ...health, lastLines: [...lastLines] });
    });
    return ready;
  };

  const becomeReady = async (): Promise<number> => {
    lineSeen = false;
    const current = life;
    return waitReady(spec.ready, {
      timeoutMs: spec.readyTimeoutMs ?? DEFAULT_READY_MS,
      sawLine: () => lineSeen,
      stopped: () => {
        if (current.exit) return `it ${describeExit(current.exit)} before it was ready`;
        return opts.signal?.aborted ? `stopped while waiting for it to be ready: ${String(opts.signal.reason)}` : null;
      },
    });
  };

  const signal = (which: NodeJS.Signals): void => {
    if (life.reaper.connected) life.reaper.send({ type: 'signal', signal: which } satisfies ReaperRequest);
  };

  const kill = async (graceMs: number): Promise<void> => {
    life.expected = true;
    if (life.exit || life.reaper.exitCode !== null || life.reaper.signalCode !== null) return void (await life.exited);
    signal(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if (graceMs > 0 && (await Promise.race([life.exited, late])) === 'late') signal('SIGKILL');
    clearTimeout(timer);
    await life.exited;
  };

  try {
    life = await launch();
    health.started = true;
    health.readyAfterMs = await becomeReady();
    health.ready = true;
  } catch (error) {
    stopped = true;
    // `life` is unset when the reaper itself failed: nothing else was started.
    if (life! !== undefined) await kill(0);
    log.close();
    throw new Error(withLines(`${spec.command}: ${(error as Error).message}`), { cause: error });
  }

  return {
    get pid() {
      return life.pid;
    },
    health,
    crashed,
    async restart() {
      if (stopped) throw new Error(`service ${opts.name} is stopped: it cannot be restarted`);
      await kill(0);
      health.restarts += 1;
      life = await launch();
      await becomeReady();
    },
    async pause(ms) {
      if (IS_WINDOWS) throw new Error('pause needs SIGSTOP, which Windows does not have');
      if (stopped) throw new Error(`service ${opts.name} is stopped: it cannot be paused`);
      signal('SIGSTOP');
      health.pauses += 1;
      await new Promise((resolve) => setTimeout(resolve, ms));
      signal('SIGCONT');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill(spec.stopTimeoutMs ?? DEFAULT_STOP_MS);
      if (health.exit === 'running') health.exit = 'stopped';
      log.close();
    },
  };
}
