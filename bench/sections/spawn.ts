// 1. Spawn throughput of exec agents running a no-op native program: the harness, a bare Node loop, and
// the machine's limit (C posix_spawn). Then the same 10 agents at several pool sizes, next to a bare Node
// loop spawning from as many threads, to find out what the pool's size does to spawning.
import { join } from 'node:path';
import { execa } from 'execa';
import type { BareSpawnResult, BareSpawnSpec } from '../cases/bare-spawn.js';
import type { HarnessCaseResult, HarnessCaseSpec } from '../cases/harness-case.js';
import {
  findOnPath,
  fmt,
  fmtRatio,
  MB,
  median,
  note,
  ratio,
  runCase,
  runJsonProgram,
  SPAWN_LOOP_C,
} from '../common.js';
import type { BenchConfig } from '../config.js';
import type { BenchContext, SectionResult } from './types.js';

/** Exec spawn throughput at 10 agents against the C posix_spawn loop (0.8x first, 0.9x since issue 18). */
const SPAWN_TARGET = 0.9;

export interface NativeLimit {
  available: boolean;
  /** Why there is no C limit (no compiler, or it failed). */
  reason: string | null;
  binary: string | null;
  compiler: string | null;
}

/** Compile bench/native/spawn-loop.c with the machine's cc into the bench's temp folder, if there is a cc. */
export async function compileSpawnLoop(tmp: string): Promise<NativeLimit> {
  const compiler = findOnPath('cc') ?? findOnPath('gcc') ?? findOnPath('clang');
  if (!compiler)
    return { available: false, reason: 'no C compiler (cc, gcc or clang) on PATH', binary: null, compiler: null };
  const binary = join(tmp, 'spawn-loop');
  const build = await execa(compiler, ['-O2', '-o', binary, SPAWN_LOOP_C], { reject: false, shell: false });
  if (build.exitCode !== 0)
    return {
      available: false,
      reason: `${compiler} could not compile ${SPAWN_LOOP_C}: ${String(build.stderr).slice(0, 500)}`,
      binary: null,
      compiler,
    };
  return { available: true, reason: null, binary, compiler };
}

interface SpawnRow {
  agents: number;
  harness: number[];
  /** The harness with `--spawner node` (execa from the worker thread: the Windows path, and the old design). */
  execa: number[];
  node: number[];
  c: number[];
  /** Per-round ratios, so a noisy round moves numerator and denominator together. */
  harnessToC: number[];
  execaToC: number[];
  nodeToC: number[];
  harnessToNode: number[];
}

interface ThreadRow {
  threads: number;
  harness: number[];
  harnessToC: number[];
  harnessSkewMs: number[];
  harnessRssBytes: number[];
  bare: number[];
  bareToC: number[];
  bareRssBytes: number[];
}

async function cLimit(
  native: NativeLimit,
  program: string,
  total: number,
  concurrency: number,
): Promise<number | null> {
  if (!native.available || !native.binary) return null;
  const result = await runJsonProgram<{ spawnsPerSec: number }>(native.binary, [
    program,
    String(total),
    String(concurrency),
  ]);
  return result.spawnsPerSec;
}

async function bareNode(
  program: string,
  total: number,
  concurrency: number,
  threads: number,
): Promise<BareSpawnResult> {
  const spec: BareSpawnSpec = { program, total, concurrency, threads };
  return runCase<BareSpawnResult>('bare-spawn', spec);
}

async function harness(
  ctx: BenchContext,
  agents: number,
  ops: number,
  threads?: number,
  spawner?: 'node',
): Promise<HarnessCaseResult> {
  const spec: HarnessCaseSpec = {
    target: 'true',
    kind: 'exec',
    agents,
    ops,
    trueProgram: ctx.trueProgram,
    seed: ctx.seed(),
    resultsDir: ctx.runsDir,
    analyze: true,
  };
  if (threads !== undefined) spec.threads = threads;
  if (spawner !== undefined) spec.spawner = spawner;
  const result = await runCase<HarnessCaseResult>('harness-case', spec);
  ctx.expectPass(
    `exec /bin/true ${agents} agents${threads ? ` threads ${threads}` : ''}${spawner ? ` spawner ${spawner}` : ''}`,
    result,
  );
  return result;
}

