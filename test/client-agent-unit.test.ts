// ClientAgent on its own, in this thread, against probe-client.ts (no server): how each way an invoke
// ends becomes ok, fail or info; the deadline and a kill cut an op off whatever the client does, and the
// connection is closed and reopened; open and close have deadlines too; the module is imported once.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AgentLog } from '../lib/agents/agent-log.js';
import { ClientAgent } from '../lib/agents/client-agent.js';
import { loadClientModule } from '../lib/agents/client-module.js';
import type { PlannedOp } from '../lib/types.js';
import type { Probe } from './fixtures/probe-client.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const PROBE_CLIENT = fixture('probe-client.ts');
const OP_TIMEOUT_MS = 150;
const START_TIMEOUT_MS = 150;

function makeAgent(probe: Probe, modulePath = PROBE_CLIENT) {
  const notes: string[] = [];
  // Only `push` is used by a client agent; the notes are what it would write to its stderr log.
  const log = (into: string[]) => ({ push: (chunk: Buffer) => into.push(chunk.toString()) }) as unknown as AgentLog;
  const ctx = { workspace: '/nowhere', runDir: '/nowhere', seed: 1, faults: [], params: {}, agent: 0, probe };
  const agent = new ClientAgent(
    {
      agent: 0,
      modulePath,
      ctx,
      opTimeoutMs: OP_TIMEOUT_MS,
      startTimeoutMs: START_TIMEOUT_MS,
      logs: { stdout: log([]), stderr: log(notes) },
    },
    () => loadClientModule(modulePath),
  );
  return { agent, notes };
}

