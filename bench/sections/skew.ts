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
  /** Set when the row fixes the pool size (the pool-size rows); else the harness's default. */
  fixedThreads?: number;
  startSkewMs: number[];
  releaseSkewMs: number[];
  /** Exec (native spawner): when the processes themselves first ran. */
  processSkewMs: number[];
}

/** Start skew targets, max over the runs: exec from the first round, session from issue 18 (harness overhead). */
const SKEW_TARGET_MS = { exec: 10, session: 2 } as const;

export async function skewSection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const rows: SkewRow[] = [];
  for (const kind of ['exec', 'session'] as const) {
    for (const agents of cfg.skew.agents)
      rows.push({ kind, agents, threads: 0, startSkewMs: [], releaseSkewMs: [], processSkewMs: [] });
  }
  const threadRows: SkewRow[] = [];
  for (const kind of ['exec', 'session'] as const) {
    for (const threads of cfg.skew.threads)
      threadRows.push({
        kind,
        agents: cfg.skew.threadAgents,
        threads,
        fixedThreads: threads,
        startSkewMs: [],
        releaseSkewMs: [],
        processSkewMs: [],
      });
  }
  for (let run = 0; run < cfg.skew.runs; run++) {
    const due = (row: SkewRow): boolean =>
      row.fixedThreads !== undefined ? run < cfg.skew.threadRuns : row.agents >= 100 ? run < cfg.skew.bigRuns : true;
    for (const row of [...rows, ...threadRows].filter(due)) {
      note(
        `skew: run ${run + 1}/${cfg.skew.runs}, ${row.agents} ${row.kind} agents${row.fixedThreads ? ` on ${row.fixedThreads} thread(s)` : ''}`,
      );
      const spec: HarnessCaseSpec =
        row.kind === 'exec'
          ? {
              target: 'true',
              kind: 'exec',
              agents: row.agents,
              ops: cfg.skew.execOps,
              trueProgram: ctx.trueProgram,
              seed: ctx.seed(),
              resultsDir: ctx.runsDir,
              analyze: false,
            }
          : {
              target: 'noop',
              kind: 'session',
              agents: row.agents,
              ops: cfg.skew.sessionOps,
              seed: ctx.seed(),
              resultsDir: ctx.runsDir,
              analyze: false,
            };
      if (row.fixedThreads !== undefined) spec.threads = row.fixedThreads;
      const result = await runCase<HarnessCaseResult>('harness-case', spec);
      ctx.expectPass(`skew ${row.kind} ${row.agents} agents`, result);
      row.threads = result.threads;
      if (result.startSkewMs === null || result.releaseSkewMs === null)
        throw new Error(`skew ${row.kind} ${row.agents} agents: the run recorded no start skew`);
      row.startSkewMs.push(result.startSkewMs);
      row.releaseSkewMs.push(result.releaseSkewMs);
      if (result.processSkewMs !== null) row.processSkewMs.push(result.processSkewMs);
    }
  }
  const table = [
    `| kind | agents | threads | runs | start skew p50 (ms) | start skew max (ms) | release skew p50 (ms) | release skew max (ms) | process skew p50 (ms) | process skew max (ms) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.kind} | ${r.agents} | ${r.threads} | ${r.startSkewMs.length} | ${fmt(median(r.startSkewMs))} | ${fmt(max(r.startSkewMs))} | ${fmt(median(r.releaseSkewMs))} | ${fmt(max(r.releaseSkewMs))} | ${processSkew(r, median)} | ${processSkew(r, max)} |`,
    ),
  ];
  const threadTable = [
    `| kind | agents | threads | start skew p50 (ms) | start skew max (ms) | process skew p50 (ms) | process skew max (ms) |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    ...threadRows.map(
      (r) =>
        `| ${r.kind} | ${r.agents} | ${r.threads}${r.threads === rows.find((d) => d.kind === r.kind && d.agents === r.agents)?.threads ? ' (default)' : ''} | ${fmt(median(r.startSkewMs))} | ${fmt(max(r.startSkewMs))} | ${processSkew(r, median)} | ${processSkew(r, max)} |`,
    ),
  ];
  const targets: TargetResult[] = rows
    .filter((r) => r.agents === 10)
    .map((r) => ({
      name: `start skew max < ${SKEW_TARGET_MS[r.kind]} ms at 10 ${r.kind} agents`,
      met: max(r.startSkewMs) < SKEW_TARGET_MS[r.kind],
      measured:
        `${fmt(max(r.startSkewMs))} ms max, ${fmt(median(r.startSkewMs))} ms p50 over ${r.startSkewMs.length} runs` +
        (r.processSkewMs.length > 0
          ? ` (the processes themselves first ran within ${fmt(max(r.processSkewMs))} ms max, ${fmt(median(r.processSkewMs))} ms p50)`
          : ''),
    }));
  const markdown = [
    `### 2. Start skew`,
    '',
    `Spread between the first and the last agent's first op after the barrier opens (\`summary.startSkewMs\`: exec, its process let go; session, its line written), ` +
      `between agents seeing it open (\`releaseSkewMs\`), and, for exec agents, between their first processes first running, as the operating system scheduled them (\`processSkewMs\`); ` +
      `${cfg.skew.runs} runs each (${cfg.skew.bigRuns} for 100 agents or more), default pool size; exec agents run \`${ctx.trueProgram}\`, session agents are \`bench/noop-session-agent.mjs\`.`,
    '',
    ...table,
    '',
    `#### Pool size: ${cfg.skew.threadAgents} agents, ${cfg.skew.threadRuns} runs each`,
    '',
    ...threadTable,
  ].join('\n');
  const pool = (['exec', 'session'] as const).map((kind) => ({
    metric: `${kind} start skew p50 (ms), ${cfg.skew.threadAgents} agents`,
    higherIsBetter: false,
    byThreads: Object.fromEntries(
      threadRows.filter((r) => r.kind === kind).map((r) => [r.threads, median(r.startSkewMs)]),
    ),
  }));
  return { name: 'skew', markdown, data: { rows, threadRows }, targets, pool };
}

/** A process-skew figure, or n/a where none is recorded (session agents, the execa spawner). */
function processSkew(row: SkewRow, pick: (values: number[]) => number): string {
  return row.processSkewMs.length > 0 ? fmt(pick(row.processSkewMs)) : 'n/a';
}
