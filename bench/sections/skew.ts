// 2. Start skew: the spread between the first and the last agent's first op after the barrier opens
// (summary.startSkewMs), for exec and session agents, p50 and max over several runs.
import type { HarnessCaseResult, HarnessCaseSpec } from '../cases/harness-case.js';
import { fmt, max, median, note, runCase } from '../common.js';
import type { BenchConfig } from '../config.js';
import type { BenchContext, SectionResult, TargetResult } from './types.js';

interface SkewRow {
  kind: 'exec' | 'session';
  agents: number;
  threads: number;
  startSkewMs: number[];
  releaseSkewMs: number[];
}

export async function skewSection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const rows: SkewRow[] = [];
  for (const kind of ['exec', 'session'] as const) {
    for (const agents of cfg.skew.agents) rows.push({ kind, agents, threads: 0, startSkewMs: [], releaseSkewMs: [] });
  }
  for (let run = 0; run < cfg.skew.runs; run++) {
    for (const row of rows) {
      note(`skew: run ${run + 1}/${cfg.skew.runs}, ${row.agents} ${row.kind} agents`);
      const spec: HarnessCaseSpec =
        row.kind === 'exec'
          ? { target: 'true', kind: 'exec', agents: row.agents, ops: cfg.skew.execOps, trueProgram: ctx.trueProgram, seed: ctx.seed(), resultsDir: ctx.runsDir, analyze: false }
          : { target: 'noop', kind: 'session', agents: row.agents, ops: cfg.skew.sessionOps, seed: ctx.seed(), resultsDir: ctx.runsDir, analyze: false };
      const result = await runCase<HarnessCaseResult>('harness-case', spec);
      ctx.expectPass(`skew ${row.kind} ${row.agents} agents`, result);
      row.threads = result.threads;
      if (result.startSkewMs === null || result.releaseSkewMs === null) throw new Error(`skew ${row.kind} ${row.agents} agents: the run recorded no start skew`);
      row.startSkewMs.push(result.startSkewMs);
      row.releaseSkewMs.push(result.releaseSkewMs);
    }
  }
  const table = [
    `| kind | agents | threads | start skew p50 (ms) | start skew max (ms) | release skew p50 (ms) | release skew max (ms) |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((r) => `| ${r.kind} | ${r.agents} | ${r.threads} | ${fmt(median(r.startSkewMs))} | ${fmt(max(r.startSkewMs))} | ${fmt(median(r.releaseSkewMs))} | ${fmt(max(r.releaseSkewMs))} |`),
  ];
  const targets: TargetResult[] = rows
    .filter((r) => r.agents === 10)
    .map((r) => ({ name: `start skew max < 10 ms at 10 ${r.kind} agents`, met: max(r.startSkewMs) < 10, measured: `${fmt(max(r.startSkewMs))} ms max, ${fmt(median(r.startSkewMs))} ms p50 over ${r.startSkewMs.length} runs` }));
  const markdown = [
    `### 2. Start skew`,
    '',
    `Spread between the first and the last agent's first op after the barrier opens (\`summary.startSkewMs\`), and between agents seeing it open (\`releaseSkewMs\`); ` +
      `${cfg.skew.runs} runs each, default pool size; exec agents run \`${ctx.trueProgram}\`, session agents are \`bench/noop-session-agent.mjs\`.`,
    '',
    ...table,
  ].join('\n');
  return { name: 'skew', markdown, data: { rows }, targets };
}
