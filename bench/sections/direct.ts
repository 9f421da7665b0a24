// 5. Direct vs session on the reference tracker, as seed 000's daemon-vs-direct table: 8 agents x 100
// creates, one CLI process per op (exec agents) against long-lived session agents.
import type { HarnessCaseResult, HarnessCaseSpec } from '../cases/harness-case.js';
import { fmt, fmtRatio, median, note, ratio, runCase } from '../common.js';
import type { BenchConfig } from '../config.js';
import type { BenchContext, SectionResult } from './types.js';

interface Side {
  opsPerSec: number[];
  meanOpMs: number[];
  durationMs: number[];
}

export async function directSection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const { agents, ops } = cfg.direct;
  const sides: Record<'exec' | 'session', Side> = {
    exec: { opsPerSec: [], meanOpMs: [], durationMs: [] },
    session: { opsPerSec: [], meanOpMs: [], durationMs: [] },
  };
  const runs = Math.max(cfg.direct.execRuns, cfg.direct.sessionRuns);
  for (let i = 0; i < runs; i++) {
    for (const kind of ['exec', 'session'] as const) {
      if (i >= (kind === 'exec' ? cfg.direct.execRuns : cfg.direct.sessionRuns)) continue;
      note(`direct vs session: run ${i + 1}, tracker ${kind}, ${agents} agents x ${ops} creates`);
      const spec: HarnessCaseSpec = {
        target: 'tracker',
        kind,
        agents,
        ops,
        seed: ctx.seed(),
        resultsDir: ctx.runsDir,
        analyze: true,
      };
      const result = await runCase<HarnessCaseResult>('harness-case', spec, 1_800_000);
      ctx.expectPass(`tracker ${kind} ${agents} x ${ops}`, result);
      sides[kind].opsPerSec.push(result.opsPerSec as number);
      sides[kind].meanOpMs.push(result.meanOpMs as number);
      sides[kind].durationMs.push(result.durationMs);
    }
  }
  const e = { ops: median(sides.exec.opsPerSec), ms: median(sides.exec.meanOpMs), wall: median(sides.exec.durationMs) };
  const s = {
    ops: median(sides.session.opsPerSec),
    ms: median(sides.session.meanOpMs),
    wall: median(sides.session.durationMs),
  };
  const table = [
    `| ${agents} agents x ${ops} creates | direct (one CLI process per op) | session agents | speedup |`,
    `|---|---:|---:|---:|`,
    `| create, mean latency (ms/op) | ${fmt(e.ms)} | ${fmt(s.ms)} | ${fmtRatio(ratio(e.ms, s.ms))} |`,
    `| throughput (ops/s) | ${fmt(e.ops)} | ${fmt(s.ops)} | ${fmtRatio(ratio(s.ops, e.ops))} |`,
    `| run wall time (s) | ${fmt(e.wall / 1000)} | ${fmt(s.wall / 1000)} | ${fmtRatio(ratio(e.wall, s.wall))} |`,
  ];
  const markdown = [
    `### 5. Direct vs session on the reference tracker`,
    '',
    `Checks: harness-health, store-parses, unique-ids, items, per-agent (every run passed). Median of ${cfg.direct.execRuns} direct and ${cfg.direct.sessionRuns} session run(s). ` +
      `Latency is invoke to completion as history.jsonl records it; with ${agents} agents contending for the tracker's lock.`,
    '',
    ...table,
  ].join('\n');
  return { name: 'direct', markdown, data: { agents, ops, sides }, targets: [] };
}
