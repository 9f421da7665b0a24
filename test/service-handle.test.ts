// startService with real processes (test/fixtures/tcp-service.mjs): each readiness check, each way a
// start fails (with its exit code and last lines), a crash named, stop taking the tree down, restart and
// pause, and no service left when the process that started it is SIGKILLed (its reaper takes it down).
// Waits are on conditions (a line, an event, a pid gone), each bounded; never a sleep.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as tick } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startService, type ServiceHandle } from '../lib/service/service.js';
import type { ServiceSpec } from '../lib/scenario.js';
import { alive, FIXTURES, tempDir } from './helpers.js';

const SERVICE = join(FIXTURES, 'tcp-service.mjs');
const POSIX = process.platform !== 'win32';
const handles: ServiceHandle[] = [];

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

async function start(
  flags: string[],
  ready: ServiceSpec['ready'],
  more: Partial<ServiceSpec> = {},
): Promise<ServiceHandle> {
  const runDir = tempDir('svc');
  const handle = await startService(
    { command: process.execPath, args: [SERVICE, ...flags], ready, ...more },
    {
      runDir,
      name: 'svc',
      env: { ...(process.env as Record<string, string>) },
      cwd: runDir,
      now: () => performance.now(),
    },
  );
  handles.push(handle);
  return handle;
}

