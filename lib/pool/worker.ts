// A worker thread: drives its share of the agents. Starts them, meets the others at the barrier,
// runs each agent's ops in order, records history, and leaves every process dead or exited.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { ExecAgent } from '../agents/exec-agent.js';
import { createLauncher, NATIVE_SPAWNER } from '../agents/launch/choose.js';
import type { Launcher } from '../agents/launch/launcher.js';
import { AgentLog } from '../agents/agent-log.js';
import { ChunkReclaimer } from '../agents/chunk-reclaimer.js';
import { agentName, LOG_HEAD_BYTES, LOG_TAIL_BYTES, type AgentLogs, type AgentRunner } from '../agents/runner.js';
import { Outbox } from '../agents/outbox.js';
import { SessionAgent } from '../agents/session-agent.js';
import { ClientAgent } from '../agents/client-agent.js';
import { loadClientModule } from '../agents/client-module.js';
import { AgentReaper } from '../reaper/agent-reaper.js';
import { historyPartName, HistoryWriter } from '../history/writer.js';
import { PlanFileOps } from '../plan/plan-file-ops.js';
import type { HistoryEvent } from '../types.js';
import { Barrier } from './barrier.js';
import { Counters, StopFlag } from './shared.js';
import type { ThreadAgent, ThreadResult, ThreadTask } from './task.js';

export default async function driveThread(task: ThreadTask): Promise<ThreadResult> {
  const barrier = new Barrier(task.barrier);
  const counters = new Counters(task.agentCount, task.counters);
  const stop = new StopFlag(task.stop);
  const history = new HistoryWriter(join(task.runDir, historyPartName(task.thread)));
  // History times are ms since the run started; `performance.now()` readings are turned into them here.
  const sinceRunStart = (at: number): number => performance.timeOrigin + at - task.runStartEpoch;
  const now = (): number => sinceRunStart(performance.now());
  // One launcher for the thread's exec agents (the native one is a helper process shared by them).
  const launcher = createLauncher(task.agent.spawner);
  // Session ops go out at the end of the turn, after the thread's history (their invokes) is on disk.
  const outbox = new Outbox(() => history.flush());
  // Session agents' processes are started here with execa: a reaper kills them should the harness be killed.
  const sessionReaper = new AgentReaper();
  const reclaimer = new ChunkReclaimer();
  mkdirSync(join(task.runDir, 'agents'), { recursive: true });
  const runners = new Map(
    task.agents.map((agent) => [
      agent.id,
      makeRunner(task, agent, launcher, outbox, sessionReaper, agentLogs(task.runDir, agent.id, reclaimer)),
    ]),
  );

  // Raising the stop flag kills every live process in this thread; their pending ops end as `info`.
  const stopped = stop.raisedSignal().then(async (reason) => {
    await Promise.all([...runners.values()].map((runner) => runner.kill(`run stopped: ${reason}`)));
    return reason;
  });
  void stopped;

  const startLimit = pLimit(task.startConcurrency);
  let harnessError: string | null = null;
  try {
    await Promise.all(
      task.agents.map(async (agent) => {
        const runner = runners.get(agent.id) as AgentRunner;
        const ops = new PlanFileOps(agent.ops);
        try {
          await driveAgent(agent, ops, runner, {
            task,
            barrier,
            counters,
            stop,
            history,
            now,
            sinceRunStart,
            start: () => startLimit(() => runner.prepare(ops.first())),
          });
        } catch (error) {
          // The harness's own machinery failed under this agent (its ops unreadable from plan.json): stop the
          // whole run, so no agent is left running, and end it as a harness error with partial results.
          const message = (error as Error).message;
          runner.health.error ??= message;
          harnessError ??= `agent ${agentName(agent.id)}: ${message}`;
          stop.raise('harness error in a worker thread');
        }
      }),
    );
  } finally {
    try {
      try {
        history.close();
      } catch (error) {
        // The last turn's lines could not be written (a full disk): the run's results are incomplete.
        harnessError ??= (error as Error).message;
      }
      // A spawner or reaper lost mid-run (nothing guarded the agents against the harness being killed) makes
      // the run a harness error; its results stand and are written. Both are closed whatever the other did.
      for (const closed of await Promise.allSettled([launcher.close(), sessionReaper.close()])) {
        if (closed.status === 'rejected') harnessError ??= (closed.reason as Error).message;
      }
    } finally {
      // Descriptors belong to the process, not the thread: they are closed whatever else failed.
      closeAgentLogs(runners);
    }
  }
  return { thread: task.thread, health: [...runners.values()].map((runner) => runner.health), harnessError };
}

interface AgentContext {
  task: ThreadTask;
  barrier: Barrier;
  counters: Counters;
  stop: StopFlag;
  history: HistoryWriter;
  now: () => number;
  sinceRunStart: (at: number) => number;
  start: () => Promise<void>;
}