export async function spawnSection(cfg: BenchConfig, ctx: BenchContext): Promise<SectionResult> {
  const { native, trueProgram } = ctx;
  const rows: SpawnRow[] = cfg.spawn.agents.map((agents) => ({
    agents,
    harness: [],
    execa: [],
    node: [],
    c: [],
    harnessToC: [],
    execaToC: [],
    nodeToC: [],
    harnessToNode: [],
  }));
  let defaultSpawner = 'n/a';
  const threadRows: ThreadRow[] = cfg.spawn.threads.map((threads) => ({
    threads,
    harness: [],
    harnessToC: [],
    harnessSkewMs: [],
    harnessRssBytes: [],
    bare: [],
    bareToC: [],
    bareRssBytes: [],
  }));
  let defaultThreads = 0;
  for (let round = 0; round < cfg.repeats; round++) {
    for (const row of rows) {
      note(`spawn: round ${round + 1}/${cfg.repeats}, ${row.agents} agents`);
      const ops = Math.ceil(cfg.spawn.spawns / row.agents);
      const total = ops * row.agents;
      // The limit is measured just before and just after the harness, and averaged: on a shared machine the
      // load moves between runs, and the harness's ratio should compare it with the machine it ran on.
      const cBefore = await cLimit(native, trueProgram, total, row.agents);
      const run = await harness(ctx, row.agents, ops);
      const cAfter = await cLimit(native, trueProgram, total, row.agents);
      const c = cBefore === null || cAfter === null ? null : (cBefore + cAfter) / 2;
      const node = (await bareNode(trueProgram, total, row.agents, 0)).spawnsPerSec;
      const viaExeca = (await harness(ctx, row.agents, ops, undefined, 'node')).opsPerSec as number;
      if (row.agents === cfg.spawn.threadAgents) defaultThreads = run.threads;
      defaultSpawner = run.spawner ?? 'n/a';
      const h = run.opsPerSec as number;
      row.harness.push(h);
      row.execa.push(viaExeca);
      row.node.push(node);
      row.harnessToNode.push(h / node);
      if (c !== null) {
        row.c.push(c);
        row.harnessToC.push(h / c);
        row.execaToC.push(viaExeca / c);
        row.nodeToC.push(node / c);
      }
    }
    const agents = cfg.spawn.threadAgents;
    const ops = Math.ceil(cfg.spawn.spawns / agents);
    const total = ops * agents;
    for (const row of threadRows) {
      note(`spawn: round ${round + 1}/${cfg.repeats}, ${agents} agents on ${row.threads} thread(s)`);
      const cBefore = await cLimit(native, trueProgram, total, agents);
      const run = await harness(ctx, agents, ops, row.threads);
      const cAfter = await cLimit(native, trueProgram, total, agents);
      const c = cBefore === null || cAfter === null ? null : (cBefore + cAfter) / 2;
      const bare = await bareNode(trueProgram, total, agents, row.threads);
      row.harness.push(run.opsPerSec as number);
      row.harnessSkewMs.push(run.processSkewMs ?? run.startSkewMs ?? NaN);
      row.harnessRssBytes.push(run.maxRssBytes);
      row.bare.push(bare.spawnsPerSec);
      row.bareRssBytes.push(bare.maxRssBytes);
      if (c !== null) {
        row.harnessToC.push((run.opsPerSec as number) / c);
        row.bareToC.push(bare.spawnsPerSec / c);
      }
    }
  }

  const med = (values: number[]): number | null => (values.length > 0 ? median(values) : null);
  const spawnTable = [
    `| agents | harness, ${defaultSpawner} spawner (spawns/s) | harness, execa spawner | bare Node loop, 1 thread | C posix_spawn (limit) | harness / limit | execa spawner / limit | Node loop / limit | harness / Node loop |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.agents} | ${fmt(med(r.harness))} | ${fmt(med(r.execa))} | ${fmt(med(r.node))} | ${native.available ? fmt(med(r.c)) : 'n/a'} | ${fmtRatio(med(r.harnessToC))} | ${fmtRatio(med(r.execaToC))} | ${fmtRatio(med(r.nodeToC))} | ${fmtRatio(med(r.harnessToNode))} |`,
    ),
  ];
  const best = threadRows.reduce((a, b) => ((med(b.harness) ?? 0) > (med(a.harness) ?? 0) ? b : a));
  const threadTable = [
    `| threads | harness (spawns/s) | harness / limit | harness process skew p50 (ms) | harness peak RSS (MB) | bare Node, N threads each spawning (spawns/s) | bare / limit | bare peak RSS (MB) |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...threadRows.map(
      (r) =>
        `| ${r.threads}${r.threads === defaultThreads ? ' (default)' : ''}${r === best ? ' **best**' : ''} | ${fmt(med(r.harness))} | ${fmtRatio(med(r.harnessToC))} | ${fmt(med(r.harnessSkewMs))} | ${fmt(med(r.harnessRssBytes)! / MB)} | ${fmt(med(r.bare))} | ${fmtRatio(med(r.bareToC))} | ${fmt(med(r.bareRssBytes)! / MB)} |`,
    ),
  ];
  const worst = threadRows.reduce((a, b) => ((med(b.harness) ?? Infinity) < (med(a.harness) ?? Infinity) ? b : a));
  const ten = rows.find((r) => r.agents === cfg.spawn.threadAgents);
  const finding = [
    `Best pool size for ${cfg.spawn.threadAgents} exec agents: **${best.threads} thread(s)**, ${fmt(med(best.harness))} spawns/s, ` +
      `${fmtRatio(ratio(med(best.harness), med(worst.harness)))} the worst (${worst.threads} threads, ${fmt(med(worst.harness))} spawns/s); ` +
      `the default chose ${defaultThreads}. A bare Node loop spawning from 1 thread does ${fmt(med(threadRows[0]?.bare ?? []))} spawns/s and from ${threadRows[threadRows.length - 1]?.threads} threads ${fmt(med(threadRows[threadRows.length - 1]?.bare ?? []))}.`,
  ];
  const tenToC = med(ten?.harnessToC ?? []);
  const tenToNode = med(ten?.harnessToNode ?? []);
  const target = native.available
    ? {
        name: `exec spawn throughput at ${cfg.spawn.threadAgents} agents >= ${SPAWN_TARGET}x the C limit`,
        met: tenToC !== null && tenToC >= SPAWN_TARGET,
        measured: `${fmtRatio(tenToC)} (${fmt(med(ten?.harness ?? []))} vs ${fmt(med(ten?.c ?? []))} spawns/s)`,
      }
    : {
        name: `exec spawn throughput at ${cfg.spawn.threadAgents} agents >= 1.5x the bare Node loop (no C compiler: ${native.reason})`,
        met: tenToNode !== null && tenToNode >= 1.5,
        measured: `${fmtRatio(tenToNode)} (${fmt(med(ten?.harness ?? []))} vs ${fmt(med(ten?.node ?? []))} spawns/s)`,
      };
  const markdown = [
    `### 1. Spawn throughput: exec agents running \`${trueProgram}\``,
    '',
    `${cfg.spawn.spawns} spawns per measurement (agents x ops), median of ${cfg.repeats} round(s); ratios are medians of per-round ratios. ` +
      `The harness figure is ops over its op phase (first invoke to last completion, from history.jsonl), default pool size, with the default spawner (${defaultSpawner}) and with \`--spawner node\` (execa). ` +
      (native.available
        ? `Limit: \`bench/native/spawn-loop.c\` compiled with ${native.compiler}, run just before and just after each harness run and averaged. `
        : `No C limit: ${native.reason}. `) +
      `Process skew: spread of the moments the first ops' processes first ran (\`summary.processSkewMs\`).`,
    '',
    ...spawnTable,
    '',
    `#### Pool size: ${cfg.spawn.threadAgents} exec agents on 1..${cfg.spawn.threads[cfg.spawn.threads.length - 1]} worker threads`,
    '',
    ...threadTable,
    '',
    ...finding,
  ].join('\n');
  return {
    name: 'spawn',
    markdown,
    data: {
      native: { available: native.available, reason: native.reason, compiler: native.compiler },
      rows,
      threadRows,
      defaultThreads,
      bestThreads: best.threads,
      worstThreads: worst.threads,
    },
    targets: [target],
    pool: [
      {
        metric: `exec spawns/s, ${cfg.spawn.threadAgents} agents`,
        higherIsBetter: true,
        byThreads: Object.fromEntries(threadRows.map((r) => [r.threads, median(r.harness)])),
      },
      {
        metric: `harness peak RSS (MB), ${cfg.spawn.threadAgents} exec agents`,
        higherIsBetter: false,
        byThreads: Object.fromEntries(threadRows.map((r) => [r.threads, median(r.harnessRssBytes) / MB])),
      },
    ],
  };
}
