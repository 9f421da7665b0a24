// A synthetic run folder of any size (plan.json, history.jsonl, state.json, summary.json), written
// directly rather than by running agents, so the reports can be tried at 100,000 ops in seconds.
// Creates only; every `lostEvery`-th acknowledged item is left out of the final state.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Summary } from '../../lib/run/summary.js';
import type { HistoryEvent, Plan, PlannedOp } from '../../lib/types.js';
import type { StoreSnapshot } from '../../stress/tracker/store.js';

/** The scenario `stampede report` loads to re-check a synthetic run. */
export const SYNTHETIC_SCENARIO = fileURLToPath(new URL('../fixtures/synthetic-scenario.ts', import.meta.url));

export interface SyntheticOptions {
  agents: number;
  opsPerAgent: number;
  /** Drop every n-th acknowledged item from the final state (0: none). */
  lostEvery: number;
  /** Every n-th op answers `info` (0: none). */
  infoEvery?: number;
  /** A scenario source that cannot be loaded exercises the fallback to summary.json's check names. */
  scenarioSource?: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so the folder is the same every time. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeSyntheticRun(runDir: string, options: SyntheticOptions): { ops: number; lost: string[] } {
  mkdirSync(runDir, { recursive: true });
  const random = rng(42);
  const events: HistoryEvent[] = [];
  const items: { id: string; title: string }[] = [];
  const lost: string[] = [];
  const agents: Plan['agents'] = [];
  let nextId = 1;
  let acked = 0;
  const counters = [];
  for (let agent = 0; agent < options.agents; agent++) {
    let clock = 1000 + random() * 5;
    const ops: PlannedOp[] = [];
    const c = { attempted: 0, ok: 0, fail: 0, info: 0 };
    for (let seq = 0; seq < options.opsPerAgent; seq++) {
      const title = `a${agent}-${seq}`;
      ops.push({ seq, f: 'create', value: { title }, delayMs: 0 });
      // Mostly fast, with a long tail, and a slow patch in the middle of the run.
      const slow = seq > options.opsPerAgent * 0.45 && seq < options.opsPerAgent * 0.55 ? 8 : 1;
      const latency = (0.3 + random() * 3 + (random() < 0.02 ? random() * 60 : 0)) * slow;
      events.push({ type: 'invoke', agent, seq, f: 'create', value: { title }, time: clock });
      clock += latency;
      c.attempted++;
      const n = agent * options.opsPerAgent + seq + 1;
      if (options.infoEvery && n % options.infoEvery === 0) {
        events.push({ type: 'info', agent, seq, f: 'create', value: null, error: 'timed out', time: clock });
        c.info++;
      } else {
        const id = `t-${nextId++}`;
        events.push({ type: 'ok', agent, seq, f: 'create', value: { id }, time: clock, pid: 1000 + agent });
        c.ok++;
        acked++;
        if (options.lostEvery > 0 && acked % options.lostEvery === 0) lost.push(id);
        else items.push({ id, title });
      }
      clock += random() * 0.5;
    }
    counters.push(c);
    agents.push({ id: agent, kind: 'session', thread: agent % 2, faults: [], ops });
  }
  events.sort((a, b) => a.time - b.time);
  const source = options.scenarioSource ?? SYNTHETIC_SCENARIO;
  const plan: Plan = {
    format: 1,
    scenario: 'synthetic-creates',
    scenarioSource: source,
    seed: 7,
    options: {
      agents: options.agents,
      ops: options.opsPerAgent,
      timeoutMs: 10_000,
      runTimeoutMs: 600_000,
      barrierTimeoutMs: 30_000,
      faults: [],
      threads: 2,
    },
    code: { version: '0.0.0', commit: null },
    preloaded: [],
    startOrder: agents.map((a) => a.id),
    agents,
    kills: [],
  };
  const state = { items, corruption: [] } as unknown as StoreSnapshot;
  const end = events.reduce((max, e) => Math.max(max, e.time), 0);
  const totals = counters.reduce(
    (sum, c) => ({
      attempted: sum.attempted + c.attempted,
      ok: sum.ok + c.ok,
      fail: sum.fail + c.fail,
      info: sum.info + c.info,
    }),
    { attempted: 0, ok: 0, fail: 0, info: 0 },
  );
  const summary: Summary = {
    format: 1,
    scenario: plan.scenario,
    seed: plan.seed,
    verdict: 'pass',
    harnessError: null,
    stopReason: null,
    checks: ['harness-health', 'unique-ids', 'items', 'per-agent'].map((name) => ({
      name,
      verdict: 'pass',
      details: 'not checked yet',
    })),
    agents: counters.map((c, id) => ({
      id,
      name: `a${id}`,
      ...c,
      exit: 'ok',
      processes: 1,
      restarts: 0,
      stdoutBytes: 0,
      stderrBytes: 0,
    })),
    totals,
    startSkewMs: 4.2,
    releaseSkewMs: 4.1,
    durationMs: Math.round(end),
    opsPerSec: Math.round(totals.attempted / (end / 1000)),
    options: plan.options,
    code: plan.code,
    startedAt: '2026-01-01T00:00:00.000Z',
    runDir,
    replay: `npx stampede run ${source} --seed 7`,
  };
  writeFileSync(join(runDir, 'plan.json'), `${JSON.stringify(plan)}\n`);
  writeFileSync(join(runDir, 'history.jsonl'), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  writeFileSync(join(runDir, 'state.json'), `${JSON.stringify(state)}\n`);
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return { ops: options.agents * options.opsPerAgent, lost };
}
