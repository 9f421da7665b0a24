// Same seed -> byte-identical plan; a different seed or different options -> a different plan.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, planRun, serializePlan, parseSeed, type Plan } from '../dist/lib/index.js';
import { planLazily } from '../dist/lib/plan/plan.js';
import { writePlanFile } from '../dist/lib/plan/plan-file.js';
import { PlanFileOps } from '../dist/lib/plan/plan-file-ops.js';
import { tempDir } from './helpers.js';

async function plan(name: string, seed: number, extra: { agents?: number; ops?: number; faults?: string[] } = {}) {
  const { scenario, source } = await loadScenario(name);
  return planRun({ scenario, scenarioSource: source, seed, threads: 2, ...extra });
}

/** A session plan whose titles hold what a byte scanner could trip on, one op far larger than a read chunk. */
async function oddTitles(): Promise<Plan> {
  const { defineScenario } = await import('../dist/lib/index.js');
  const { trackerTarget } = await import('../dist/stress/tracker/target.js');
  const { harnessHealth } = await import('../dist/lib/index.js');
  const titles = ['{"a": [1, {', '}]', 'back\\slash\\', 'quote " } ] {', '日本語 🚀 {[', 'x'.repeat(40_000) + '}'];
  const scenario = defineScenario({
    name: 'odd-titles',
    description: 'titles full of brackets, escapes and one very long one',
    target: trackerTarget,
    agents: { count: 2, kind: 'session' },
    workload: {
      opsPerAgent: 12,
      generate: ({ seq }) => ({
        f: 'create',
        value: { title: titles[seq % titles.length]!, nested: { list: [seq, [seq]] } },
      }),
    },
    checks: [harnessHealth],
  });
  return planRun({ scenario, seed: 1, threads: 1 });
}

