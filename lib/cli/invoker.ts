import { existsSync, readFileSync } from 'node:fs';
import type { Invoker } from '../run/replay.js';

/** Inside stampede's own checkout the replay command is `npm run stress -- ...`; elsewhere `npx stampede run ...`. */
export function invoker(): Invoker {
  if (!existsSync('package.json')) return 'npx';
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name?: string };
  return pkg.name === 'stampede' ? 'npm-run-stress' : 'npx';
}
