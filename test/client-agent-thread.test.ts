// A TypeScript client module loaded inside real worker threads (a bare Worker and a Piscina pool, as the
// harness uses): imported once per thread, one connection per agent, outcomes mapped as in this thread.
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { describe, expect, it } from 'vitest';
import type { drive, ThreadJob } from './fixtures/client-thread.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ENTRY = fixture('client-thread.mjs');
const JOB: ThreadJob = { modulePath: fixture('probe-client.ts'), agents: 3, ops: ['ok', 'fail', 'unknown', 'ok'] };
type Result = Awaited<ReturnType<typeof drive>>;

function expectDriven(result: Result): void {
  expect(result.evaluations).toBe(1);
  expect(result.outcomes).toHaveLength(JOB.agents);
  result.outcomes.forEach((outcomes, agent) => {
    expect(outcomes.map((o) => o.outcome)).toEqual(['ok', 'fail', 'info', 'ok']);
    expect(outcomes[0]?.value).toEqual({ echo: { seq: 0 }, agent });
    expect(outcomes[1]?.error).toBe('refused on purpose');
  });
  for (const health of result.health)
    expect(health).toMatchObject({ spawned: true, exit: 'ok', processes: 2, restarts: 1 });
}

describe('client modules in worker threads', () => {
  it('a bare worker_threads Worker loads a .ts client through tsx and drives it', async () => {
    const worker = new Worker(ENTRY, { workerData: { job: JOB } });
    const [result] = (await once(worker, 'message')) as [Result];
    await once(worker, 'exit');
    expectDriven(result);
  });

  it('a Piscina worker does the same, twice in one thread without importing the module again', async () => {
    const pool = new Piscina({ filename: ENTRY, minThreads: 1, maxThreads: 1 });
    try {
      const first = (await pool.run(JOB)) as Result;
      expectDriven(first);
      const second = (await pool.run(JOB)) as Result;
      expect(second.evaluations).toBe(1);
    } finally {
      await pool.destroy();
    }
  });
});