/** Dead: no such process, or (Linux) a zombie nobody has reaped yet, which runs nothing. */
function gone(pid: number): boolean {
  if (!alive(pid)) return true;
  if (process.platform !== 'linux') return false;
  return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Polls a condition until it holds; fails, saying what, when it has not within `boundMs`. */
async function until(what: string, holds: () => boolean | Promise<boolean>, boundMs = 10_000): Promise<void> {
  const deadline = performance.now() + boundMs;
  while (!(await holds())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${boundMs} ms`);
    await tick(10);
  }
}

/** One question to the service: its answer ("pong <pid>"). */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('ping\n'));
    socket.setEncoding('utf8');
    socket.once('data', (data: string) => {
      socket.destroy();
      resolve(data.trim());
    });
    socket.once('error', reject);
  });
}

function grandchildOf(handle: ServiceHandle): number {
  const line = handle.health.lastLines.find((l) => l.startsWith('grandchild '));
  if (!line) throw new Error(`no grandchild line in ${handle.health.lastLines.join(' | ')}`);
  return Number(line.split(' ')[1]);
}

describe('startService: readiness', () => {
  it('a TCP port that accepts; its output goes to <runDir>/service/<name>.log', async () => {
    const port = await freePort();
    const handle = await start(['--port', String(port)], { port });
    expect(handle.health).toMatchObject({ started: true, ready: true, exit: 'running', restarts: 0 });
    expect(await ping(port)).toBe(`pong ${handle.pid}`);
    await handle.stop();
    expect(readFileSync(handle.health.logFile, 'utf8')).toContain(`tcp-service pid ${handle.pid} starting`);
    expect(handle.health.logFile).toMatch(/[\\/]service[\\/]svc\.log$/);
  });

  it('a line of its output', async () => {
    const handle = await start(['--ready-line', 'up and running'], { line: /up and running/ });
    expect(handle.health.ready).toBe(true);
    expect(handle.health.lastLines).toContain('up and running');
  });

  it('a probe command that exits 0 (spawned without a shell)', async () => {
    const port = await freePort();
    const probe = `require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
    const handle = await start(['--port', String(port)], { probe: { command: process.execPath, args: ['-e', probe] } });
    expect(await ping(port)).toBe(`pong ${handle.pid}`);
  });

  // Windows has named pipes, not unix sockets at file paths: the socket check is POSIX only.
  it.skipIf(!POSIX)('a unix socket that accepts (skipped on Windows: no unix sockets at file paths)', async () => {
    const socket = join(tempDir('sock'), 's.sock');
    const handle = await start(['--socket', socket], { socket });
    expect(handle.health.ready).toBe(true);
  });

  it('not ready by the deadline: an error saying what it waited for, with its last lines; nothing left', async () => {
    const port = await freePort();
    // Long enough that the service has printed both lines even on a loaded machine; the error must carry them.
    const failure = start(['--never-ready', '--grandchild'], { port }, { readyTimeoutMs: 5000 });
    await expect(failure).rejects.toThrow(
      new RegExp(
        `not ready within 5000 ms \\(waiting for 127\\.0\\.0\\.1:${port} to accept\\); its last lines: tcp-service pid \\d+ starting \\| grandchild \\d+`,
      ),
    );
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    const pids = [...message.matchAll(/(?:pid|grandchild) (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    await until('service and grandchild gone', () => pids.every(gone));
  });

  it('exits before it is ready: an error with its exit code and last lines', async () => {
    const port = await freePort();
    await expect(start(['--exit-now', '7'], { port })).rejects.toThrow(
      /exited with code 7 before it was ready; its last lines: .*giving up before listening/,
    );
  });

  it('a command that does not exist, and a probe that does not: said at once, not at the deadline', async () => {
    await expect(
      startService(
        { command: 'no-such-service-xyz', ready: { port: 9 } },
        { runDir: tempDir('svc'), name: 'svc', env: {}, cwd: tempDir('svc'), now: () => 0 },
      ),
    ).rejects.toThrow(/could not start no-such-service-xyz: .*ENOENT/);
    const started = performance.now();
    await expect(
      start(['--never-ready'], { probe: { command: 'no-such-probe-xyz' } }, { readyTimeoutMs: 60_000 }),
    ).rejects.toThrow(/readiness probe could not be started: .*ENOENT/);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

describe('startService: during and after the run', () => {
  it('a crash mid-run resolves `crashed` with its exit code and last lines', async () => {
    const port = await freePort();
    const handle = await start(['--port', String(port), '--crash-after', '200'], { port });
    const health = await handle.crashed;
    expect(health).toMatchObject({ exit: 'crashed', exitCode: 3, signal: null });
    expect(health.crashedAtMs).toEqual(expect.any(Number));
    expect(health.lastLines).toContain('tcp-service: crashing on purpose');
    expect(health.error).toMatch(/exited with code 3 during the run; its last lines: .*crashing on purpose/);
    await handle.stop(); // never throws for a service that is gone
    expect(handle.health.exit).toBe('crashed');
  });

  it('stop takes down a service that ignores SIGTERM, and its grandchild; stopping twice is fine', async () => {
    const port = await freePort();
    const handle = await start(
      ['--port', String(port), '--grandchild', '--ignore-term'],
      { port },
      { stopTimeoutMs: 300 },
    );
    const pids = [handle.pid, grandchildOf(handle)];
    expect(pids.every(alive)).toBe(true);
    await handle.stop();
    await handle.stop();
    expect(handle.health.exit).toBe('stopped');
    expect(handle.health.lastLines).toContain('tcp-service: ignoring SIGTERM');
    await until('service and grandchild gone', () => pids.every(gone));
  });

  it('restart: the tree killed, a new process, ready again, not a crash', async () => {
    const port = await freePort();
    const handle = await start(['--port', String(port), '--grandchild'], { port });
    const before = [handle.pid, grandchildOf(handle)];
    await handle.restart();
    expect(handle.pid).not.toBe(before[0]);
    expect(await ping(port)).toBe(`pong ${handle.pid}`);
    expect(handle.health).toMatchObject({ restarts: 1, exit: 'running' });
    await until('the first life and its grandchild gone', () => before.every(gone));
    await handle.stop();
    await expect(handle.restart()).rejects.toThrow('is stopped');
  });

  // SIGSTOP/SIGCONT are POSIX; on Windows pause throws (and the planner refuses the fault before a run).
  it.skipIf(!POSIX)('pause: it answers nothing while stopped, then answers', async () => {
    const port = await freePort();
    const handle = await start(['--port', String(port)], { port });
    const state = async (): Promise<string> =>
      (await execa('ps', ['-o', 'stat=', '-p', String(handle.pid)])).stdout.trim();
    const paused = handle.pause(1000);
    await until('the service stopped (ps state T)', async () => (await state()).startsWith('T'));
    let answered = false;
    const answer = ping(port).then((text) => ((answered = true), text));
    await paused;
    // SIGCONT has only just been asked for: no answer can have come while it was stopped.
    expect(answered).toBe(false);
    expect(await answer).toBe(`pong ${handle.pid}`);
    expect(handle.health.pauses).toBe(1);
  });

  it.skipIf(POSIX)('pause on Windows: a clear error', async () => {
    const port = await freePort();
    const handle = await start(['--port', String(port)], { port });
    await expect(handle.pause(10)).rejects.toThrow('Windows');
  });
});

describe('no service left when the process that started it is SIGKILLed', () => {
  // POSIX signals: on Windows the reaper sees the same IPC disconnect and uses taskkill /T /F; untested here.
  it.skipIf(!POSIX).each([
    ['the harness alone', false],
    ['the harness and its whole process group', true],
  ])('%s', async (_, wholeGroup) => {
    const parent = spawn(process.execPath, [join(FIXTURES, 'service-parent.mjs'), tempDir('parent')], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', resolve);
      parent.once('exit', (code) =>
        reject(new Error(`the stand-in harness exited (${code}) before its service was ready: ${stderr}`)),
      );
    });
    const { pid, grandchild } = JSON.parse(line) as { pid: number; grandchild: number };
    expect([pid, grandchild].every(alive)).toBe(true);
    process.kill(wholeGroup ? -(parent.pid as number) : (parent.pid as number), 'SIGKILL');
    await exited;
    await until('service and grandchild gone', () => [pid, grandchild].every(gone));
  });
});

describe('freePort', () => {
  it('a loopback port nobody listens on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(ping(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
