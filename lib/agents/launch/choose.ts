// Which launcher starts exec agents' processes. `auto`: the native spawner where it was built (Linux and
// macOS with a C compiler at `npm install`/`npm run build`), else execa. The choice never changes a plan.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Launcher, LauncherKind } from './launcher.js';
import { NativeLauncher } from './native-launcher.js';
import { NodeLauncher } from './node-launcher.js';

export type SpawnerChoice = 'auto' | LauncherKind;
export const SPAWNER_CHOICES: readonly SpawnerChoice[] = ['auto', 'native', 'node'];

/** Where `npm run build` puts the compiled stampede-spawn.c (dist/native/, next to dist/lib/). */
export const NATIVE_SPAWNER = fileURLToPath(new URL('../../../native/stampede-spawn', import.meta.url));

/** Why the native spawner cannot be used here, or null when it can. */
export function nativeUnavailable(): string | null {
  if (process.platform === 'win32') return 'Windows has no posix_spawn; exec agents are started with execa';
  if (!existsSync(NATIVE_SPAWNER)) return `${NATIVE_SPAWNER} was not built (no C compiler at \`npm run build\`?); exec agents are started with execa`;
  return null;
}

/** The launcher kind a choice comes to on this machine. Throws when `native` is asked for and cannot be had. */
export function resolveSpawner(choice: SpawnerChoice): LauncherKind {
  if (choice === 'node') return 'node';
  const why = nativeUnavailable();
  if (choice === 'native' && why) throw new Error(`--spawner native: ${why}. Use --spawner node (or auto), or install a C compiler and run \`npm run build\``);
  return why ? 'node' : 'native';
}

export function createLauncher(kind: LauncherKind): Launcher {
  return kind === 'native' ? new NativeLauncher(NATIVE_SPAWNER) : new NodeLauncher();
}