describe('plan', () => {
  it('is byte-identical for the same seed, scenario and options', async () => {
    for (const name of ['concurrent-creates', 'batch-ops', 'mixed-ops', 'spawn-per-op']) {
      const a = serializePlan(await plan(name, 12345));
      const b = serializePlan(await plan(name, 12345));
      expect(a).toBe(b);
    }
  });

  it('reaches each worker thread op for op as planned, read back from plan.json', async () => {
    // Batch values with titles holding newlines, quotes, brackets and non-ASCII, and ops larger than the
    // reader's buffer: the reader splits ops by brackets outside strings, whatever the op carries.
    const dir = tempDir('plan-ops');
    try {
      const file = join(dir, 'plan.json');
      for (const p of [
        await plan('mixed-ops', 99, { ops: 300 }),
        await plan('batch-ops', 99, { ops: 30 }),
        await plan('spawn-per-op', 99, { ops: 30 }),
        await oddTitles(),
      ]) {
        const onDisk = await writePlanFile(file, p);
        onDisk.agents.forEach((agent, i) => {
          const planned = [...p.agents[i]!.ops];
          // What a worker thread gets: the range alone, as plain data.
          const ops = new PlanFileOps(structuredClone(agent.ops.range));
          expect(ops.length).toBe(planned.length);
          expect(ops.first()).toEqual(planned[0]);
          expect([...ops]).toEqual(planned);
          expect([...ops]).toEqual(planned); // every pass reads them afresh
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which agent and what to do when plan.json changed under a run', async () => {
    const dir = tempDir('plan-ops-cut');
    try {
      const file = join(dir, 'plan.json');
      const onDisk = await writePlanFile(file, await plan('mixed-ops', 4, { ops: 50 }));
      const last = onDisk.agents.at(-1)!;
      writeFileSync(file, readFileSync(file).subarray(0, last.ops.range.start + 200));
      expect(() => [...last.ops]).toThrow(
        new RegExp(`agent a${last.id}'s ops .*file ends at byte .*replay the run from its seed`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('differs for a different seed', async () => {
    const a = await plan('mixed-ops', 1);
    const b = await plan('mixed-ops', 2);
    expect(serializePlan(a)).not.toBe(serializePlan(b));
    expect(JSON.stringify(a.agents.map((x) => x.ops))).not.toBe(JSON.stringify(b.agents.map((x) => x.ops)));
  });

  it('differs when the options differ', async () => {
    const base = serializePlan(await plan('mixed-ops', 9));
    expect(serializePlan(await plan('mixed-ops', 9, { ops: 20 }))).not.toBe(base);
    expect(serializePlan(await plan('mixed-ops', 9, { agents: 3 }))).not.toBe(base);
  });

  it("keeps an agent's ops when other agents are dropped (what shrink relies on)", async () => {
    const eight = await plan('mixed-ops', 77, { agents: 8 });
    const two = await plan('mixed-ops', 77, { agents: 2 });
    expect(two.agents.map((a) => a.ops)).toEqual(eight.agents.slice(0, 2).map((a) => a.ops));
  });

  it('records exec argv at plan time, as arrays (no shell string anywhere)', async () => {
    const p = await plan('spawn-per-op', 5);
    const op = [...(p.agents[0]?.ops ?? [])][0];
    expect(op?.argv).toEqual(['--json', 'create', '--', (op?.value as { title: string }).title]);
  });

  it('gives the first op of every agent no jitter, so start skew is measurable', async () => {
    const p = await plan('mixed-ops', 3);
    for (const agent of p.agents) expect([...agent.ops][0]?.delayMs).toBe(0);
  });

  it('is written to plan.json op by op, byte for byte what serializePlan gives', async () => {
    const dir = tempDir('plan-file');
    try {
      const file = join(dir, 'plan.json');
      const exec = await plan('spawn-per-op', 5, { faults: ['kill', 'crash-before-rename', 'flood'] });
      const session = await plan('mixed-ops', 8, { faults: ['hang'] });
      // Edge values JSON.stringify treats specially: empty arrays and objects, undefined members, nesting.
      const odd = {
        ...session,
        preloaded: [],
        kills: [],
        code: { version: '1', commit: null },
        extra: { a: undefined, b: [[], {}, [1, { c: 'x\ny' }], undefined] },
      } as unknown as Plan;
      for (const p of [exec, session, odd]) {
        await writePlanFile(file, p);
        expect(readFileSync(file, 'utf8')).toBe(serializePlan(p));
      }
      // A run writes a lazy plan (ops generated as they are written): the same bytes again.
      const { scenario, source } = await loadScenario('mixed-ops');
      const lazy = planLazily({
        scenario,
        scenarioSource: source,
        seed: 8,
        options: session.options,
        code: session.code,
        preloaded: session.preloaded,
        workspace: '',
        runDir: '',
      });
      await writePlanFile(file, lazy);
      expect(readFileSync(file, 'utf8')).toBe(serializePlan(session));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses seeds strictly', () => {
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed('0xff')).toBe(255);
    expect(() => parseSeed('-1')).toThrow(/seed must be/);
    expect(() => parseSeed('4294967296')).toThrow(/seed must be/);
    expect(() => parseSeed('12abc')).toThrow(/seed must be/);
  });
});

describe('plan-time checks', () => {
  it('refuses an exec argv with a NUL byte before anything runs', async () => {
    const { defineScenario } = await import('../dist/lib/index.js');
    const { trackerTarget } = await import('../dist/stress/tracker/target.js');
    const { harnessHealth } = await import('../dist/lib/index.js');
    const scenario = defineScenario({
      name: 'nul-title',
      description: 'a title no argv can carry',
      target: trackerTarget,
      agents: { count: 1, kind: 'exec' },
      workload: { opsPerAgent: 1, generate: () => ({ f: 'create', value: { title: 'a\u0000b' } }) },
      checks: [harnessHealth],
    });
    await expect(planRun({ scenario, seed: 1, threads: 1 })).rejects.toThrow(/NUL byte.*session or client agent/);
    // A run generates its ops as it writes plan.json: the same refusal, and no run folder left behind.
    const { run } = await import('../dist/lib/index.js');
    const results = tempDir('nul-run');
    try {
      await expect(run({ scenario, seed: 1, threads: 1, resultsDir: results })).rejects.toThrow(
        /cannot plan nul-title with seed 1: agent a0 op #0 create: .*NUL byte/,
      );
      expect(readdirSync(results)).toEqual([]);
    } finally {
      rmSync(results, { recursive: true, force: true });
    }
  });
});
