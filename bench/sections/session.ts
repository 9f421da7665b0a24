// 3. Session throughput: no-op session agents through the harness against the same agents driven by a
// bare loop in one thread; then the harness's pool sizes for one agent count.
import type { BareSessionResult, BareSessionSpec } from '../cases/bare-session.js';
import type { HarnessCaseResult, HarnessCaseSpec } from '../cases/harness-case.js';
import { fmt, fmtRatio, median, NOOP_AGENT, note, runCase } from '../common.js';
import type { BenchConfig } from '../config.js';
import type { BenchContext, SectionResult, TargetResult } from './types.js';

/** Issue 18: session agents through the harness at this share of the bare one-thread loop, at these agent counts. */
const SESSION_TARGET = 0.9;
const SESSION_TARGET_AGENTS = [1, 8, 64];

interface SessionRow {
  agents: number;
  opsPerAgent: number;
  threads: number;
  harness: number[];
  harnessMeanOpMs: number[];
  bare: number[];
  bareMeanOpMs: number[];
  harnessToBare: number[];
}

interface SessionThreadRow {
  threads: number;
  harness: number[];
}

async function harness(ctx: BenchContext, agents: number, ops: number, threads?: number): Promise<HarnessCaseResult> {
  const spec: HarnessCaseSpec = {
    target: 'noop',
    kind: 'session',
    agents,
    ops,
    seed: ctx.seed(),
    resultsDir: ctx.runsDir,
    analyze: true,
  };
  if (threads !== undefined) spec.threads = threads;
  const result = await runCase<HarnessCaseResult>('harness-case', spec);
  ctx.expectPass(`session no-op ${agents} agents${threads ? ` threads ${threads}` : ''}`, result);
  if (result.opsPerSec === null) throw new Error(`session no-op ${agents} agents: no op completed`);
  return result;
}

export async function sessionSection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const opsPerAgent = (agents: number): number =>
    Math.max(cfg.session.minOpsPerAgent, Math.round(cfg.session.ops / agents));
  const rows: SessionRow[] = cfg.session.agents.map((agents) => ({
    agents,
    opsPerAgent: opsPerAgent(agents),
    threads: 0,
    harness: [],
    harnessMeanOpMs: [],
    bare: [],
    bareMeanOpMs: [],
    harnessToBare: [],
  }));
  const threadRows: SessionThreadRow[] = cfg.session.threads.map((threads) => ({ threads, harness: [] }));
  for (let round = 0; round < cfg.repeats; round++) {
    for (const row of rows) {
      note(`session: round ${round + 1}/${cfg.repeats}, ${row.agents} agents x ${row.opsPerAgent} ops`);
      const bareSpec: BareSessionSpec = { agent: NOOP_AGENT, agents: row.agents, ops: row.opsPerAgent };
      const bare = await runCase<BareSessionResult>('bare-session', bareSpec);
      const run = await harness(ctx, row.agents, row.opsPerAgent);
      row.threads = run.threads;
      row.harness.push(run.opsPerSec as number);
      row.harnessMeanOpMs.push(run.meanOpMs as number);
      row.bare.push(bare.opsPerSec);
      row.bareMeanOpMs.push(bare.meanOpMs);
      row.harnessToBare.push((run.opsPerSec as number) / bare.opsPerSec);
    }
    for (const row of threadRows) {
      const agents = cfg.session.threadAgents;
      note(`session: round ${round + 1}/${cfg.repeats}, ${agents} agents on ${row.threads} thread(s)`);
      const run = await harness(ctx, agents, opsPerAgent(agents), row.threads);
      row.harness.push(run.opsPerSec as number);
    }
  }
  // The pool size the harness picks by itself for this many agents (0: that count is not in the table above).
  const defaultThreads = rows.find((r) => r.agents === cfg.session.threadAgents)?.threads ?? 0;
  const table = [
    `| agents | ops per agent | threads | harness (ops/s) | bare loop, 1 thread (ops/s) | harness / bare | harness mean op (ms) | bare mean op (ms) |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.agents} | ${r.opsPerAgent} | ${r.threads} | ${fmt(median(r.harness))} | ${fmt(median(r.bare))} | ${fmtRatio(median(r.harnessToBare))} | ${fmt(median(r.harnessMeanOpMs))} | ${fmt(median(r.bareMeanOpMs))} |`,
    ),
  ];
  const best = threadRows.reduce((a, b) => (median(b.harness) > median(a.harness) ? b : a));
  const threadTable = [
    `| threads | harness, ${cfg.session.threadAgents} session agents (ops/s) |`,
    `|---:|---:|`,
    ...threadRows.map(
      (r) =>
        `| ${r.threads}${r.threads === defaultThreads ? ' (default)' : ''}${r === best ? ' **best**' : ''} | ${fmt(median(r.harness))} |`,
    ),
  ];
  const targets: TargetResult[] = SESSION_TARGET_AGENTS.map((agents) => {
    const name = `session throughput at ${agents} agent${agents === 1 ? '' : 's'} >= ${SESSION_TARGET}x the bare one-thread loop`;
    const row = rows.find((r) => r.agents === agents);
    if (!row) return { name, met: false, measured: 'not measured (agent count not in this run)' };
    const ratios = [...row.harnessToBare].sort((a, b) => a - b);
    const spread = ratios.length > 1 ? `, rounds ${ratios.map((x) => fmtRatio(x)).join(' ')}` : '';
    return {
      name,
      met: median(ratios) >= SESSION_TARGET,
      measured: `${fmtRatio(median(ratios))} median of ${ratios.length} round(s) (${fmt(median(row.harness))} vs ${fmt(median(row.bare))} ops/s${spread})`,
    };
  });
  const markdown = [
    `### 3. Session throughput: no-op session agents`,
    '',
    `About ${cfg.session.ops} ops per measurement (at least ${cfg.session.minOpsPerAgent} per agent), one op in flight per agent, median of ${cfg.repeats} round(s); ` +
      `ops/s over the op phase (agent start-up excluded on both sides).`,
    '',
    ...table,
    '',
    `#### Pool size: ${cfg.session.threadAgents} session agents`,
    '',
    ...threadTable,
  ].join('\n');
  return {
    name: 'session',
    markdown,
    data: { rows, threadRows, defaultThreads, bestThreads: best.threads },
    targets,
    pool: [
      {
        metric: `session ops/s, ${cfg.session.threadAgents} agents`,
        higherIsBetter: true,
        byThreads: Object.fromEntries(threadRows.map((r) => [r.threads, median(r.harness)])),
      },
    ],
  };
}
