// Processes started by execa from the worker thread itself: works on every OS (Windows included).
import { execa } from 'execa';
import { killTree, TREE_SPAWN_OPTIONS } from '../kill-tree.js';
import type { Launched, Launcher, LaunchSinks, LaunchSpec } from './launcher.js';

export class NodeLauncher implements Launcher {
  readonly kind = 'node';

  async ready(): Promise<void> {
    // Nothing to start: execa spawns from this thread.
  }

  async launch(spec: LaunchSpec, sinks: LaunchSinks): Promise<Launched> {
    const subprocess = execa(spec.file, [...spec.args], {
      shell: false,
      env: spec.env,
      extendEnv: false,
      cwd: spec.cwd,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      ...TREE_SPAWN_OPTIONS,
    });
    // Spawning is synchronous: the process exists (or failed to) by now.
    const startedAt = performance.now();
    subprocess.stdout?.on('data', sinks.stdout);
    subprocess.stderr?.on('data', sinks.stderr);
    const pid = subprocess.pid;
    if (pid === undefined) {
      const result = await subprocess;
      throw result.cause instanceof Error ? result.cause : new Error(result.shortMessage);
    }
    return {
      pid,
      startedAt,
      exit: subprocess.then((result) => ({ exitCode: result.exitCode, signal: result.signal })),
      kill: () => killTree(pid),
    };
  }

  async close(): Promise<void> {
    // Nothing was taken.
  }
}
