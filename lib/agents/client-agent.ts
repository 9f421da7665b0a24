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
  /** The last kill's reason, and how many kills so far: a kill while a connection is being opened drops it. */
  private killed: { reason: string; count: number } = { reason: '', count: 0 };

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
      throw new Error(`agent ${this.name}: ${this.health.error}`, { cause: error });
    }
  }

  private async open(): Promise<void> {
    const module = await this.load();
    const path = this.spec.modulePath;
    this.health.processes += 1;
    const opening = Promise.resolve()
      .then(() => module.open(this.spec.ctx))
      .catch((error: unknown) => {
        throw new Error(`open() of ${path} failed: ${messageOf(error)}`);
      });
    const opened = await within(opening, this.spec.startTimeoutMs);
    if (opened === LATE) {
      // Given up on, it may still connect: that connection is closed when it comes, not leaked.
      opening.then(
        (late) => this.closeLate(late),
        (error: unknown) => this.note(`${messageOf(error)} (after its deadline)`),
      );
      throw new Error(`open() of ${path} did not finish within ${this.spec.startTimeoutMs} ms`);
    }
    const client = opened.value;
    if (!client || typeof client.invoke !== 'function' || typeof client.close !== 'function')
      throw new Error(`open() of ${path} must return {invoke(op, {signal}), close()}`);
    this.client = client;
    this.health.spawned = true;
  }

  private closeLate(client: Client | undefined): void {
    Promise.resolve()
      .then(() => client?.close?.())
      .then(
        () => this.note('a connection that opened after its deadline was closed'),
        (error: unknown) =>
          this.note(`closing a connection that opened after its deadline failed: ${messageOf(error)}`),
      );
  }

  private note(line: string): void {
    this.logs.stderr.push(Buffer.from(`${line}\n`));
  }

  async run(op: PlannedOp): Promise<OpOutcome> {
    if (!this.client) {
      this.health.restarts += 1;
      const kills = this.killed.count;
      try {
        await this.open();
      } catch (error) {
        // The service may be down for a moment (a restart): this op did not happen; the next one tries again.
        const outcome: OpOutcome = {
          outcome: 'fail',
          value: null,
          error: `not delivered: could not reconnect: ${(error as Error).message}`,
        };
        this.note(`op #${op.seq} ${op.f}: ${outcome.error}`);
        return outcome;
      }
      if (this.killed.count !== kills) {
        // Killed while connecting: the new connection goes too, and the op was never sent.
        await this.drop();
        return { outcome: 'fail', value: null, error: `not delivered: ${this.killed.reason}` };
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
    const timer = setTimeout(
      () => this.inFlight?.abort(`deadline of ${this.spec.opTimeoutMs} ms exceeded; connection closed and reopened`),
      this.spec.opTimeoutMs,
    );
    const startedAt = performance.now();
    let outcome: OpOutcome;
    try {
      const invoked = Promise.resolve().then(() =>
        client.invoke(
          { f: op.f, value: op.value, ...(op.fault ? { fault: op.fault } : {}) },
          { signal: controller.signal },
        ),
      );
      const settled = await Promise.race([invoked.then((value) => ({ value })), cut]);
      // A late rejection of an op already cut off must not surface as an unhandled one.
      invoked.catch(() => undefined);
      outcome =
        settled === 'cut' ? { outcome: 'info', value: null, error: aborted ?? 'aborted' } : asResult(settled.value);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      outcome = isOpFailed(error)
        ? { outcome: 'fail', value: null, error: message }
        : { outcome: 'info', value: null, error: aborted ?? message };
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
    outcome.startedAt = startedAt;
    if (outcome.outcome === 'info') {
      this.note(`op #${op.seq} ${op.f}: ${outcome.error}`);
      await this.drop(); // its connection is in an unknown state: the next op gets a fresh one
    }
    return outcome;
  }

  async kill(reason: string): Promise<void> {
    this.killed = { reason, count: this.killed.count + 1 };
    this.inFlight?.abort(reason);
    await this.drop();
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      await withDeadline(
        Promise.resolve().then(() => client.close()),
        this.spec.startTimeoutMs,
        `close() did not finish within ${this.spec.startTimeoutMs} ms; abandoned`,
      );
    } catch (error) {
      // A connection that will not close cleanly is dropped all the same; the log says so.
      this.note(`closing the connection failed: ${(error as Error).message}`);
    }
  }

  async finish(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) {
      try {
        await withDeadline(
          Promise.resolve().then(() => client.close()),
          this.spec.startTimeoutMs,
          `close() did not finish within ${this.spec.startTimeoutMs} ms`,
        );
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
    return {
      outcome: 'info',
      value: null,
      error: `invoke resolved with a value JSON cannot hold (${(error as Error).message})`,
    };
  }
}

const LATE = Symbol('late');

/** The work's value, or LATE when it has not settled within `ms`; a rejection within `ms` is thrown. */
async function within<T>(work: Promise<T>, ms: number): Promise<{ value: T } | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), ms)));
  return Promise.race([work.then((value) => ({ value })), late]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
