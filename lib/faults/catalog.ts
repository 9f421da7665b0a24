// Which faults a run can switch on: the target's own (it declares them and carries them out) and the
// harness's nemeses (kill, restart, pause), which the harness carries out itself. A fault neither declares
// is refused, naming the faults this target has: nothing accepted is silently ignored.

/** Where a fault lands when the plan applies it. */
export type FaultScope =
  | 'process' // every agent process (and the service) of the run, through STAMPEDE_FAULTS
  | 'op' // a seeded share of ops, through the op's `fault` (STAMPEDE_OP_FAULT for exec agents)
  | 'one-agent' // one seeded agent's process, through its STAMPEDE_FAULTS
  | 'harness'; // done by the harness itself

export interface FaultSpec {
  name: string;
  scope: Exclude<FaultScope, 'harness'>;
  description: string;
  /** The checkers that should catch it, for `stampede list --faults` and the reader. */
  caughtBy?: string[];
  /** Scope `op`: the ops it hits never finish by themselves; the deadlines checker holds them to ending unknown. */
  hangs?: boolean;
}

export interface FaultInfo {
  name: string;
  scope: FaultScope;
  description: string;
  caughtBy?: string[];
  hangs?: boolean;
  /** What the fault needs of the target: `service` for restart and pause. */
  needs?: 'service';
}

/** The harness's own nemeses, available to every target that can take them. */
export const HARNESS_FAULTS: readonly FaultInfo[] = [
  {
    name: 'kill',
    scope: 'harness',
    description:
      'SIGKILL (TerminateProcess on Windows) seeded agents at seeded moments; a client agent loses its connection',
  },
  {
    name: 'restart',
    scope: 'harness',
    needs: 'service',
    description: 'SIGKILL the service and its tree at seeded moments and start it again; ops in flight end unknown',
  },
  {
    name: 'pause',
    scope: 'harness',
    needs: 'service',
    description: 'SIGSTOP the service for a seeded time, then SIGCONT (POSIX only: refused on Windows)',
  },
];

/** Faults a target can run with: its own, then the harness's that it can take. */
export function faultsFor(target: { name: string; faults?: readonly FaultSpec[]; service?: unknown }): FaultInfo[] {
  const own: FaultInfo[] = (target.faults ?? []).map((f) => ({ ...f }));
  const harness = HARNESS_FAULTS.filter((f) => f.needs !== 'service' || target.service !== undefined);
  return [...own, ...harness.filter((h) => !own.some((o) => o.name === h.name))];
}

/** A fault this target can carry, or an error that lists the ones it can. */
export function faultInfo(
  name: string,
  target: { name: string; faults?: readonly FaultSpec[]; service?: unknown },
): FaultInfo {
  const known = faultsFor(target);
  const info = known.find((f) => f.name === name);
  if (!info) {
    const service = HARNESS_FAULTS.find((f) => f.name === name && f.needs === 'service');
    if (service)
      throw new Error(
        `fault ${JSON.stringify(name)} needs a service, and target ${target.name} has none; its faults: ${known.map((f) => f.name).join(', ')}`,
      );
    throw new Error(
      `unknown fault ${JSON.stringify(name)} for target ${target.name}; its faults: ${known.map((f) => f.name).join(', ')} (see \`stampede list --faults\`)`,
    );
  }
  if (name === 'pause' && process.platform === 'win32')
    throw new Error('fault "pause" needs SIGSTOP/SIGCONT, which Windows does not have; it is refused there');
  return info;
}

/** Share of ops an op-scoped fault hits. Low enough that most ops still decide the checks. */
export const OP_FAULT_RATE = 0.05;
