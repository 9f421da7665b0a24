// Readiness checks on real sockets and a real probe process: each says ready once its condition holds,
// and a deadline or a gone service is an error that says what it was waiting for.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitReady } from '../lib/service/ready.js';
import { tempDir } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function listen(where: number | string): Promise<Server> {
  const server = createServer((socket) => socket.end());
  servers.push(server);
  return new Promise((resolve) =>
    typeof where === 'number'
      ? server.listen(where, '127.0.0.1', () => resolve(server))
      : server.listen(where, () => resolve(server)),
  );
}

const never = { sawLine: () => false, stopped: () => null };

describe('readiness', () => {
  it('a TCP port that accepts', async () => {
    const server = await listen(0);
    const port = (server.address() as { port: number }).port;
    expect(await waitReady({ port }, { ...never, timeoutMs: 2000 })).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(process.platform === 'win32')('a unix socket that accepts', async () => {
    const socket = join(tempDir('ready'), 'svc.sock');
    await listen(socket);
    expect(await waitReady({ socket }, { ...never, timeoutMs: 2000 })).toBeGreaterThanOrEqual(0);
  });

  it('a line of output, and a probe command that exits 0', async () => {
    expect(
      await waitReady({ line: /ready/ }, { sawLine: () => true, stopped: () => null, timeoutMs: 2000 }),
    ).toBeGreaterThanOrEqual(0);
    expect(
      await waitReady(
        { probe: { command: process.execPath, args: ['-e', 'process.exit(0)'] } },
        { ...never, timeoutMs: 5000 },
      ),
    ).toBeGreaterThanOrEqual(0);
  });

  it('says what it waited for when the deadline passes, and why when the service is gone', async () => {
    await expect(
      waitReady(
        { probe: { command: process.execPath, args: ['-e', 'process.exit(1)'] } },
        { ...never, timeoutMs: 300 },
      ),
    ).rejects.toThrow(/not ready within 300 ms \(waiting for `.+ -e process.exit\(1\)` to exit 0\)/);
    await expect(
      waitReady(
        { port: 9 },
        { sawLine: () => false, stopped: () => 'it exited with code 3 before it was ready', timeoutMs: 5000 },
      ),
    ).rejects.toThrow('it exited with code 3 before it was ready');
  });
});
