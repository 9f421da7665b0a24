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
  /** The run did not complete: what went wrong (a finding in itself: the harness broke at this scale). */
  error: string | null;
}

/** The line of a failed case that says what broke (`RangeError: ...`), for the table; the JSON keeps it all. */
function headline(message: string): string {
  const lines = message.split('\n').map((l) => l.trim());
  const thrown = lines.find((l) => /^[A-Z][A-Za-z]*Error\b/.test(l) || l.startsWith('stampede:'));
  const at = lines.find((l) => l.startsWith('at ') && l.includes('/lib/'));
  return `${thrown ?? lines[0] ?? message}${
    at
      ? ` (${at
          .replace(/^at /, '')
          .replace(/\(?file:\/\/.*\/dist\//, '')
          .replace(/\)$/, '')})`
      : ''
  }`;
}

/** How much more memory 20x the ops may take: noise between runs is a few MB, a plan held in memory is 60 MB here. */
const OPS_GROWTH_LIMIT_BYTES = 10 * MB;

/** Memory grows with agents, not with ops: the same agents with 20x the ops stay within OPS_GROWTH_LIMIT_BYTES. */
function opsTarget(small: MemoryRow | undefined, moreOps: MemoryRow | undefined): TargetResult {
  const name = `harness memory does not grow with ops (10 x 20000 within ${OPS_GROWTH_LIMIT_BYTES / MB} MB of 10 x 1000)`;
  if (!small || !moreOps) return { name, met: false, measured: 'not run (or a run failed)' };
  const growth = moreOps.maxRssBytes - small.maxRssBytes;
  return {
    name,
    met: growth < OPS_GROWTH_LIMIT_BYTES,
    measured: `${fmt(small.maxRssBytes / MB)} MB -> ${fmt(moreOps.maxRssBytes / MB)} MB (${growth >= 0 ? '+' : ''}${fmt(growth / MB)} MB for ${moreOps.agents * moreOps.opsPerAgent - small.agents * small.opsPerAgent} more ops)`,
  };
}

export async function memorySection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const rows: MemoryRow[] = [];
  for (const [agents, ops, stderrBytes] of cfg.memory.cases) {
    note(`memory: ${agents} session agents x ${ops} ops, ${stderrBytes / MB} MB of stderr each`);
    const spec: HarnessCaseSpec = {
      target: 'noop',
      kind: 'session',
      agents,
      ops,
      stderrBytes,
      seed: ctx.seed(),
      resultsDir: ctx.runsDir,
      analyze: false,
    };
    const started = performance.now();
    let result: HarnessCaseResult;
    try {
      result = await runCase<HarnessCaseResult>('harness-case', spec, 1_800_000);
    } catch (error) {
      // At scale the harness itself may break: that is what this part is for, so the failure becomes the
      // row (and fails the target) instead of ending the bench with nothing measured.
      const message = (error as Error).message;
      note(`memory: ${agents} x ${ops} FAILED: ${headline(message)}`);
      rows.push({
        agents,
        opsPerAgent: ops,
        stderrBytesPerAgent: stderrBytes,
        threads: 0,
        maxRssBytes: NaN,
        durationMs: performance.now() - started,
        stderrBytesSeen: NaN,
        error: message,
      });
      continue;
    }
    ctx.expectPass(`memory ${agents} x ${ops} (${stderrBytes / MB} MB each)`, result);
    if (result.stderrBytes !== agents * stderrBytes)
      throw new Error(
        `memory ${agents} x ${ops}: expected ${agents * stderrBytes} bytes of stderr, the harness counted ${result.stderrBytes}`,
      );
    rows.push({
      agents,
      opsPerAgent: ops,
      stderrBytesPerAgent: stderrBytes,
      threads: result.threads,
      maxRssBytes: result.maxRssBytes,
      durationMs: result.durationMs,
      stderrBytesSeen: result.stderrBytes,
      error: null,
    });
  }
  const find = (agents: number, ops: number, bytes: number): MemoryRow | undefined =>
    rows.find(
      (r) => r.agents === agents && r.opsPerAgent === ops && r.stderrBytesPerAgent === bytes && r.error === null,
    );
  const table = [
    `| agents | ops per agent | total ops | stderr per agent | threads | harness peak RSS (MB) | wall (s) |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.agents} | ${r.opsPerAgent} | ${r.agents * r.opsPerAgent} | ${r.stderrBytesPerAgent === 0 ? '0' : `${r.stderrBytesPerAgent / MB} MB`} | ${r.error ? 'n/a' : r.threads} | ${r.error ? `**run failed**: ${headline(r.error)}` : fmt(r.maxRssBytes / MB)} | ${fmt(r.durationMs / 1000)} |`,
    ),
  ];
  const lines: string[] = [];
  const small = find(10, 1000, 0);
  const big = find(256, 1000, 0);
  if (small && big)
    lines.push(
      `- per agent: ${fmt((big.maxRssBytes - small.maxRssBytes) / (big.agents - small.agents) / 1024)} KB ((256 x 1000) - (10 x 1000)) / 246 agents.`,
    );
  const moreOps = rows.find(
    (r) => r.agents === 10 && r.opsPerAgent > 1000 && r.stderrBytesPerAgent === 0 && r.error === null,
  );
  if (small && moreOps) {
    const extra = moreOps.opsPerAgent * moreOps.agents - small.opsPerAgent * small.agents;
    lines.push(
      `- per op: ${fmt((moreOps.maxRssBytes - small.maxRssBytes) / extra)} bytes ((10 x ${moreOps.opsPerAgent}) - (10 x 1000)) / ${extra} ops.`,
    );
  }
  for (const flood of rows.filter((r) => r.stderrBytesPerAgent > 0)) {
    const quiet = find(flood.agents, flood.opsPerAgent, 0);
    if (quiet) {
      lines.push(
        `- output: ${flood.agents} agents x ${flood.stderrBytesPerAgent / MB} MB = ${fmt((flood.agents * flood.stderrBytesPerAgent) / MB / 1024)} GB through the pipes changed peak RSS by ${fmt((flood.maxRssBytes - quiet.maxRssBytes) / MB)} MB.`,
      );
    }
  }
  for (const failed of rows.filter((r) => r.error !== null))
    lines.push(`- ${failed.agents} x ${failed.opsPerAgent} did not complete: ${headline(failed.error as string)}.`);
  const targetRow = rows.find((r) => r.agents === 256 && r.opsPerAgent === 1000 && r.stderrBytesPerAgent >= 100 * MB);
  const largest = rows
    .filter((r) => r.agents === 256 && r.opsPerAgent === 1000 && r.stderrBytesPerAgent > 0)
    .sort((a, b) => b.stderrBytesPerAgent - a.stderrBytesPerAgent)[0];
  const targets: TargetResult[] = [
    opsTarget(small, moreOps),
    targetRow
      ? {
          name: 'harness memory < 200 MB at 256 agents x 1000 ops with 100 MB of output per agent',
          met: targetRow.error === null && targetRow.maxRssBytes < 200 * MB,
          measured:
            targetRow.error === null
              ? `${fmt(targetRow.maxRssBytes / MB)} MB peak RSS`
              : `the run failed: ${headline(targetRow.error)}`,
        }
      : {
          name: 'harness memory < 200 MB at 256 agents x 1000 ops with 100 MB of output per agent',
          met: false,
          measured: !largest
            ? 'not run'
            : largest.error !== null
              ? `not run at 100 MB (--quick); at ${largest.stderrBytesPerAgent / MB} MB the run failed: ${headline(largest.error)}`
              : `not run at 100 MB (--quick): ${fmt(largest.maxRssBytes / MB)} MB peak RSS with ${largest.stderrBytesPerAgent / MB} MB per agent`,
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
