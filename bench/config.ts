// How big each part of the bench is: the full run (about 10 minutes on a 2-core machine) and --quick.
import { MB } from './common.js';

export interface BenchConfig {
  quick: boolean;
  /** Rounds for throughput figures; each round measures every variant once, interleaved. */
  repeats: number;
  spawn: {
    agents: number[];
    /** No-op spawns per measurement (split over the agents). */
    spawns: number;
    /** Pool sizes tried for 10 exec agents. */
    threads: number[];
    threadAgents: number;
  };
  skew: {
    agents: number[];
    /** Runs per (kind, agents): the p50 and max are over these. */
    runs: number;
    /** Runs for 100 agents or more (each run starts them all: the slow part). */
    bigRuns: number;
    /** Pool sizes tried for `threadAgents` agents of each kind, over `threadRuns` runs. */
    threads: number[];
    threadAgents: number;
    threadRuns: number;
    execOps: number;
    sessionOps: number;
  };
  session: {
    agents: number[];
    /** Ops per measurement (split over the agents, at least `minOpsPerAgent` each). */
    ops: number;
    minOpsPerAgent: number;
    /** Pool sizes tried for `threadAgents` session agents. */
    threads: number[];
    threadAgents: number;
  };
  memory: {
    /** [agents, ops per agent, stderr bytes per agent] */
    cases: [number, number, number][];
  };
  direct: {
    agents: number;
    ops: number;
    execRuns: number;
    sessionRuns: number;
  };
}

export function benchConfig(quick: boolean, repeats?: number): BenchConfig {
  const full: BenchConfig = {
    quick,
    repeats: repeats ?? 3,
    spawn: { agents: [1, 2, 10, 32], spawns: 600, threads: [1, 2, 4, 10], threadAgents: 10 },
    skew: {
      agents: [2, 10, 32, 128],
      runs: 5,
      bigRuns: 3,
      threads: [1, 2, 4, 10],
      threadAgents: 10,
      threadRuns: 3,
      execOps: 2,
      sessionOps: 10,
    },
    session: { agents: [1, 2, 4, 8, 16, 32, 64], ops: 3000, minOpsPerAgent: 40, threads: [1, 2, 4], threadAgents: 32 },
    memory: {
      cases: [
        [10, 1000, 0],
        [128, 1000, 0],
        [256, 1000, 0],
        [10, 20000, 0],
        [10, 1000, 100 * MB],
        [256, 1000, 100 * MB],
      ],
    },
    direct: { agents: 8, ops: 100, execRuns: 1, sessionRuns: 3 },
  };
  if (!quick) return full;
  // --quick: the same measures with fewer repeats and smaller outputs.
  return {
    ...full,
    repeats: repeats ?? 1,
    spawn: { ...full.spawn, spawns: 300 },
    skew: { ...full.skew, runs: 2, bigRuns: 1, threadRuns: 2 },
    session: { ...full.session, minOpsPerAgent: 20 },
    memory: { cases: [...full.memory.cases.filter(([, , output]) => output === 0), [256, 1000, 10 * MB]] },
    direct: { ...full.direct, ops: 20, sessionRuns: 1 },
  };
}
