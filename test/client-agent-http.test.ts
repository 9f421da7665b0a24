// A client agent over a real connection (undici, to a node:http counter in this test): acknowledged
// increments, a refusal as fail, a request the server never answers cut off at the deadline through the
// AbortSignal, the connection replaced, and every connection closed when the agent finishes.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AgentLog } from '../lib/agents/agent-log.js';
import { ClientAgent } from '../lib/agents/client-agent.js';
import { loadClientModule } from '../lib/agents/client-module.js';

const CLIENT = fileURLToPath(new URL('./fixtures/http-counter-client.ts', import.meta.url));
// Far above a local request even on a loaded machine, so only the hung request passes it.
const OP_TIMEOUT_MS = 2000;

async function counterServer() {
  let value = 0;
  const held: ServerResponse[] = [];
  const ports: number[] = []; // the client's port per request: which connection it came on
  const server = createServer((req, res) => {
    ports.push(req.socket.remotePort as number);
    if (req.url === '/hang') return void held.push(res); // never answered: only the client's deadline ends it
    if (req.url === '/refuse') return void res.writeHead(409).end('busy');
    if (req.method === 'POST' && req.url === '/incr') value += 1;
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ value }));
  });
  const live = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    live.add(socket);
    socket.on('close', () => live.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /**
   * Resolves once the client has ended every connection, then stops the server; rejects if one is still
   * open after `withinMs` (well inside the server's 5 s keep-alive, so only the client can have closed it).
   */
  const closed = async (withinMs: number) => {
    let late: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>(
      (_, reject) =>
        (late = setTimeout(
          () =>
            reject(new Error(`${live.size} client connection(s) still open ${withinMs} ms after the agent finished`)),
          withinMs,
        )),
    );
    try {
      await Promise.race([Promise.all([...live].map((socket) => once(socket, 'close'))), deadline]);
    } finally {
      clearTimeout(late);
      server.close();
    }
  };
  return { origin, ports, closed, value: () => value };
}

describe('client agent over HTTP', () => {
  it('acknowledges increments, fails a refusal, cuts a hung request at the deadline and reconnects, closes at the end', async () => {
    const server = await counterServer();
    const discard = { push: () => undefined } as unknown as AgentLog;
    const ctx = {
      workspace: '/nowhere',
      runDir: '/nowhere',
      seed: 1,
      faults: [],
      params: { origin: server.origin },
      agent: 0,
    };
    const agent = new ClientAgent(
      {
        agent: 0,
        modulePath: CLIENT,
        ctx,
        opTimeoutMs: OP_TIMEOUT_MS,
        startTimeoutMs: 1_000,
        logs: { stdout: discard, stderr: discard },
      },
      () => loadClientModule(CLIENT),
    );
    await agent.prepare();
    const results = [];
    for (const [seq, f] of ['incr', 'incr', 'refuse', 'hang', 'incr', 'read'].entries())
      results.push(await agent.run({ seq, f, value: null, delayMs: 0 }));
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'fail', 'info', 'ok', 'ok']);
    expect(results.map((r) => r.value)).toEqual([{ value: 1 }, { value: 2 }, null, null, { value: 3 }, { value: 3 }]);
    expect(results[2]?.error).toBe('GET /refuse: HTTP 409 busy');
    expect(results[3]?.error).toBe(`deadline of ${OP_TIMEOUT_MS} ms exceeded; connection closed and reopened`);
    await agent.finish();
    expect(agent.health).toMatchObject({ exit: 'ok', restarts: 1, processes: 2 });
    await server.closed(4_000);
    // One connection up to the hung request, a fresh one after it.
    const [first, , , , after] = server.ports;
    expect(server.ports).toEqual([first, first, first, first, after, after]);
    expect(after).not.toBe(first);
    expect(server.value()).toBe(3);
  });
});
