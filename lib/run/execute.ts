// Executing a prepared run: the service started and ready, the pool of agents driven behind the barrier,
// the harness's nemeses carried out on time, the final state read (through the service, still up), and
// then the service stopped and the target's teardown run, whatever happened before.
import type { ExitCodes } from '../results/exec-outcome.js';
import { DEFAULT_EXIT_CODES } from '../results/exec-outcome.js';
import { startPool, type HaltReason } from '../pool/pool.js';
import type { ProgressSink } from '../progress/progress.js';
import type { AgentCounters, AgentHealth, ServiceHealth } from '../types.js';
import { inheritedEnv } from './environment.js';
import { INTERRUPTS, wasInterrupted } from './interrupts.js';
import { HarnessError } from './errors.js';
import type { PreparedRun } from './prepare.js';
import { startTargetService, type RunningService } from './service-run.js';

export interface ExecutedRun {
  health: AgentHealth[];
  counters: AgentCounters[];
  totals: Omit<AgentCounters, 'agent'>;
  service: ServiceHealth | null;
  /** The final state, or why it could not be read. */
  state: { ok: true; value: unknown } | { ok: false; error: string };
  stopReason: string | null;
  barrierError: string | null;
  threadError: string | null;
  durationMs: number;
}

export interface ExecuteOptions {
  progress?: ProgressSink;
  signal?: AbortSignal;
}

export async function executeRun(prepared: PreparedRun, options: ExecuteOptions = {}): Promise<ExecutedRun> {
  const { scenario, plan, ctx } = prepared;
  const { target } = scenario;
  let service: RunningService | null = null;
  try {
    if (target.service) service = await startTargetService(prepared, options.signal);
    const kind = scenario.agents.kind;
    const spec = kind === 'client' ? null : (target[kind] as { command: string; args?: string[] });
    const runStartEpoch = performance.timeOrigin + performance.now();
    const totalOps = plan.options.agents * plan.options.ops;
    const pool = startPool({
      plan,
      runStartEpoch,
      runDir: prepared.runDir,
      workspace: ctx.workspace,
      startTimeoutMs: scenario.budgets.barrierTimeoutMs,
      agent: {
        kind,
        command: spec?.command ?? '',
        args: [...(spec?.args ?? [])],
        env: { ...inheritedEnv(), ...target.env?.(ctx), ...service?.env },
        exitCodes: exitCodesOf(prepared),
        spawner: prepared.spawner,
        ...(prepared.syscalls?.tracer && kind !== 'client' ? { tracer: prepared.syscalls.tracer } : {}),
        ...(target.client ? { clientModule: target.client.module, context: { ...ctx } } : {}),
      },
      onOpen: () => {
        options.progress?.start(pool.counters, totalOps);
        service?.startNemeses(plan.serviceFaults ?? []);
      },
    });
    const halt = (reason: HaltReason): void => pool.halt(reason);
    const deadline = setTimeout(() => halt('run deadline reached'), plan.options.runTimeoutMs);
    const onAbort = (): void => halt(abortReason(options.signal));
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort();
    service?.onCrash(() => halt('the service crashed'));
    let outcome;
    try {
      outcome = await pool.done;
    } finally {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      options.progress?.stop();
      await service?.stopNemeses();
    }
    const durationMs = performance.timeOrigin + performance.now() - runStartEpoch;
    const state = await readState(prepared);
    // Stopped before its health is taken, so the record says how it ended (stopped, or crashed).
    await service?.stop();
    return {
      health: outcome.health,
      counters: pool.counters.all(),
      totals: pool.counters.totals(),
      service: service?.health() ?? null,
      state,
      stopReason: pool.stop.raised ? pool.stop.reason : null,
      barrierError: outcome.barrierError,
      threadError: outcome.threadError,
      durationMs,
    };
  } finally {
    await service?.stop();
    await teardown(prepared);
  }
}

/** The reason a caller's abort gives (`new AbortController().abort('terminated (SIGTERM)')`), Ctrl-C by default. */
function abortReason(signal: AbortSignal | undefined): HaltReason {
  const reason = String(signal?.reason);
  return wasInterrupted(reason) ? reason : INTERRUPTS.SIGINT;
}

function exitCodesOf(prepared: PreparedRun): ExitCodes {
  const results = prepared.scenario.target.exec?.results;
  if (!results) return DEFAULT_EXIT_CODES;
  return {
    ok: results.okExitCodes ?? DEFAULT_EXIT_CODES.ok,
    fail: results.failExitCodes ?? DEFAULT_EXIT_CODES.fail,
    info: results.infoExitCodes ?? null,
  };
}

/** A target that cannot read its state is said plainly (never dressed up as a finding about the data). */
async function readState(prepared: PreparedRun): Promise<ExecutedRun['state']> {
  const { target, budgets } = prepared.scenario;
  // Nothing hangs: a state that cannot be read in as long as agents get to start is not coming.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`no answer within ${budgets.barrierTimeoutMs} ms`)),
        budgets.barrierTimeoutMs,
      )),
  );
  try {
    return {
      ok: true,
      value: await Promise.race([Promise.resolve().then(() => target.readState(prepared.ctx)), late]),
    };
  } catch (error) {
    return { ok: false, error: `target ${target.name}: readState failed: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

async function teardown(prepared: PreparedRun): Promise<void> {
  const { target } = prepared.scenario;
  if (!target.teardown) return;
  try {
    await target.teardown(prepared.ctx);
  } catch (error) {
    throw new HarnessError(
      `target ${target.name}: teardown failed: ${(error as Error).message} (results are in ${prepared.runDir})`,
    );
  }
}
