// The faults a run can switch on, and how the plan applies each one.
// Target-side faults are carried out by the target (the reference tracker reads STAMPEDE_FAULTS and the
// per-op `fault` field); `kill` is the harness's own nemesis.

/** Where a fault lands when the plan applies it. */
export type FaultScope =
  | 'process' // every agent process of the run
  | 'op' // a seeded share of ops
  | 'one-agent' // one seeded agent's process
  | 'harness'; // done by the harness itself

export interface FaultInfo {
  name: string;
  scope: FaultScope;
  description: string;
}

export const FAULTS: readonly FaultInfo[] = [
  { name: 'no-lock', scope: 'process', description: 'read-modify-write with no lock: lost items and lost comment increments' },
  { name: 'tmp-collision', scope: 'process', description: 'temp file named from the millisecond clock only (seed 002): crashed ops and lost items' },
  { name: 'counter-race', scope: 'process', description: 'id counter read outside the lock: duplicate ids' },
  { name: 'torn-write', scope: 'process', description: 'writes in place and sometimes dies mid-line: the store stops parsing' },
  { name: 'crash-before-rename', scope: 'op', description: 'some ops die after writing the temp file: unknown outcomes, a stale lock to recover' },
  { name: 'hang', scope: 'op', description: 'some ops never finish: deadline, info, process tree killed' },
  { name: 'flood', scope: 'one-agent', description: 'one agent writes 100 MB to stdout and stderr: drained, counted, bounded memory' },
  { name: 'slow-start', scope: 'one-agent', description: 'one agent takes seconds to become ready: the barrier waits for it' },
  { name: 'exit-early', scope: 'one-agent', description: 'one agent exits before the barrier: a harness error naming it' },
  { name: 'kill', scope: 'harness', description: 'SIGKILL (TerminateProcess on Windows) seeded agents at seeded moments' },
];

export const FAULT_NAMES: readonly string[] = FAULTS.map((f) => f.name);

export function faultInfo(name: string): FaultInfo {
  const info = FAULTS.find((f) => f.name === name);
  if (!info) throw new Error(`unknown fault ${JSON.stringify(name)}; known faults: ${FAULT_NAMES.join(', ')} (see \`stampede list --faults\`)`);
  return info;
}

/** Share of ops an op-scoped fault hits. Low enough that most ops still decide the checks. */
export const OP_FAULT_RATE = 0.05;
