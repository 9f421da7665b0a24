// The reference tracker as a stampede Target: how to set it up, drive one op (exec or
// session agent), and read its final state.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Target } from '../../lib/scenario.js';
import type { Op } from '../../lib/types.js';
import { parseOp } from './ops.js';
import { initStore, readStore } from './store.js';

export { TRACKER_FAULTS, PROCESS_FAULTS } from './faults.js';

/**
 * The compiled CLI. From dist/stress/tracker/target.js it sits at ../../bin/tracker.js; when this
 * module runs from source (vitest, tsx, whose module URLs may carry a query) the CLI is still the
 * compiled one, under dist/.
 */
const compiledSibling = fileURLToPath(new URL('../../bin/tracker.js', import.meta.url));
const cliPath = new URL(import.meta.url).pathname.endsWith('.ts') ? fileURLToPath(new URL('../../dist/bin/tracker.js', import.meta.url)) : compiledSibling;

/** The CLI's path, or a readable error if it was never built (agents would all fail to start). */
export function trackerCliPath(): string {
  if (!fs.existsSync(cliPath)) throw new Error(`the tracker CLI is not built: ${cliPath} is missing (run \`npm run build\`)`);
  return cliPath;
}

/** argv for one op; positionals go after `--` so that a title like `-rf` stays a title. */
function opArgv(op: Op): string[] {
  const parsed = parseOp(op.f, op.value); // throws at plan time for an op the tracker does not have
  switch (parsed.f) {
    case 'create':
      return ['--json', 'create', '--', parsed.title];
    case 'update':
      return ['--json', 'update', '--status', parsed.status, '--', parsed.id];
    case 'comment':
    case 'show':
      return ['--json', parsed.f, '--', parsed.id];
    case 'list':
    case 'ready':
      return ['--json', parsed.f];
    case 'batch':
      return ['--json', 'batch', JSON.stringify((op.value as { ops: unknown }).ops)];
  }
}

export const trackerTarget: Target = {
  name: 'tracker',
  exec: {
    command: process.execPath,
    // Getters: a missing build is reported when the harness first uses the spec, not at import.
    get args() {
      return [trackerCliPath()];
    },
    opArgv,
  },
  session: {
    command: process.execPath,
    get args() {
      return [trackerCliPath(), 'session'];
    },
  },
  env(ctx) {
    return { STAMPEDE_WORKSPACE: ctx.workspace };
  },
  async setup(ctx, preload) {
    trackerCliPath(); // fail here, before any agent starts, if the CLI is missing
    initStore(ctx.workspace, preload);
  },
  async readState(ctx) {
    const { items, corruption } = readStore(ctx.workspace);
    return { items, corruption };
  },
};
