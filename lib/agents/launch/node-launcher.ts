// Processes started by execa from the worker thread itself: works on every OS (Windows included).
// Each process is handed to an agent reaper (lib/reaper/agent-reaper.ts) while it runs, so that a harness
// killed outright (SIGKILL) does not leave it behind (the native spawner's helper does the same for its own).
import { execa } from 'execa';
import { AgentReaper } from '../../reaper/agent-reaper.js';
import { killTree, TREE_SPAWN_OPTIONS } from '../kill-tree.js';
import type { Launched, Launcher, LaunchSinks, LaunchSpec } from './launcher.js';

export class NodeLauncher implements Launcher {
  readonly kind = 'node';
  private readonly reaper = new AgentReaper();

  async ready(): Promise<void> {
    // execa spawns from this thread; only the reaper has to be started (and listening) first.
    await this.reaper.start();
  }

  async launch(spec: LaunchSpec, sinks: LaunchSinks): Promise<Launched> {
    await this.reaper.start();
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
    try {
      // In the same turn as the spawn: see agent-reaper.ts for the window that remains.
      this.reaper.watch(pid);
    } catch (error) {
      // Nothing would kill it should the harness die: it does not run unguarded.
      await killTree(pid);
      await subprocess;
      throw error;
    }
    return {
      pid,
      startedAt,
      exit: subprocess.then((result) => {
        this.reaper.unwatch(pid);
        return { exitCode: result.exitCode, signal: result.signal };
      }),
      kill: () => killTree(pid),
    };
  }

  async close(): Promise<void> {
    await this.reaper.close();
  }
}
