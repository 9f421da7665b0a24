// Where the exporter's pieces are: the export file in the workspace, and the compiled daemon and client
// module. From dist/stress/exporter/ they are siblings; when this module runs from source (vitest, tsx)
// they are still the compiled ones under dist/, since the daemon runs under plain Node.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The export, in the run's workspace. */
export const EXPORT_FILE = 'export.json';

/** The export window the reference daemon promises, in ms (seed 003 debounces, and wants < 500 ms). */
export const WINDOW_MS = 50;

const fromSource = new URL(import.meta.url).pathname.endsWith('.ts');

/** A compiled exporter module's path, or a readable error if it was never built. */
export function compiledModule(file: 'main.js' | 'client.js'): string {
  const path = fromSource
    ? fileURLToPath(new URL(`../../dist/stress/exporter/${file}`, import.meta.url))
    : fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`the exporter is not built: ${path} is missing (run \`npm run build\`)`);
  return path;
}