/** Rejects after `ms`: bounds a wait for something the agent should do by itself. */
const failAfter = (ms: number, message: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
const newProbe = (extra: Partial<Probe> = {}): Probe => ({ opens: 0, closes: 0, aborts: [], ...extra });
let seq = 0;
const op = (f: string): PlannedOp => ({ seq: seq++, f, value: { n: seq }, delayMs: 0 });

describe('client agent', () => {
  it('maps a value to ok, OpFailed (from another copy of the module) to fail, any other throw to info, and reconnects after info', async () => {
    const probe = newProbe();
    const { agent } = makeAgent(probe);
    await agent.prepare();
    expect(agent.health).toMatchObject({ spawned: true, processes: 1 });
    const ok = await agent.run(op('ok'));
    expect(ok).toMatchObject({ outcome: 'ok', value: { echo: { n: seq }, agent: 0 } });
    expect(typeof ok.startedAt).toBe('number');
    expect(await agent.run(op('nothing'))).toMatchObject({ outcome: 'ok', value: null });
    expect(await agent.run(op('fail'))).toMatchObject({ outcome: 'fail', error: 'refused on purpose' });
    expect(probe).toMatchObject({ opens: 1, closes: 0 });
    expect(await agent.run(op('unknown'))).toMatchObject({ outcome: 'info', error: 'connection reset on purpose' });
    expect(probe).toMatchObject({ opens: 1, closes: 1 });
    expect((await agent.run(op('ok'))).outcome).toBe('ok');
    expect(probe).toMatchObject({ opens: 2, closes: 1 });
    await agent.finish();
    expect(probe).toMatchObject({ opens: 2, closes: 2 });
    expect(agent.health).toMatchObject({ exit: 'ok', restarts: 1, processes: 2 });
  });

  it('records a value JSON cannot hold as info (the op may have happened), saying why', async () => {
    const { agent } = makeAgent(newProbe());
    await agent.prepare();
    const outcome = await agent.run(op('bigint'));
    expect(outcome.outcome).toBe('info');
    expect(outcome.error).toMatch(/^invoke resolved with a value JSON cannot hold \(.*BigInt.*\)$/);
  });

  it('ends an invoke that ignores its signal at the deadline, drops the connection and reopens it', async () => {
    const probe = newProbe();
    const { agent, notes } = makeAgent(probe);
    await agent.prepare();
    const outcome = await agent.run(op('stuck'));
    expect(outcome).toMatchObject({
      outcome: 'info',
      error: `deadline of ${OP_TIMEOUT_MS} ms exceeded; connection closed and reopened`,
    });
    expect(notes.join('')).toContain(`stuck: deadline of ${OP_TIMEOUT_MS} ms exceeded`);
    expect(probe.closes).toBe(1);
    expect((await agent.run(op('ok'))).outcome).toBe('ok');
    expect(agent.health.restarts).toBe(1);
  });

  it('aborts the signal of an invoke that honours it, with the deadline as the reason', async () => {
    const probe = newProbe();
    const { agent } = makeAgent(probe);
    await agent.prepare();
    expect((await agent.run(op('abortable'))).outcome).toBe('info');
    expect(probe.aborts).toHaveLength(1);
    expect((probe.aborts[0] as Error).message).toBe(
      `deadline of ${OP_TIMEOUT_MS} ms exceeded; connection closed and reopened`,
    );
  });

  it('kill mid-op ends the op as info with the reason and drops the connection; the next op reconnects', async () => {
    let started!: () => void;
    const invoked = new Promise<void>((resolve) => (started = resolve));
    const probe = newProbe({ invoked: (f) => f === 'abortable' && started() });
    const { agent } = makeAgent(probe);
    await agent.prepare();
    const running = agent.run(op('abortable'));
    await invoked;
    await agent.kill('nemesis kill');
    expect(await running).toMatchObject({ outcome: 'info', error: 'nemesis kill' });
    expect((probe.aborts[0] as Error).message).toBe('nemesis kill');
    expect(probe.closes).toBe(1);
    expect((await agent.run(op('ok'))).outcome).toBe('ok');
    expect(agent.health.restarts).toBe(1);
  });

  it('abandons a close that hangs, with a note, and a finish whose close hangs is a crash', async () => {
    const probe = newProbe({ closeHangs: true });
    const { agent, notes } = makeAgent(probe);
    await agent.prepare();
    expect((await agent.run(op('unknown'))).outcome).toBe('info');
    expect(notes.join('')).toContain(
      `closing the connection failed: close() did not finish within ${START_TIMEOUT_MS} ms; abandoned`,
    );
    expect((await agent.run(op('ok'))).outcome).toBe('ok');
    await agent.finish();
    expect(agent.health).toMatchObject({
      exit: 'crashed',
      error: `close() did not finish within ${START_TIMEOUT_MS} ms`,
    });
  });

  it('an open that throws or hangs fails prepare naming the agent, as spawn-failed', async () => {
    const failing = makeAgent(newProbe({ openFails: 'cannot reach the store' })).agent;
    await expect(failing.prepare()).rejects.toThrow(
      `agent a0: open() of ${PROBE_CLIENT} failed: cannot reach the store`,
    );
    expect(failing.health).toMatchObject({ exit: 'spawn-failed', spawned: false });
    const hanging = makeAgent(newProbe({ openHangs: true })).agent;
    await expect(hanging.prepare()).rejects.toThrow(
      `agent a0: open() of ${PROBE_CLIENT} did not finish within ${START_TIMEOUT_MS} ms`,
    );
  });

  it('closes a connection that opens after open() was given up on, instead of leaking it', async () => {
    let closed!: () => void;
    const closing = new Promise<void>((resolve) => (closed = resolve));
    const probe = newProbe({ openLateMs: START_TIMEOUT_MS * 2, closed });
    const { agent } = makeAgent(probe);
    await expect(agent.prepare()).rejects.toThrow(
      `open() of ${PROBE_CLIENT} did not finish within ${START_TIMEOUT_MS} ms`,
    );
    await Promise.race([closing, failAfter(2_000, 'the connection that opened late was never closed')]);
    expect(probe).toMatchObject({ opens: 1, closes: 1 });
  });

  it('a kill while reconnecting drops the new connection; the op was never sent (fail)', async () => {
    let release!: () => void;
    let opening!: () => void;
    const reopening = new Promise<void>((resolve) => (opening = resolve));
    const probe = newProbe();
    const { agent } = makeAgent(probe);
    await agent.prepare();
    expect((await agent.run(op('unknown'))).outcome).toBe('info');
    Object.assign(probe, { openGate: new Promise<void>((resolve) => (release = resolve)), opening });
    const running = agent.run(op('ok'));
    await reopening;
    const killed = agent.kill('nemesis kill');
    release();
    await killed;
    expect(await running).toMatchObject({ outcome: 'fail', error: 'not delivered: nemesis kill' });
    expect(probe).toMatchObject({ opens: 2, closes: 2 });
    delete probe.openGate;
    expect((await agent.run(op('ok'))).outcome).toBe('ok');
  });

  it('a module without `open` is refused naming its path and what it exports; a default export with `open` is accepted', async () => {
    const wrong = fixture('not-a-client.mjs');
    await expect(makeAgent(newProbe(), wrong).agent.prepare()).rejects.toThrow(
      `client module ${wrong} must export \`open(ctx)\` returning {invoke(op, {signal}), close()} (found exports: connect, version)`,
    );
    const missing = fixture('no-such-client.ts');
    await expect(makeAgent(newProbe(), missing).agent.prepare()).rejects.toThrow(
      `agent a0: could not load client module ${missing}`,
    );
    const viaDefault = makeAgent(newProbe(), fixture('default-client.mjs')).agent;
    await viaDefault.prepare();
    expect(await viaDefault.run(op('read'))).toMatchObject({ outcome: 'ok', value: { f: 'read', agent: 0 } });
  });

  it('imports a module once per thread however many agents open it', async () => {
    const agents = Array.from({ length: 5 }, () => makeAgent(newProbe()).agent);
    await Promise.all(agents.map((agent) => agent.prepare()));
    expect(loadClientModule(PROBE_CLIENT)).toBe(loadClientModule(PROBE_CLIENT));
    // Module state is per thread: every agent in this file shares one evaluation of probe-client.ts.
    expect(
      (globalThis as unknown as Record<symbol, number>)[Symbol.for('stampede.test.probe-client.evaluations')],
    ).toBe(1);
  });
});
