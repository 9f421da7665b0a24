// Kill a process and everything it started.
// POSIX: agents are spawned as process-group leaders (detached, or session agents through `stampede-spawn
// --exec-in-own-group`), so one signal to -pid reaches the tree.
// Windows: there are no process groups; `taskkill /T /F` walks the tree (spawned directly, no shell).
import { execa } from 'execa';

export const IS_WINDOWS = process.platform === 'win32';

/** Spawn options that make `killTree` able to reach the whole tree. */
export const TREE_SPAWN_OPTIONS = { detached: !IS_WINDOWS, windowsHide: true } as const;

/**
 * `orAlone`: when no group is led by `pid`, signal the process itself. For a session agent started through
 * `stampede-spawn --exec-in-own-group`, which makes its group only once it runs: until then it has started
 * nothing, so the process alone is its whole tree.
 */
export async function killTree(pid: number, { orAlone = false }: { orAlone?: boolean } = {}): Promise<void> {
  if (IS_WINDOWS) {
    const result = await execa('taskkill', ['/pid', String(pid), '/T', '/F'], {
      reject: false,
      shell: false,
      windowsHide: true,
    });
    // 128: no such process (already gone) — the outcome we wanted.
    if (result.exitCode !== 0 && result.exitCode !== 128)
      throw new Error(`taskkill /pid ${pid} /T /F failed (${result.exitCode}): ${result.stderr}`);
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted. Anything else is a real problem.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    if (orAlone && killAlone(pid)) {
      // It may have made its group and started children between the two kills: their group goes too.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code !== 'ESRCH') throw again;
      }
    }
  }
}

/** SIGKILL to the process alone; false when it is gone already. */
function killAlone(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    return false;
  }
}
