// The reference tracker as a stampede Target: how to set it up, drive one op (exec or session agent),
// which faults it carries and which checker should catch each, and how to read its final state.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineTarget } from '../../lib/scenario.js';
import type { FaultSpec } from '../../lib/faults/catalog.js';
import type { Json } from '../../lib/types.js';
import { parseOp } from './ops.js';
import { initStore, readStore } from './store.js';
import type { TrackerState } from './model.js';

export { TRACKER_FAULTS, PROCESS_FAULTS } from './faults.js';

/**
 * The compiled CLI. From dist/stress/tracker/target.js it sits at ../../bin/tracker.js; when this
 * module runs from source (vitest, tsx, whose module URLs may carry a query) the CLI is still the
 * compiled one, under dist/.
 */
const compiledSibling = fileURLToPath(new URL('../../bin/tracker.js', import.meta.url));
const cliPath = new URL(import.meta.url).pathname.endsWith('.ts')
  ? fileURLToPath(new URL('../../dist/bin/tracker.js', import.meta.url))
  : compiledSibling;

/** The CLI's path, or a readable error if it was never built (agents would all fail to start). */
export function trackerCliPath(): string {
  if (!fs.existsSync(cliPath))
    throw new Error(`the tracker CLI is not built: ${cliPath} is missing (run \`npm run build\`)`);
  return cliPath;
}

/** The tracker's op vocabulary, as scenarios generate it. */
export type TrackerOp =
  | { f: 'create'; value: { title: string } }
  | { f: 'update'; value: { id: string; status: string } }
  | { f: 'comment'; value: { id: string } }
  | { f: 'show'; value: { id: string } }
  | { f: 'list'; value: Record<string, never> }
  | { f: 'ready'; value: Record<string, never> }
  | { f: 'batch'; value: { ops: Json[] } };

/** argv for one op; positionals go after `--` so that a title like `-rf` stays a title. */
function opArgv(op: TrackerOp): string[] {
  const parsed = parseOp(op.f, op.value); // throws at plan time for an op the tracker does not have
  if (op.f === 'batch') return ['--json', 'batch', JSON.stringify(op.value.ops)];
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
      throw new Error('unreachable: batch is handled above');
  }
}

/** Each fault reproduces a bug class of the seeds; `caughtBy` is what the detection matrix expects. */
export const TRACKER_FAULT_SPECS: FaultSpec[] = [
  {
    name: 'no-lock',
    scope: 'process',
    description: 'read-modify-write with no lock: lost items and lost comment increments',
    caughtBy: ['items', 'counters'],
  },
  {
    name: 'tmp-collision',
    scope: 'process',
    description: 'temp file named from the millisecond clock only (seed 002): crashed ops and lost items',
    caughtBy: ['items', 'store-parses', 'unique-ids'],
  },
  {
    name: 'counter-race',
    scope: 'process',
    description: 'id counter read outside the lock: duplicate ids',
    caughtBy: ['unique-ids'],
  },
  {
    name: 'torn-write',
    scope: 'process',
    description: 'writes in place and sometimes dies mid-line: the store stops parsing',
    caughtBy: ['store-parses'],
  },
  {
    name: 'crash-before-rename',
    scope: 'op',
    description: 'some ops die after writing the temp file: unknown outcomes, a stale lock to recover',
  },
  {
    name: 'hang',
    scope: 'op',
    hangs: true,
    description: 'some ops never finish: deadline, info, process tree killed',
    caughtBy: ['deadlines'],
  },
  {
    name: 'flood',
    scope: 'one-agent',
    description: 'one agent writes 100 MB to stdout and stderr: drained, counted, bounded memory',
  },
  {
    name: 'slow-start',
    scope: 'one-agent',
    description: 'one agent takes seconds to become ready: the barrier waits for it',
  },
  {
    name: 'exit-early',
    scope: 'one-agent',
    description: 'one agent exits before the barrier: a harness error naming it',
    caughtBy: ['harness-health'],
  },
];

export interface TrackerOptions {
  /** Issues the store holds before the run (ids t-1..t-N, titles preload-1..preload-N). */
  preload?: number;
}

export function tracker(options: TrackerOptions = {}) {
  return defineTarget<TrackerOp, TrackerState>({
    name: 'tracker',
    exec: {
      command: process.execPath,
      // Getters: a missing build is reported when the harness first uses the spec, not at import.
      get args() {
        return [trackerCliPath()];
      },
      opArgv,
      // Exit 1: the op was refused (bad input, lock timeout); 70/71 are the crash faults (unknown), as is any other.
      results: { okExitCodes: [0], failExitCodes: [1], infoExitCodes: [3, 70, 71] },
    },
    session: {
      command: process.execPath,
      get args() {
        return [trackerCliPath(), 'session'];
      },
    },
    faults: TRACKER_FAULT_SPECS,
    env(ctx) {
      return { STAMPEDE_WORKSPACE: ctx.workspace };
    },
    setup(ctx) {
      trackerCliPath(); // fail here, before any agent starts, if the CLI is missing
      const preloaded = Array.from({ length: options.preload ?? 0 }, (_, i) => ({
        id: `t-${i + 1}`,
        title: `preload-${i + 1}`,
      }));
      initStore(ctx.workspace, preloaded);
      return { preloaded };
    },
    readState(ctx) {
      return readStore(ctx.workspace);
    },
  });
}

/** The tracker with an empty store: what most scenarios stress. */
export const trackerTarget = tracker();
