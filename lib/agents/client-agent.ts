// Client agents: a module loaded in the worker thread, one open connection per agent. An op's result is
// what `invoke` resolves with (ok); OpFailed means it did not happen (fail); anything else, an abort or
// the deadline leaves it unknown (info), and then the connection is closed and reopened before the next
// op, as a session agent's process is restarted. `invoke` gets an AbortSignal, but a client that ignores
// it still cannot hold the run: the op ends at its deadline whatever the promise does.
import type { OpContext } from '../scenario.js';
import type { Json, PlannedOp } from '../types.js';
import type { Client, ClientModule } from './client-module.js';
import { isOpFailed } from './op-failed.js';
import { agentName, newHealth, type AgentLogs, type AgentRunner, type OpOutcome } from './runner.js';

export interface ClientAgentSpec {
  agent: number;
  modulePath: string;
  ctx: OpContext;
  opTimeoutMs: number;
  /** Deadline for open and for close. */
  startTimeoutMs: number;
  logs: AgentLogs;
}

export class ClientAgent implements AgentRunner {
  readonly health;
  readonly logs: AgentLogs;
  private client: Client | null = null;
  private inFlight: { abort: (reason: string) => void } | null = null;

  constructor(
    private readonly spec: ClientAgentSpec,
    private readonly load: () => Promise<ClientModule>,
  ) {
    this.health = newHealth(spec.agent);
    this.logs = spec.logs;
  }

  private get name(): string {
    return agentName(this.spec.agent);
  }

  async prepare(): Promise<void> {
    try {
      await this.open();
    } catch (error) {
      this.health.exit = 'spawn-failed';
      this.health.error = (error as Error).message;
      throw new Error(`agent ${this.name}: ${this.health.error}`);
    }
  }

  private async open(): Promise<void> {
    const module = await this.load();
    this.health.processes += 1;
    const client = await withDeadline(Promise.resolve().then(() => module.open(this.spec.ctx)), this.spec.startTimeoutMs, `open() of ${this.spec.modulePath} did not finish within ${this.spec.startTimeoutMs} ms`);
    if (!client || typeof client.invoke !== 'function' || typeof client.close !== 'function') throw new Error(`open() of ${this.spec.modulePath} must return {invoke(op, {signal}), close()}`);
    this.client = client;
    this.health.spawned = true;
  }

  async run(op: PlannedOp): Promise<OpOutcome> {
    if (!this.client) {
      this.health.restarts += 1;
      try {
        await this.open();
      } catch (error) {
        // The service may be down for a moment (a restart): this op did not happen; the next one tries again.
        return { outcome: 'fail', value: null, error: `not delivered: could not reconnect: ${(error as Error).message}` };
      }
    }
    const client = this.client as Client;
    const controller = new AbortController();
    let aborted: string | null = null;
    const cut = new Promise<'cut'>((resolve) => {
      this.inFlight = {
        abort: (reason) => {
          aborted ??= reason;
          controller.abort(new Error(reason));
          resolve('cut');
        },
      };
    });
    const timer = setTimeout(() => this.inFlight?.abort(`deadline of ${this.spec.opTimeoutMs} ms exceeded; connection closed and reopened`), this.spec.opTimeoutMs);
    const startedAt = performance.now();
    let outcome: OpOutcome;
    try {
      const invoked = Promise.resolve().then(() => client.invoke({ f: op.f, value: op.value, ...(op.fault ? { fault: op.fault } : {}) }, { signal: controller.signal }));
      const settled = await Promise.race([invoked.then((value) => ({ value })), cut]);
      // A late rejection of an op already cut off must not surface as an unhandled one.
      invoked.catch(() => undefined);
      outcome = settled === 'cut' ? { outcome: 'info', value: null, error: aborted ?? 'aborted' } : asResult(settled.value);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      outcome = isOpFailed(error) ? { outcome: 'fail', value: null, error: message } : { outcome: 'info', value: null, error: aborted ?? message };
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
    outcome.startedAt = startedAt;
    if (outcome.outcome === 'info') {
      this.logs.stderr.push(Buffer.from(`op #${op.seq} ${op.f}: ${outcome.error}\n`));
      await this.drop(); // its connection is in an unknown state: the next op gets a fresh one
    }
    return outcome;
  }

  async kill(reason: string): Promise<void> {
    this.inFlight?.abort(reason);
    await this.drop();
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      await withDeadline(Promise.resolve().then(() => client.close()), this.spec.startTimeoutMs, `close() did not finish within ${this.spec.startTimeoutMs} ms; abandoned`);
    } catch (error) {
      // A connection that will not close cleanly is dropped all the same; the log says so.
      this.logs.stderr.push(Buffer.from(`closing the connection failed: ${(error as Error).message}\n`));
    }
  }

  async finish(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) {
      try {
        await withDeadline(Promise.resolve().then(() => client.close()), this.spec.startTimeoutMs, `close() did not finish within ${this.spec.startTimeoutMs} ms`);
      } catch (error) {
        this.health.exit = 'crashed';
        this.health.error = (error as Error).message;
        return;
      }
    }
    if (this.health.exit === 'not-run' && this.health.spawned) this.health.exit = 'ok';
  }
}

/** What invoke resolved with, as a history value: undefined is null; a value JSON cannot hold fails the op. */
function asResult(value: unknown): OpOutcome {
  if (value === undefined) return { outcome: 'ok', value: null };
  try {
    return { outcome: 'ok', value: JSON.parse(JSON.stringify(value)) as Json };
  } catch (error) {
    return { outcome: 'info', value: null, error: `invoke resolved with a value JSON cannot hold (${(error as Error).message})` };
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
