// The target's service for one run: a free port picked, the spec built from the context, the process
// started through the reaper and ready-checked, the harness's restart and pause nemeses timed from the
// barrier, its crash reported once, and its health for harness-health.
import { freePort, startService, type ServiceHandle } from '../service/service.js';
import type { PlannedServiceFault, ServiceHealth } from '../types.js';
import { HarnessError } from './errors.js';
import { inheritedEnv } from './environment.js';
import { serviceTableName, traced } from '../syscalls/strace-argv.js';
import type { PreparedRun } from './prepare.js';

export interface RunningService {
  /** What agents are told: STAMPEDE_SERVICE_HOST and STAMPEDE_SERVICE_PORT. */
  env: Record<string, string>;
  startNemeses(faults: readonly PlannedServiceFault[]): void;
  /** Waits for a restart or pause in progress, and stops the timers. */
  stopNemeses(): Promise<void>;
  onCrash(then: () => void): void;
  health(): ServiceHealth;
  stop(): Promise<void>;
}

export async function startTargetService(prepared: PreparedRun, signal?: AbortSignal): Promise<RunningService> {
  const { scenario, ctx, runDir } = prepared;
  const { target } = scenario;
  const port = await freePort();
  const spec = (target.service as NonNullable<typeof target.service>)({ ...ctx, port });
  const host = 'host' in spec.ready && spec.ready.host ? spec.ready.host : '127.0.0.1';
  const env = {
    ...inheritedEnv(),
    ...target.env?.(ctx),
    ...spec.env,
    STAMPEDE_FAULTS: ctx.faults.join(','),
    STAMPEDE_SEED: String(ctx.seed),
    STAMPEDE_WORKSPACE: ctx.workspace,
  };
  const started = performance.now();
  // Counting: each life of the service under strace, with a table of its own (a restart is a new life).
  const tracer = prepared.syscalls?.tracer;
  let life = 0;
  let handle: ServiceHandle;
  try {
    handle = await startService(spec, {
      runDir,
      name: target.name,
      env,
      cwd: spec.cwd ?? ctx.workspace,
      now: () => performance.now() - started,
      ...(signal ? { signal } : {}),
      ...(tracer
        ? { wrap: (command: string, args: string[]) => traced(tracer, serviceTableName(life++), command, args) }
        : {}),
    });
  } catch (error) {
    throw new HarnessError(`target ${target.name}: its service did not start: ${(error as Error).message}`);
  }
  ctx.service = { host, port, pid: handle.pid };
  const timers: NodeJS.Timeout[] = [];
  let planned = 0;
  const notes: string[] = [];
  // One nemesis at a time: a restart due while another is still starting the service waits for it.
  let queue: Promise<void> = Promise.resolve();
  const carryOut = (fault: PlannedServiceFault): void => {
    queue = queue.then(() =>
      (fault.kind === 'restart' ? handle.restart() : handle.pause(fault.forMs ?? 100))
        .then(() => {
          if (ctx.service) ctx.service.pid = handle.pid;
        })
        .catch((error: unknown) => {
          notes.push(`${fault.kind} at +${fault.atMs} ms failed: ${(error as Error).message}`);
        }),
    );
  };
  return {
    env: { STAMPEDE_SERVICE_HOST: host, STAMPEDE_SERVICE_PORT: String(port) },
    startNemeses(faults) {
      planned = faults.length;
      for (const fault of faults) timers.push(setTimeout(() => carryOut(fault), fault.atMs));
    },
    async stopNemeses() {
      for (const timer of timers) clearTimeout(timer);
      await queue;
    },
    onCrash(then) {
      void handle.crashed.then(then);
    },
    health() {
      const h = { ...handle.health, name: target.name, planned };
      // A nemesis that could not be carried out is the harness's failure to test, said as the service's error.
      if (notes.length > 0) h.error = [h.error, ...notes].filter(Boolean).join('; ');
      return h;
    },
    stop: () => handle.stop(),
  };
}
