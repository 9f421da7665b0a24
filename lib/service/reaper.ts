// The reaper: a small Node process between the harness and its service. It starts the service (no
// shell) as the leader of its own process group, relays signals the harness asks for, reports the
// service's pid and exit, and, the moment its IPC channel to the harness closes (the harness exited,
// crashed or was SIGKILLed), kills the service's whole tree and exits: no service outlives a run.
// Windows has no process groups or SIGSTOP: the tree is killed with `taskkill /T /F`, and pause is refused
// by the planner before a run starts.
//   node reaper.js   (spawned with an 'ipc' channel; the first message is the ReaperStart)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { ReaperMessage, ReaperRequest } from './reaper-protocol.js';

const IS_WINDOWS = process.platform === 'win32';
let child: ChildProcess | null = null;

function tell(message: ReaperMessage): void {
  // After the harness is gone there is nobody to tell; the tree is killed below either way.
  if (process.connected) process.send?.(message);
}

function signalTree(signal: NodeJS.Signals): void {
  const pid = child?.pid;
  if (pid === undefined || child?.exitCode !== null || child?.signalCode !== null) return;
  if (IS_WINDOWS) {
    if (signal === 'SIGKILL' || signal === 'SIGTERM') spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is gone already, which is what was asked.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
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
  child.on('error', (error) => {
    tell({ type: 'error', message: error.message });
    process.exit(1);
  });
  child.on('spawn', () => tell({ type: 'pid', pid: child?.pid as number }));
  child.on('exit', (code, signal) => {
    tell({ type: 'exit', code, signal });
    // Grandchildren the service left behind go with it.
    if (!IS_WINDOWS && child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    process.disconnect?.();
    process.exit(0);
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
// Ctrl-C reaches the whole foreground group: the harness decides how the service stops, not the terminal.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => {
  signalTree('SIGKILL');
  process.exit(0);
});
