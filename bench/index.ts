// `npm run bench`: the harness's own cost, measured against bare loops and the machine's limit, side by
// side in one run. Prints a Markdown table and writes it, with every measurement as JSON, to results/bench/.
//
//   npm run bench                        the full bench (10 to 20 minutes on a shared 2-core machine)
//   npm run bench -- --quick             smaller and fewer runs (about half); the 100 MB memory case is cut to 10 MB
//   npm run bench -- --only spawn,skew   some parts only: spawn, skew, session, memory, direct
//   npm run bench -- --repeats 5         rounds per throughput figure (default 3, quick 1)
//   npm run bench -- --out DIR           where to write (default results/bench)
//
// Every figure is a median over repeated runs, and ratios are taken within a round, because this kind of
// machine is shared and noisy. No figure here is a test assertion; the targets are reported, met or not.
// Exit code: 0 when the bench ran (whether or not the targets are met), 2 on a usage or measuring error.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { codeVersion } from '../lib/run/code-version.js';
import { createRng, freshSeed } from '../lib/plan/rng.js';
import type { HarnessCaseResult } from './cases/harness-case.js';
import { findOnPath, fmt, MB, note, ROOT } from './common.js';
import { benchConfig, type BenchConfig } from './config.js';
import { directSection } from './sections/direct.js';
import { memorySection } from './sections/memory.js';
import { sessionSection } from './sections/session.js';
import { skewSection } from './sections/skew.js';
import { compileSpawnLoop, spawnSection } from './sections/spawn.js';
import type { BenchContext, PoolMeasure, SectionResult } from './sections/types.js';

const SECTIONS = {
  spawn: spawnSection,
  skew: skewSection,
  session: sessionSection,
  memory: memorySection,
  direct: directSection,
} as const;
type SectionName = keyof typeof SECTIONS;
const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

interface Args {
  quick: boolean;
  only: SectionName[];
  repeats: number | undefined;
  out: string;
  seed: number;
}

function usage(message: string): never {
  process.stderr.write(
    `bench: ${message}\nusage: npm run bench -- [--quick] [--only ${SECTION_NAMES.join(',')}] [--repeats N] [--out DIR] [--seed N]\n`,
  );
  process.exit(2);
}

function parse(argv: string[]): Args {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        repeats: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const only = values.only === undefined ? SECTION_NAMES : values.only.split(',').map((s) => s.trim());
  for (const name of only)
    if (!SECTION_NAMES.includes(name as SectionName))
      usage(`unknown part ${JSON.stringify(name)}; known: ${SECTION_NAMES.join(', ')}`);
  const positive = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < 1)
      usage(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  return {
    quick: values.quick ?? false,
    only: only as SectionName[],
    repeats: positive('--repeats', values.repeats),
    out: resolve(values.out ?? join(ROOT, 'results', 'bench')),
    seed: positive('--seed', values.seed) ?? freshSeed(),
  };
}

