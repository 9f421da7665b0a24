// Same seed -> byte-identical plan; a different seed or different options -> a different plan.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, planRun, serializePlan, parseSeed, type Plan } from '../dist/lib/index.js';
import { writePlanFile } from '../dist/lib/plan/plan-file.js';
import { packOps, PackedOps } from '../dist/lib/pool/packed-ops.js';
import { tempDir } from './helpers.js';

async function plan(name: string, seed: number, extra: { agents?: number; ops?: number; faults?: string[] } = {}) {
  const { scenario, source } = await loadScenario(name);
  return planRun({ scenario, scenarioSource: source, seed, threads: 2, ...extra });
}

describe('plan', () => {
  it('is byte-identical for the same seed, scenario and options', async () => {
    for (const name of ['concurrent-creates', 'batch-ops', 'mixed-ops', 'spawn-per-op']) {
      const a = serializePlan(await plan(name, 12345));
      const b = serializePlan(await plan(name, 12345));
      expect(a).toBe(b);
    }
  });

  it('reaches each worker thread op for op as planned, packed as JSON lines', async () => {
    // Batch values with titles holding newlines, quotes and non-ASCII: JSON escapes the newlines, so one
    // line is one op, whatever the op carries.
    for (const name of ['mixed-ops', 'batch-ops', 'spawn-per-op']) {
      const p = await plan(name, 99, { ops: 30 });
      const packed = packOps(p.agents);
      p.agents.forEach((agent, i) => {
        const ops = new PackedOps(packed.bytes, packed.ranges[i]!);
        expect(ops.count).toBe(agent.ops.length);
        expect(ops.first()).toEqual(agent.ops[0]);
        expect([...ops]).toEqual(agent.ops);
      });
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
    const op = p.agents[0]?.ops[0];
    expect(op?.argv).toEqual(['--json', 'create', '--', (op?.value as { title: string }).title]);
  });

  it('gives the first op of every agent no jitter, so start skew is measurable', async () => {
    const p = await plan('mixed-ops', 3);
    for (const agent of p.agents) expect(agent.ops[0]?.delayMs).toBe(0);
  });

  it('is written to plan.json op by op, byte for byte what serializePlan gives', async () => {
    const dir = tempDir('plan-file');
    try {
      const file = join(dir, 'plan.json');
      const exec = await plan('spawn-per-op', 5, { faults: ['kill', 'crash-before-rename', 'flood'] });
      const session = await plan('mixed-ops', 8, { faults: ['hang'] });
      // Edge values JSON.stringify treats specially: empty arrays and objects, undefined members, nesting.
      const odd = { ...session, preload: [], kills: [], code: { version: '1', commit: null }, extra: { a: undefined, b: [[], {}, [1, { c: 'x\ny' }], undefined] } } as unknown as Plan;
      for (const p of [exec, session, odd]) {
        writePlanFile(file, p);
        expect(readFileSync(file, 'utf8')).toBe(serializePlan(p));
      }
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
    await expect(planRun({ scenario, seed: 1, threads: 1 })).rejects.toThrow(/NUL byte.*session agent/);
  });
});
