// The main thread's side of the pool: start the worker threads, open the barrier once every agent has
// arrived, raise the stop flag on deadline or Ctrl-C, and collect each agent's health.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { PlanOnDisk } from '../plan/plan-file.js';
import type { InterruptReason } from '../run/interrupts.js';
import type { AgentHealth, AgentKind } from '../types.js';
import { Barrier } from './barrier.js';
import { Counters, StopFlag } from './shared.js';
import type { ThreadResult, ThreadTask } from './task.js';

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Why the main thread stops a run early. */
export type HaltReason = 'run deadline reached' | InterruptReason | 'the service crashed';

export interface PoolRun {
  counters: Counters;
  stop: StopFlag;
  /** Stop the run now: kill every agent, abort the barrier if it has not opened. Partial results are still written. */
  halt(reason: HaltReason): void;
  /** Resolves with every agent's health once every thread is done. */
  done: Promise<{
    health: AgentHealth[];
    barrierOpenedAt: number | null;
    barrierError: string | null;
    threadError: string | null;
  }>;
}

export interface PoolRequest {
  /** Worker threads read each agent's ops from plan.json as the agent reaches them. */
  plan: PlanOnDisk;
  runStartEpoch: number;
  runDir: string;
  workspace: string;
  agent: ThreadTask['agent'];
  startTimeoutMs: number;
  /** Called once the barrier has opened (progress display starts counting then; nemeses are timed from it). */
  onOpen?: () => void;
}

/**
 * Pool size, by measurement (`npm run bench`, docs/benchmarks.md). Exec agents get one thread: with
 * the native spawner their processes are started by its helper, so more threads only add harness overhead;
 * with execa, Node spawns by fork+exec from the calling thread and fork copies the page tables of the whole
 * process, every worker thread's heap included, so more threads made spawning slower (39 spawns/s at 1
 * thread, 22 at 10). Session agents are cheap to drive; they get the cores less one for the agents.
 */
export function defaultThreads(agents: number, kind: AgentKind): number {
  if (kind === 'exec') return 1;
  return Math.max(1, Math.min(availableParallelism() - 1, agents));
}

/**
 * A small young generation per worker: their garbage is short-lived chunks, and every fork copies it.
 * An old generation capped under 2 GB: V8 lets a heap whose limit is 2 GB or more (a worker's default here
 * is 4 GB) grow by up to 4x between full collections, and one below it by at most 2x (heap-controller.h,
 * MaxGrowingFactor). Measured: 256 session agents x 1000 ops peaked at 258 MB uncapped, 206 MB at 1.5 GB.
 * The cap is far above what a worker keeps alive, which grows with its agents, not their ops (those are
 * read from plan.json as each agent reaches them).
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 1536 };

export function startPool(req: PoolRequest): PoolRun {
  const { plan } = req;
  const threads = plan.options.threads;
  const barrier = new Barrier();
  const counters = new Counters(plan.agents.length);
  const stop = new StopFlag();
  const pool = new Piscina({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    idleTimeout: 1000,
    resourceLimits: WORKER_HEAP_LIMITS,
  });
  const tasks: Promise<ThreadResult>[] = [];
  const startRank = new Map(plan.startOrder.map((agent, rank) => [agent, rank]));
  for (let thread = 0; thread < threads; thread++) {
    const agents = plan.agents.filter((a) => a.thread === thread);
    // Within a thread, agents start in the plan's seeded start order.
    agents.sort((a, b) => (startRank.get(a.id) ?? 0) - (startRank.get(b.id) ?? 0));
    const ids = new Set(agents.map((a) => a.id));
    const task: ThreadTask = {
      thread,
      runStartEpoch: req.runStartEpoch,
      seed: plan.seed,
      workspace: req.workspace,
      runDir: req.runDir,
      agents: agents.map(({ ops, ...agent }) => ({ ...agent, ops: ops.range })),
      kills: plan.kills.filter((k) => ids.has(k.agent)),
      agent: req.agent,
      opTimeoutMs: plan.options.timeoutMs,
      startTimeoutMs: req.startTimeoutMs,
      startConcurrency: 16,
      barrier: barrier.buffer,
      counters: counters.buffer,
      stop: stop.buffer,
      agentCount: plan.agents.length,
    };
    tasks.push(pool.run(task) as Promise<ThreadResult>);
  }

  const done = (async () => {
    let barrierOpenedAt: number | null = null;
    let barrierError: string | null = null;
    const allArrived = await barrier.allArrived(plan.agents.length, plan.options.barrierTimeoutMs);
    if (allArrived && !stop.raised) {
      barrier.open();
      barrierOpenedAt = performance.timeOrigin + performance.now() - req.runStartEpoch;
      req.onOpen?.();
    } else {
      barrierError = stop.raised
        ? `run stopped before the barrier opened: ${stop.reason}`
        : barrier.state === 'aborted'
          ? 'an agent could not start, so the barrier was aborted'
          : `only ${barrier.arrived} of ${plan.agents.length} agents reached the barrier within ${plan.options.barrierTimeoutMs} ms`;
      barrier.abort();
      stop.raise('barrier aborted');
    }
    try {
      const results = await Promise.all(tasks);
      const health = results.flatMap((r) => r.health).sort((a, b) => a.agent - b.agent);
      const threadError = results.find((r) => r.harnessError !== null)?.harnessError ?? null;
      return { health, barrierOpenedAt, barrierError, threadError };
    } finally {
      await pool.destroy();
    }
  })();
  const halt = (reason: HaltReason): void => {
    stop.raise(reason);
    if (barrier.state === 'waiting') barrier.abort();
  };
  return { counters, stop, halt, done };
}
