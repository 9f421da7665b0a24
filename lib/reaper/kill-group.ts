// Signal a process's whole group from a reaper process (lib/service/reaper.ts, agent-reaper-process.ts),
// synchronously: a reaper's last act comes just before it exits, so nothing may be left on its event loop.
// POSIX: the group led by `pid` (agents and services are spawned as group leaders, `detached`).
// Windows has no process groups: SIGKILL and SIGTERM become `taskkill /pid N /T /F`, which walks the tree
// from a pid that must still be alive. Not run here (no Windows machine): unverified.
import { spawnSync } from 'node:child_process';

const ON_WINDOWS = process.platform === 'win32';

/**
 * Signals `pid`'s group. False when there was nothing left to signal (it is gone already); throws on any
 * other failure. `orAlone`: when no group is led by `pid`, signal the process itself (a session agent still
 * in `stampede-spawn --exec-in-own-group`, before its setpgid: it has started nothing yet).
 */
export function signalGroupSync(pid: number, signal: NodeJS.Signals, orAlone = false): boolean {
  if (ON_WINDOWS) {
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM') throw new Error(`${signal} has no equivalent on Windows`);
    const result = spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, encoding: 'utf8' });
    if (result.error) throw result.error;
    // 128: no such process.
    if (result.status === 128) return false;
    if (result.status !== 0)
      throw new Error(`taskkill /pid ${pid} /T /F failed (${result.status}): ${result.stderr.trim()}`);
    return true;
  }
  if (signalSync(-pid, signal)) return true;
  if (!orAlone || !signalSync(pid, signal)) return false;
  // It may have made its group and started children between the two signals: their group gets it too.
  signalSync(-pid, signal);
  return true;
}

/** `process.kill`; false when there is no such process or group. */
function signalSync(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch (error) {
    // ESRCH: it is gone, which is what a kill wanted. Anything else (EPERM) is a real failure.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