function trueProgram(): string {
  for (const candidate of ['/bin/true', '/usr/bin/true']) if (existsSync(candidate)) return candidate;
  const found = findOnPath('true');
  if (!found)
    usage('no `true` program found (the spawn bench needs a no-op native program; it runs on Linux and macOS)');
  return found;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const cfg: BenchConfig = benchConfig(args.quick, args.repeats);
  const tmp = mkdtempSync(join(tmpdir(), 'stampede-bench-'));
  const began = new Date();
  const loadBefore = loadavg();
  const started = performance.now();
  try {
    const native = await compileSpawnLoop(tmp);
    if (!native.available) note(`no C limit: ${native.reason}`);
    const seeds = createRng(args.seed);
    const runsDir = join(tmp, 'runs');
    mkdirSync(runsDir);
    const ctx: BenchContext = {
      trueProgram: trueProgram(),
      native,
      runsDir,
      seed: () => seeds.int(0, 0xffffffff),
      expectPass(label: string, result: HarnessCaseResult) {
        if (result.verdict !== 'pass' || result.harnessError !== null) {
          throw new Error(
            `bench run ${label} did not pass (${result.verdict}${result.harnessError ? `, ${result.harnessError}` : ''}): ${result.failedChecks.join('; ')}`,
          );
        }
      },
    };
    const sections: SectionResult[] = [];
    for (const name of args.only) {
      const t0 = performance.now();
      sections.push(await SECTIONS[name](cfg, ctx));
      note(`${name}: done in ${fmt((performance.now() - t0) / 1000)} s`);
    }
    const code = await codeVersion();
    const machine = {
      node: process.version,
      libuv: process.versions.uv,
      platform: `${process.platform} ${release()} ${process.arch}`,
      cpus: cpus().length,
      availableParallelism: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(totalmem() / 1024 / MB),
      loadBefore,
      loadAfter: loadavg(),
      cCompiler: native.compiler,
    };
    const wallSeconds = (performance.now() - started) / 1000;
    const targets = sections.flatMap((s) => s.targets);
    const markdown = render({ began, wallSeconds, args, cfg, machine, code, sections, targets });
    process.stdout.write(markdown);
    mkdirSync(args.out, { recursive: true });
    const stamp = began
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const json = `${JSON.stringify({ format: 1, startedAt: began.toISOString(), wallSeconds, seed: args.seed, quick: args.quick, config: cfg, machine, code, targets, sections: sections.map(({ name, data, targets: t }) => ({ name, data, targets: t })) }, null, 2)}\n`;
    for (const base of ['latest', `bench-${stamp}`]) {
      writeFileSync(join(args.out, `${base}.md`), markdown);
      writeFileSync(join(args.out, `${base}.json`), json);
    }
    note(
      `wrote ${relative(process.cwd(), join(args.out, 'latest.md'))} and latest.json (and bench-${stamp}.*) in ${fmt(wallSeconds)} s`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function render(r: {
  began: Date;
  wallSeconds: number;
  args: Args;
  cfg: BenchConfig;
  machine: Record<string, unknown> & { loadBefore: number[]; loadAfter: number[] };
  code: { version: string; commit: string | null };
  sections: SectionResult[];
  targets: { name: string; met: boolean; measured: string }[];
}): string {
  const m = r.machine;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  const lines = [
    `## stampede bench${r.args.quick ? ' (--quick)' : ''}`,
    '',
    `${r.began.toISOString()}, ${fmt(r.wallSeconds)} s, bench seed ${r.args.seed}, stampede ${r.code.version}${r.code.commit ? ` @ ${r.code.commit.slice(0, 12)}` : ''}. ` +
      `Node ${m.node} (libuv ${m.libuv}), ${m.platform}, ${m.availableParallelism} cores (${m.cpuModel}), ${m.memoryGB} GB. ` +
      `Load average ${load(m.loadBefore)} before, ${load(m.loadAfter)} after: figures from a shared, noisy machine; read the ratios.`,
    '',
    `### Targets`,
    '',
    `| target | measured | met |`,
    `|---|---|---|`,
    ...r.targets.map((t) => `| ${t.name} | ${t.measured} | ${t.met ? 'yes' : '**NO**'} |`),
    '',
    r.targets.every((t) => t.met)
      ? 'Every target measured here is met.'
      : `Not met: ${r.targets
          .filter((t) => !t.met)
          .map((t) => t.name)
          .join('; ')}.`,
    '',
    ...poolSummary(r.sections),
    ...r.sections.flatMap((s) => [s.markdown, '']),
  ];
  return `${lines.join('\n')}\n`;
}

/** One table of every figure measured by pool size, and the size that wins most of them. */
function poolSummary(sections: SectionResult[]): string[] {
  const measures = sections.flatMap((s) => s.pool ?? []);
  if (measures.length === 0) return [];
  const sizes = [...new Set(measures.flatMap((m) => Object.keys(m.byThreads).map(Number)))].sort((a, b) => a - b);
  const wins = new Map<number, number>();
  const bestOf = (m: PoolMeasure): number => {
    const entries = Object.entries(m.byThreads).map(([t, v]) => [Number(t), v] as const);
    return entries.reduce((best, e) => ((m.higherIsBetter ? e[1] > best[1] : e[1] < best[1]) ? e : best))[0];
  };
  for (const m of measures) wins.set(bestOf(m), (wins.get(bestOf(m)) ?? 0) + 1);
  const winner = [...wins].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] as [number, number];
  return [
    `### Pool size (worker threads), by measurement`,
    '',
    `| measure | ${sizes.map((t) => `${t} thread${t === 1 ? '' : 's'}`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    ...measures.map((m) => {
      const best = bestOf(m);
      return `| ${m.metric} (${m.higherIsBetter ? 'higher' : 'lower'} is better) | ${sizes.map((t) => (m.byThreads[t] === undefined ? 'n/a' : t === best ? `**${fmt(m.byThreads[t])}**` : fmt(m.byThreads[t]))).join(' | ')} |`;
    }),
    '',
    `Best in ${winner[1]} of ${measures.length} measures: **${winner[0]} thread${winner[0] === 1 ? '' : 's'}** on this ${availableParallelism()}-core machine.`,
    '',
  ];
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
}
