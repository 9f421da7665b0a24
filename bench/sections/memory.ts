// 4. Memory: the harness's peak resident memory (maxRSS of a process that does one run and nothing else)
// with no-op session agents, by agents, by ops, and with agents that write a flood to stderr.
import type { HarnessCaseResult, HarnessCaseSpec } from '../cases/harness-case.js';
import { fmt, MB, note, runCase } from '../common.js';
import type { BenchConfig } from '../config.js';
import type { BenchContext, SectionResult, TargetResult } from './types.js';

interface MemoryRow {
  agents: number;
  opsPerAgent: number;
  stderrBytesPerAgent: number;
  threads: number;
  maxRssBytes: number;
  durationMs: number;
  stderrBytesSeen: number;
}

export async function memorySection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const rows: MemoryRow[] = [];
  for (const [agents, ops, stderrBytes] of cfg.memory.cases) {
    note(`memory: ${agents} session agents x ${ops} ops, ${stderrBytes / MB} MB of stderr each`);
    const spec: HarnessCaseSpec = { target: 'noop', kind: 'session', agents, ops, stderrBytes, seed: ctx.seed(), resultsDir: ctx.runsDir, analyze: false };
    const result = await runCase<HarnessCaseResult>('harness-case', spec, 1_800_000);
    ctx.expectPass(`memory ${agents} x ${ops} (${stderrBytes / MB} MB each)`, result);
    if (result.stderrBytes !== agents * stderrBytes) throw new Error(`memory ${agents} x ${ops}: expected ${agents * stderrBytes} bytes of stderr, the harness counted ${result.stderrBytes}`);
    rows.push({ agents, opsPerAgent: ops, stderrBytesPerAgent: stderrBytes, threads: result.threads, maxRssBytes: result.maxRssBytes, durationMs: result.durationMs, stderrBytesSeen: result.stderrBytes });
  }
  const find = (agents: number, ops: number, bytes: number): MemoryRow | undefined => rows.find((r) => r.agents === agents && r.opsPerAgent === ops && r.stderrBytesPerAgent === bytes);
  const table = [
    `| agents | ops per agent | total ops | stderr per agent | threads | harness peak RSS (MB) | wall (s) |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.agents} | ${r.opsPerAgent} | ${r.agents * r.opsPerAgent} | ${r.stderrBytesPerAgent === 0 ? '0' : `${r.stderrBytesPerAgent / MB} MB`} | ${r.threads} | ${fmt(r.maxRssBytes / MB)} | ${fmt(r.durationMs / 1000)} |`,
    ),
  ];
  const lines: string[] = [];
  const small = find(10, 1000, 0);
  const big = find(256, 1000, 0);
  if (small && big) lines.push(`- per agent: ${fmt((big.maxRssBytes - small.maxRssBytes) / (big.agents - small.agents) / 1024)} KB ((256 x 1000) - (10 x 1000)) / 246 agents.`);
  const moreOps = find(10, 10_000, 0);
  if (small && moreOps) lines.push(`- per op: ${fmt(((moreOps.maxRssBytes - small.maxRssBytes) / (moreOps.opsPerAgent * moreOps.agents - small.opsPerAgent * small.agents)) * 1)} bytes ((10 x 10000) - (10 x 1000)) / 90000 ops.`);
  for (const flood of rows.filter((r) => r.stderrBytesPerAgent > 0)) {
    const quiet = find(flood.agents, flood.opsPerAgent, 0);
    if (quiet) {
      lines.push(
        `- output: ${flood.agents} agents x ${flood.stderrBytesPerAgent / MB} MB = ${fmt((flood.agents * flood.stderrBytesPerAgent) / MB / 1024)} GB through the pipes changed peak RSS by ${fmt((flood.maxRssBytes - quiet.maxRssBytes) / MB)} MB.`,
      );
    }
  }
  const targetRow = rows.find((r) => r.agents === 256 && r.opsPerAgent === 1000 && r.stderrBytesPerAgent >= 100 * MB);
  const largest = rows.filter((r) => r.agents === 256 && r.opsPerAgent === 1000 && r.stderrBytesPerAgent > 0).sort((a, b) => b.stderrBytesPerAgent - a.stderrBytesPerAgent)[0];
  const targets: TargetResult[] = [
    targetRow
      ? { name: 'harness memory < 200 MB at 256 agents x 1000 ops with 100 MB of output per agent', met: targetRow.maxRssBytes < 200 * MB, measured: `${fmt(targetRow.maxRssBytes / MB)} MB peak RSS` }
      : {
          name: 'harness memory < 200 MB at 256 agents x 1000 ops with 100 MB of output per agent',
          met: false,
          measured: largest ? `not run at 100 MB (--quick): ${fmt(largest.maxRssBytes / MB)} MB peak RSS with ${largest.stderrBytesPerAgent / MB} MB per agent` : 'not run',
        },
  ];
  const markdown = [
    `### 4. Memory: harness peak RSS`,
    '',
    `Each case is one run in a fresh process that prints \`process.resourceUsage().maxRSS\` (main thread and worker threads; the agents are separate processes). ` +
      `No-op session agents; the flood cases write their bytes to stderr while answering ops.`,
    '',
    ...table,
    '',
    ...lines,
  ].join('\n');
  return { name: 'memory', markdown, data: { rows }, targets };
}
