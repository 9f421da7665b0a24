// Hand-made run inputs for checker tests: a plan and agent health with every field a checker may read.
import { newHealth } from '../../lib/agents/runner.js';
import type { AgentHealth, Plan, PlannedKill, PlannedOp, Preloaded } from '../../lib/types.js';

export interface UnitPlanOptions {
  opsPerAgent?: number;
  /** Each agent's op `seq` (default: a `list` with an empty value). */
  op?: (agent: number, seq: number) => Omit<PlannedOp, 'seq' | 'delayMs'>;
  preloaded?: Preloaded[];
  kills?: PlannedKill[];
}

export function unitPlan(agentIds: number[], options: UnitPlanOptions = {}): Plan {
  const opsPerAgent = options.opsPerAgent ?? 0;
  const op = options.op ?? (() => ({ f: 'list', value: {} }));
  return {
    format: 1,
    scenario: 'unit',
    scenarioSource: 'test',
    seed: 1,
    options: {
      agents: agentIds.length,
      ops: opsPerAgent,
      timeoutMs: 1000,
      runTimeoutMs: 10_000,
      barrierTimeoutMs: 1000,
      faults: [],
      threads: 1,
    },
    code: { version: '0.0.0', commit: null },
    preloaded: options.preloaded ?? [],
    startOrder: agentIds,
    agents: agentIds.map((id) => ({
      id,
      kind: 'session' as const,
      thread: 0,
      faults: [],
      ops: Array.from({ length: opsPerAgent }, (_, seq) => ({ seq, delayMs: 0, ...op(id, seq) })),
    })),
    kills: options.kills ?? [],
  };
}

/** An agent that started, met the barrier, invoked its first op at `firstInvokeAt` and exited cleanly. */
export function healthyAgent(agent: number, firstInvokeAt = 0): AgentHealth {
  return {
    ...newHealth(agent),
    spawned: true,
    reachedBarrier: true,
    exit: 'ok',
    processes: 1,
    arrivedAt: 0,
    releasedAt: 0,
    firstInvokeAt,
  };
}