async function driveAgent(agent: ThreadAgent, ops: PlanFileOps, runner: AgentRunner, ctx: AgentContext): Promise<void> {
  const { barrier, counters, stop, history, now } = ctx;
  try {
    await ctx.start();
  } catch (error) {
    // Never silent: the error names the agent; aborting the barrier stops everyone before any op runs.
    runner.health.error ??= (error as Error).message;
    barrier.abort();
    return;
  }
  runner.health.reachedBarrier = true;
  runner.health.arrivedAt = now();
  barrier.arrive();
  if ((await barrier.passed()) !== 'open') {
    await runner.kill('run aborted at the barrier');
    runner.health.exit = 'killed';
    runner.health.error ??= 'run aborted at the barrier (another agent could not start)';
    return;
  }
  runner.health.releasedAt = now();

  const kills = ctx.task.kills
    .filter((k) => k.agent === agent.id)
    .map((k) => setTimeout(() => void runner.kill(`nemesis: SIGKILL at +${k.atMs} ms`), k.atMs));
  try {
    for (const op of ops) {
      if (stop.raised) break;
      if (op.delayMs > 0) await sleep(op.delayMs);
      if (stop.raised) break;
      const invoke: HistoryEvent = {
        type: 'invoke',
        agent: agent.id,
        seq: op.seq,
        f: op.f,
        value: op.value,
        time: now(),
      };
      runner.health.firstInvokeAt ??= invoke.time;
      counters.add(agent.id, 'attempted');
      history.add(invoke);
      // The invoke is on disk before the op can happen: the Outbox writes it before any session line.
      if (!runner.sendsThroughOutbox) history.flush();
      let result;
      try {
        result = await runner.run(op);
      } catch (error) {
        // The op was never delivered (the agent could not be (re)started): it did not happen.
        const message = (error as Error).message;
        runner.health.error ??= message;
        if (runner.health.exit === 'not-run' || runner.health.exit === 'ok') runner.health.exit = 'crashed';
        counters.add(agent.id, 'fail');
        history.add({
          type: 'fail',
          agent: agent.id,
          seq: op.seq,
          f: op.f,
          value: null,
          error: `not delivered: ${message}`,
          time: now(),
        });
        break;
      }
      if (result.startedAt !== undefined) runner.health.firstStartAt ??= ctx.sinceRunStart(result.startedAt);
      if (result.ranAt !== undefined) runner.health.firstRunAt ??= ctx.sinceRunStart(result.ranAt);
      counters.add(agent.id, result.outcome);
      const done: HistoryEvent = {
        type: result.outcome,
        agent: agent.id,
        seq: op.seq,
        f: op.f,
        value: result.value,
        time: now(),
      };
      if (result.error !== undefined) done.error = result.error;
      if (result.pid !== undefined) done.pid = result.pid;
      if (result.out !== undefined) done.out = result.out;
      // On disk by the end of this turn (with the next op's invoke, when one follows).
      history.add(done);
    }
  } finally {
    for (const timer of kills) clearTimeout(timer);
    if (stop.raised) {
      await runner.kill(`run stopped: ${stop.reason}`);
      if (runner.health.exit !== 'crashed' && runner.health.exit !== 'protocol-error') runner.health.exit = 'killed';
    } else {
      await runner.finish();
    }
  }
}

function makeRunner(
  task: ThreadTask,
  agent: ThreadAgent,
  launcher: Launcher,
  outbox: Outbox,
  sessionReaper: AgentReaper,
  logs: AgentLogs,
): AgentRunner {
  const env: Record<string, string> = {
    ...task.agent.env,
    STAMPEDE_AGENT_ID: String(agent.id),
    STAMPEDE_SEED: String(task.seed),
    STAMPEDE_WORKSPACE: task.workspace,
    STAMPEDE_FAULTS: agent.faults.join(','),
  };
  const spec = {
    agent: agent.id,
    command: task.agent.command,
    args: task.agent.args,
    env,
    cwd: task.workspace,
    opTimeoutMs: task.opTimeoutMs,
    startTimeoutMs: task.startTimeoutMs,
    logs,
    ...(task.agent.tracer ? { tracer: task.agent.tracer } : {}),
    // Where the native spawner runs, session agents get a process group of their own in the harness's
    // session through it (Node's only way is a session of its own, which autogroup schedules apart).
    ...(agent.kind === 'session' && task.agent.spawner === 'native' ? { groupExec: NATIVE_SPAWNER } : {}),
  };
  if (agent.kind === 'exec') return new ExecAgent(spec, task.agent.exitCodes, launcher);
  if (agent.kind === 'session') return new SessionAgent(spec, outbox, sessionReaper);
  const modulePath = task.agent.clientModule;
  const context = task.agent.context;
  if (!modulePath || !context)
    throw new Error(
      `agent ${agentName(agent.id)}: a client agent needs the target's client module (target.client.module)`,
    );
  const ctx = { ...context, faults: agent.faults.length > 0 ? agent.faults : context.faults, agent: agent.id };
  return new ClientAgent(
    { agent: agent.id, modulePath, ctx, opTimeoutMs: task.opTimeoutMs, startTimeoutMs: task.startTimeoutMs, logs },
    () => loadClientModule(modulePath),
  );
}

/** Bounded per-agent output (head and tail of each stream, with the count of what was left out), on disk. */
function agentLogs(runDir: string, agent: number, reclaimer: ChunkReclaimer): AgentLogs {
  const log = (stream: string): AgentLog =>
    new AgentLog(
      join(runDir, 'agents', `${agentName(agent)}.${stream}.log`),
      LOG_HEAD_BYTES,
      LOG_TAIL_BYTES,
      reclaimer,
    );
  return { stdout: log('stdout'), stderr: log('stderr') };
}

/** Every log is closed, even after one fails; then the first failure is raised, naming its agent's file. */
function closeAgentLogs(runners: Map<number, AgentRunner>): void {
  const failures: string[] = [];
  for (const runner of runners.values()) {
    for (const log of [runner.logs.stdout, runner.logs.stderr]) {
      try {
        log.close();
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  }
  if (failures.length > 0)
    throw new Error(
      `${failures.length} agent log(s) incomplete; first: ${failures[0]}. Free disk space or choose another --results folder, then replay the run`,
    );
}
