// Which launcher starts exec agents' processes. `auto`: the native spawner where it was built (Linux and
// macOS with a C compiler at `npm install`/`npm run build`), else execa. The choice never changes a plan.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Launcher, LauncherKind } from './launcher.js';
import { NativeLauncher } from './native-launcher.js';
import { NodeLauncher } from './node-launcher.js';

export type SpawnerChoice = 'auto' | LauncherKind;
export const SPAWNER_CHOICES: readonly SpawnerChoice[] = ['auto', 'native', 'node'];

/** Where `npm run build` puts the compiled stampede-spawn.c (dist/native/, next to dist/lib/). */
export const NATIVE_SPAWNER = fileURLToPath(new URL('../../../native/stampede-spawn', import.meta.url));

const probed = new Map<string, string | null>();

/** Why the native spawner cannot be used here, or null when it can. */
export function nativeUnavailable(binary = NATIVE_SPAWNER): string | null {
  if (process.platform === 'win32') return 'Windows has no posix_spawn; exec agents are started with execa';
  if (!existsSync(binary))
    return `${binary} was not built (no C compiler at \`npm run build\`?); exec agents are started with execa`;
  if (!probed.has(binary)) probed.set(binary, probeNative(binary));
  return probed.get(binary) ?? null;
}

/**
 * A helper that exists may still not run here (built for another OS or architecture, copied from another
 * machine): start it with an empty stdin, on which a working helper exits 0 at once, saying nothing.
 */
export function probeNative(binary: string): string | null {
  const probe = spawnSync(binary, [], { input: '', timeout: 5000, stdio: ['pipe', 'ignore', 'pipe'], shell: false });
  const said =
    String(probe.stderr ?? '')
      .trim()
      .split('\n')[0] ?? '';
  if (probe.error) return `${binary} does not run here (${probe.error.message}); exec agents are started with execa`;
  if (probe.status !== 0)
    return `${binary} does not run here (${probe.signal ? `killed by ${probe.signal}` : `exit code ${probe.status}`}${said ? `: ${said}` : ''}; built for another machine? run \`npm run build\`); exec agents are started with execa`;
  // A helper built before `--exec-in-own-group` existed would read session agents' op lines as requests.
  const group = spawnSync(binary, ['--exec-in-own-group', 'echo', 'stampede-spawn'], {
    input: '',
    timeout: 5000,
    encoding: 'utf8',
    shell: false,
  });
  if (group.stdout !== 'stampede-spawn\n')
    return `${binary} is older than this stampede (it has no --exec-in-own-group: run \`npm run build\`); exec agents are started with execa`;
  return null;
}

/** The launcher kind a choice comes to on this machine. Throws when `native` is asked for and cannot be had. */
export function resolveSpawner(choice: SpawnerChoice): LauncherKind {
  if (choice === 'node') return 'node';
  const why = nativeUnavailable();
  if (choice === 'native' && why)
    throw new Error(
      `--spawner native: ${why}. Use --spawner node (or auto), or install a C compiler and run \`npm run build\``,
    );
  return why ? 'node' : 'native';
}

export function createLauncher(kind: LauncherKind): Launcher {
  return kind === 'native' ? new NativeLauncher(NATIVE_SPAWNER) : new NodeLauncher();
}
