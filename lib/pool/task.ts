// What the main thread hands each worker thread, and what it gets back. Plain data plus shared buffers.
import type { LauncherKind } from '../agents/launch/launcher.js';
import type { ExitCodes } from '../results/exec-outcome.js';
import type { TargetContext } from '../scenario.js';
import type { AgentHealth, AgentKind, AgentPlan, PlannedKill } from '../types.js';
import type { PlanOpsRange } from '../plan/plan-file-ops.js';
import type { Tracer } from '../syscalls/strace-argv.js';

/** An agent as its thread gets it: where its ops are in plan.json, read as the agent reaches them. */
export type ThreadAgent = Omit<AgentPlan, 'ops'> & { ops: PlanOpsRange };

export interface ThreadTask {
  thread: number;
  /** Epoch ms that history times are measured from. */
  runStartEpoch: number;
  seed: number;
  workspace: string;
  runDir: string;
  agents: ThreadAgent[];
  /** Nemesis kills for agents of this thread. */
  kills: PlannedKill[];
  agent: {
    kind: AgentKind;
    command: string;
    args: string[];
    /** Base environment; each agent adds its STAMPEDE_* variables. */
    env: Record<string, string>;
    /** Exec agents: what the target's exit codes mean. */
    exitCodes: ExitCodes;
    /** Client agents: the module each thread loads, and the run's context handed to each `open`. */
    clientModule?: string;
    context?: TargetContext;
    /** How exec agents' processes are started (see lib/agents/launch/). */
    spawner: LauncherKind;
    /** Exec and session agents' processes run under strace, which counts their system calls (lib/syscalls/). */
    tracer?: Tracer;
  };
  opTimeoutMs: number;
  startTimeoutMs: number;
  /** How many agents may be starting at once in this thread (session agents start before the barrier). */
  startConcurrency: number;
  barrier: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  stop: SharedArrayBuffer;
  agentCount: number;
}

export interface ThreadResult {
  thread: number;
  health: AgentHealth[];
  /** The harness's own failure in this thread (naming the agent), which stopped the run; null when none. */
  harnessError: string | null;
}
