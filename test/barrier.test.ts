// The barrier, in-process with real worker threads, and end to end with real agent processes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Barrier } from '../dist/lib/pool/barrier.js';
import { FIXTURES, onlyRunDir, readSummary, stampede, tempDir } from './helpers.js';

describe('barrier', () => {
  it('releases no thread before every thread has arrived', async () => {
    const barrier = new Barrier();
    const workers = [0, 60, 120, 240].map(
      (workMs) => new Worker(join(FIXTURES, 'barrier-thread.mjs'), { workerData: { barrier: barrier.buffer, workMs } }),
    );
    const reports = workers.map(
      (w) =>
        new Promise<{ arrivedAt: number; releasedAt: number; state: string }>((resolve) => w.once('message', resolve)),
    );
    expect(await barrier.allArrived(4, 30_000)).toBe(true);
    barrier.open();
    const got = await Promise.all(reports);
    await Promise.all(workers.map((w) => w.terminate()));
    const lastArrival = Math.max(...got.map((r) => r.arrivedAt));
    for (const r of got) {
      expect(r.state).toBe('open');
      expect(r.releasedAt).toBeGreaterThanOrEqual(lastArrival);
    }
  });

  it('reports an abort to waiting threads and to the main thread', async () => {
    const barrier = new Barrier();
    const waiting = barrier.passed();
    barrier.abort();
    expect(await waiting).toBe('aborted');
    expect(await barrier.allArrived(3, 30_000)).toBe(false);
  });

  it('holds real agents until the slowest is ready, and records start skew', async () => {
    const results = tempDir('barrier');
    const run = await stampede(['run', join(FIXTURES, 'barrier-scenario.ts'), '--seed', '1', '--results', results]);
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    const dir = onlyRunDir(results);
    // The agents' own clocks: every first op arrived after the last agent said ready.
    const times = [0, 1, 2, 3, 4, 5].map(
      (a) =>
        JSON.parse(readFileSync(join(dir, 'workspace', `times-${a}.json`), 'utf8')) as {
          readyAt: number;
          firstOpAt: number;
        },
    );
    const lastReady = Math.max(...times.map((t) => t.readyAt));
    for (const t of times) expect(t.firstOpAt).toBeGreaterThanOrEqual(lastReady);
    // Ready times really were staggered (300 ms apart from each agent's own start, 1500 ms in all), so the
    // test could have caught an early start; the bound leaves room for the agents' own starts to spread.
    expect(lastReady - Math.min(...times.map((t) => t.readyAt))).toBeGreaterThanOrEqual(600);
    // The harness's own record agrees, and start skew is measured.
    const summary = readSummary(dir);
    expect(summary.startSkewMs).toEqual(expect.any(Number));
    expect(summary.startSkewMs).toBeGreaterThanOrEqual(0);
    const health = JSON.parse(readFileSync(join(dir, 'health.json'), 'utf8')) as {
      arrivedAt: number;
      firstInvokeAt: number;
    }[];
    expect(health).toHaveLength(6);
    const lastArrival = Math.max(...health.map((h) => h.arrivedAt));
    for (const h of health) expect(h.firstInvokeAt).toBeGreaterThanOrEqual(lastArrival);
  });

  // Linux autogroup makes each session a CPU scheduling group: agents in sessions of their own competed with
  // the harness like other users' terminals. Through the native spawner they get only a group of their own.
  it.skipIf(process.platform !== 'linux')(
    'session agents lead process groups of their own: in the harness session through the native spawner, in sessions of their own with --spawner node',
    async () => {
      const ownStat = readFileSync('/proc/self/stat', 'utf8');
      const ownSession = Number(ownStat.slice(ownStat.lastIndexOf(')') + 2).split(' ')[3]);
      for (const spawner of ['native', 'node']) {
        const results = tempDir(`barrier-groups-${spawner}`);
        const run = await stampede([
          'run',
          join(FIXTURES, 'barrier-scenario.ts'),
          '--seed',
          '1',
          '--spawner',
          spawner,
          '--results',
          results,
        ]);
        expect(run.exitCode, run.stderr + run.stdout).toBe(0);
        const dir = onlyRunDir(results);
        for (const a of [0, 1, 2, 3, 4, 5]) {
          const { pid, group } = JSON.parse(readFileSync(join(dir, 'workspace', `times-${a}.json`), 'utf8')) as {
            pid: number;
            group: { pgrp: number; session: number };
          };
          expect(group.pgrp, `agent ${a} on ${spawner}`).toBe(pid);
          expect(group.session, `agent ${a} on ${spawner}`).toBe(spawner === 'native' ? ownSession : pid);
        }
      }
    },
  );
});
