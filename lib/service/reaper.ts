// The reaper: a small Node process between the harness and its service. It starts the service (no
// shell) as the leader of its own process group, relays signals the harness asks for, reports the
// service's pid and exit, and, the moment its IPC channel to the harness closes (the harness exited,
// crashed or was SIGKILLed), kills the service's whole tree and exits: no service outlives a run.
// On POSIX the harness starts the reaper in a process group of its own too, so a SIGKILL of the harness's
// whole group (a CI job cancelled, `kill -9 -PGID`) takes the harness but leaves the reaper to clean up.
// Windows has no process groups or SIGSTOP: the tree is killed with `taskkill /T /F` (no SIGTERM grace
// there), and pause is refused by the planner before a run starts.
//   node reaper.js   (spawned with an 'ipc' channel; the first message is a ReaperRequest 'start')
import { spawn, type ChildProcess } from 'node:child_process';
import { signalGroupSync } from '../reaper/kill-group.js';
import type { ReaperMessage, ReaperRequest } from './reaper-protocol.js';

const IS_WINDOWS = process.platform === 'win32';
let child: ChildProcess | null = null;

function tell(message: ReaperMessage): void {
  // After the harness is gone there is nobody to tell; the tree is killed below either way.
  if (process.connected) process.send?.(message);
}

/** The last word, then exit: once the message is written (an exit right after `send` can lose it). */
function tellAndExit(message: ReaperMessage, code: number): void {
  if (!process.connected || !process.send) process.exit(code);
  process.send(message, () => process.exit(code));
}

function signalTree(signal: NodeJS.Signals): void {
  const pid = child?.pid;
  if (pid === undefined || child?.exitCode !== null || child?.signalCode !== null) return;
  // Windows has no SIGSTOP or SIGCONT (pause is refused before a run starts there): only a kill means anything.
  if (IS_WINDOWS && signal !== 'SIGKILL' && signal !== 'SIGTERM') return;
  // A paused (SIGSTOPped) service runs its SIGTERM handler only once continued: let it shut down now.
  if (signalGroupSync(pid, signal) && signal === 'SIGTERM' && !IS_WINDOWS) signalGroupSync(pid, 'SIGCONT');
}

function start(req: Extract<ReaperRequest, { type: 'start' }>): void {
  child = spawn(req.command, req.args, {
    cwd: req.cwd,
    env: req.env,
    shell: false,
    detached: !IS_WINDOWS,
    windowsHide: true,
    // The service writes straight into the pipes the harness drains.
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('error', (error) => tellAndExit({ type: 'error', message: error.message }, 1));
  child.on('spawn', () => tell({ type: 'pid', pid: child?.pid as number }));
  child.on('exit', (code, signal) => {
    // Grandchildren the service left behind go with it (POSIX: its group; Windows: they stay, as its
    // tree can no longer be walked from a pid that is gone).
    if (!IS_WINDOWS && child?.pid !== undefined) signalGroupSync(child.pid, 'SIGKILL');
    tellAndExit({ type: 'exit', code, signal }, 0);
  });
}

process.on('message', (raw) => {
  const req = raw as ReaperRequest;
  if (req.type === 'start') start(req);
  else if (req.type === 'signal') signalTree(req.signal);
});
// The harness gone, by any way: the service goes too.
process.on('disconnect', () => {
  signalTree('SIGKILL');
  process.exit(0);
});
// Ctrl-C (sent to a foreground group the reaper is not in on POSIX, but is on Windows): the harness decides
// how the service stops, not the terminal.
process.on('SIGINT', () => undefined);
// Asked to go by anyone but the harness (kill, a closing session): the service goes first.
for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    signalTree('SIGKILL');
    process.exit(0);
  });
}
