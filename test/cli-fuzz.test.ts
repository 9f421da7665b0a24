// A deterministic fuzz of the CLI's argument handling. Many BAD argument vectors, for every command and
// every flag that takes a value, each given to the real compiled CLI (no shell), must all be answered the
// same way: exit 2, one line on stderr starting with `stampede: ` (or `stampede report: `, `stampede merge: `), no stack trace, nothing (or only that line)
// on stdout, no run folder left behind, done in bounded time, nothing left running.
//
// The generated vectors come from FUZZ_SEED through the harness's seeded stream (lib/plan/rng.ts), so a failing vector's id
// (`run#07`) names the same argv on every machine. Paths in the argv are written as placeholders, filled in
// when the vector runs: {work} is the vector's own scratch folder (also its cwd), {fx} the shared fixtures
// (bad run folders and scenario files made below), {run} a real run folder made once before the vectors.
// To try another seed: STAMPEDE_FUZZ_SEED=123 npx vitest run test/cli-fuzz.test.ts
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../dist/lib/plan/rng.js';
import { alive, onlyRunDir, ROOT, scratchDirs, stampede } from './helpers.js';

const FUZZ_SEED = Number(process.env.STAMPEDE_FUZZ_SEED ?? 0x5eedcafe) >>> 0;
/** How many vectors each generator makes (before de-duplication). */
const GENERATED = { top: 5, run: 24, hunt: 10, matrix: 8, repro: 8, shrink: 7, report: 6, merge: 8, list: 6 } as const;
const PROCESS_TIMEOUT_MS = 20_000;
const CONCURRENCY = 3;

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness: the harness's own seeded stream (lib/plan/rng.ts), the same sequence everywhere.

// ---------------------------------------------------------------------------------------------------------
// Bad values, by the kind of value a flag takes. Every one is refused by the parser (or, for the `semantic`
// ones, by the command before anything starts). Values the parser accepts on purpose are left out: a number
// with spaces around it (`' 5'` is 5), a duration float that rounds to at least 1 ms (`1.5` is 2 ms), an
// empty or all-commas --reporter (the default: all), an empty --results (the cwd).

const BAD = {
  int: (max: number): string[] => [
    '',
    '0',
    '00',
    '-1',
    '-7',
    '1.5',
    '0.5',
    'abc',
    '1e3',
    '0x10',
    '+3',
    '1 0',
    '1,000',
    '1_000',
    'Infinity',
    'NaN',
    '\u0663',
    String(max + 1),
    '9007199254740993',
    '1e309',
    '99999999999999999999',
  ],
  seed: [
    '',
    '-1',
    '1.5',
    'abc',
    '0x1ffffffff',
    '0x100000000',
    '4294967296',
    '9007199254740993',
    '1e309',
    '0x',
    '0xg1',
    '1 2',
    '-0x1',
    '0b101',
    'Infinity',
  ],
  /** A duration whose bare number is ms (--timeout, --run-timeout). */
  msDuration: [
    '',
    '0',
    '0ms',
    '0.4',
    '-5',
    '-5s',
    '5x',
    '10 s',
    '1.5.2',
    'ms',
    '.5s',
    '25d',
    '1sec',
    '3000000000',
    '2147483648',
    '3000000s',
    '600h',
    '35792m',
    '1e309',
    '9007199254740993',
    'abc',
    '1h30m',
  ],
  /** A duration whose bare number is seconds (hunt --time-limit). */
  sDuration: [
    '',
    '0',
    '0s',
    '0.0004',
    '-1',
    '5x',
    '10 s',
    '3000000',
    '600h',
    '1e309',
    '9007199254740993',
    'abc',
    '2 h',
    '1d',
  ],
  shard: [
    '0/2',
    '3/2',
    'a/b',
    '1/0',
    '0/0',
    '1/1001',
    '1/2/3',
    '-1/2',
    '1.5/2',
    '',
    '/2',
    '1/',
    '1 /2',
    '1\\2',
    '9007199254740993/9007199254740993',
    '1e309/2',
  ],
  fault: ['Bad Name', '', '-kill', 'KILL', 'kill!', 'a_b', ' kill', 'kill,restart', 'no-lock ', '\u00fcn\u00efcode'],
  param: ['novalue', '=x', '', '1a=2', 'a b=1', '-k=1', '.k=1', ' =1'],
  spawner: ['rocket', '', 'Native', 'auto ', 'node,native', 'NODE', 'posix_spawn'],
  reporter: ['nope', 'html,nope', 'HTML', 'html junit', 'json;junit', 'xml', 'html,,nope'],
  /** A --results that cannot hold a run folder. */
  results: ['{fx}/file.txt', '{fx}/file.txt/sub'],
  /** Well-formed, but wrong for the scenario: refused by the command before any agent starts (run and hunt). */
  semantic: {
    fault: ['no-such-fault', 'kill-all'],
    param: ['nokey=1', 'break=setup'],
    // More than any default-suite scenario's agents (and than the fillers' --agents 2).
    threads: ['11', '33', '64'],
    // One scenario, one repeat: a single unit to shard.
    shard: ['2/2', '5/7', '1000/1000'],
  },
};

/** Scenario refs that are not scenarios: unknown names (near misses included) and paths to non-scenarios. */
const BAD_SCENARIOS = [
  'nope',
  'Concurrent-Creates',
  'concurrent_creates',
  'concurrent-creates.js',
  'batch-ops ',
  '',
  ' ',
  '../nope',
  'nope.ts',
  '{fx}/missing.ts',
  '{fx}/empty',
  '{fx}/file.txt',
  '{fx}/not-a-scenario.mjs',
  '{fx}/syntax-error.mjs',
  '{fx}/throws.mjs',
];
/** Matrix files that are not matrices. */
const BAD_MATRICES = [
  '{fx}/missing.ts',
  'nope.ts',
  '{fx}/file.txt',
  '{fx}/empty',
  '{fx}/not-a-scenario.mjs',
  '{fx}/not-a-matrix.mjs',
  '{fx}/syntax-error.mjs',
  '{fx}/throws.mjs',
];
/** Folders whose plan.json is not a usable plan (made below). */
const PLAN_FIXTURES = [
  'plan-null',
  'plan-array',
  'plan-garbage',
  'plan-format2',
  'plan-no-source',
  'plan-source-number',
  'plan-unknown-scenario',
  'plan-bare',
  'plan-is-dir',
];
/** Run-dir arguments that are not run folders (made under {fx} below, or missing). */
const BAD_RUN_DIRS = [
  '{fx}/nope',
  '{fx}/file.txt',
  '{fx}/empty',
  '',
  'results',
  ...PLAN_FIXTURES.map((name) => `{fx}/${name}`),
];
/**
 * report rebuilds a run that has a well-formed plan.json and no summary.json from the built-in checkers (a
 * crashed run), even when its scenario is gone: so that folder is a valid input for report, not a bad one.
 */
const BAD_REPORT_DIRS = BAD_RUN_DIRS.filter((d) => d !== '{fx}/plan-unknown-scenario');
/** Folders merge must refuse (merge reads every folder's summary.json, so a plan alone is a valid input there). */
const BAD_MERGE_DIRS = ['{fx}/nope', '{fx}/file.txt', '{fx}/empty', '{fx}/dangling', '{fx}/plan-is-dir/plan.json'];

const SUITE = readdirSync(join(ROOT, 'dist', 'stress'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3))
  .sort();

// ---------------------------------------------------------------------------------------------------------
// Generators, one per command. Each vector has exactly one thing wrong with it; the rest is valid.

interface Vector {
  id: string;
  argv: string[];
}

interface FlagSpec {
  flag: string;
  bad: readonly string[];
  /** Refused by the command rather than the parser (needs the valid base around it). */
  semantic?: readonly string[];
}

interface CommandSpec {
  name: keyof typeof GENERATED;
  flags: FlagSpec[];
  booleans: string[];
  /** Valid positionals. */
  base: (rng: Rng) => string[];
  /** Valid options always given (e.g. merge's required --out, --results into the scratch folder), unless the fuzzed flag is one of them. */
  baseOptions: string[][];
  /** Valid options mixed in at random. */
  fillers: string[][];
  /** Positionals that are wrong (unknown, missing, too many). */
  badPositionals: (rng: Rng) => string[];
}

const RESULTS = ['--results', '{work}/results'];
const suiteRef = (rng: Rng): string => rng.pick(SUITE);
const scenarioPositionals = (rng: Rng): string[] => {
  const bad = rng.pick(BAD_SCENARIOS);
  return rng.pick([[bad], [suiteRef(rng), bad], [bad, suiteRef(rng)]]);
};
const runDirPositionals =
  (dirs: readonly string[]) =>
  (rng: Rng): string[] =>
    rng.pick([[rng.pick(dirs)], [rng.pick(dirs)], ['{run}', 'extra'], []]);

const COMMANDS: CommandSpec[] = [
  {
    name: 'run',
    flags: [
      { flag: '--seed', bad: BAD.seed },
      { flag: '--agents', bad: BAD.int(4096) },
      { flag: '--ops', bad: BAD.int(10_000_000) },
      { flag: '--timeout', bad: BAD.msDuration },
      { flag: '--run-timeout', bad: BAD.msDuration },
      { flag: '--fault', bad: BAD.fault, semantic: BAD.semantic.fault },
      { flag: '--param', bad: BAD.param, semantic: BAD.semantic.param },
      { flag: '--threads', bad: BAD.int(64), semantic: BAD.semantic.threads },
      { flag: '--spawner', bad: BAD.spawner },
      { flag: '--repeat', bad: BAD.int(100_000) },
      { flag: '--reporter', bad: BAD.reporter },
      { flag: '--shard', bad: BAD.shard, semantic: BAD.semantic.shard },
      { flag: '--results', bad: BAD.results },
    ],
    booleans: ['--json', '--quiet'],
    base: (rng) => [suiteRef(rng)],
    baseOptions: [RESULTS],
    fillers: [
      ['--seed', '7'],
      ['--agents', '2'],
      ['--ops', '3'],
      ['--repeat', '1'],
      ['--reporter', 'json'],
      ['--spawner', 'node'],
      ['--timeout', '30s'],
      ['--run-timeout', '2m'],
    ],
    badPositionals: scenarioPositionals,
  },
  {
    name: 'hunt',
    flags: [
      { flag: '--runs', bad: BAD.int(100_000) },
      { flag: '--time-limit', bad: BAD.sDuration },
      { flag: '--parallel', bad: BAD.int(64) },
      { flag: '--agents', bad: BAD.int(4096) },
      { flag: '--ops', bad: BAD.int(10_000_000) },
      { flag: '--timeout', bad: BAD.msDuration },
      { flag: '--fault', bad: BAD.fault, semantic: BAD.semantic.fault },
      { flag: '--threads', bad: BAD.int(64), semantic: BAD.semantic.threads },
      { flag: '--results', bad: BAD.results },
    ],
    booleans: ['--keep-going', '--json', '--quiet'],
    base: (rng) => [suiteRef(rng)],
    // At most one run, should a vector ever be accepted.
    baseOptions: [['--runs', '1'], RESULTS],
    fillers: [
      ['--time-limit', '30s'],
      ['--parallel', '2'],
      ['--keep-going'],
      ['--agents', '2'],
      ['--ops', '3'],
      ['--timeout', '5s'],
    ],
    badPositionals: scenarioPositionals,
  },
  {
    name: 'matrix',
    flags: [
      { flag: '--seeds', bad: BAD.int(100_000) },
      { flag: '--correct-runs', bad: BAD.int(100_000) },
      { flag: '--base-seed', bad: BAD.seed },
      { flag: '--fault', bad: BAD.fault },
      { flag: '--results', bad: BAD.results },
    ],
    booleans: ['--json', '--quiet'],
    base: () => [],
    baseOptions: [['--seeds', '1'], ['--correct-runs', '1'], RESULTS],
    fillers: [['--base-seed', '3']],
    badPositionals: (rng) =>
      rng.pick([[rng.pick(BAD_MATRICES)], [rng.pick(BAD_MATRICES)], ['{fx}/missing.ts', 'extra']]),
  },
  {
    name: 'repro',
    flags: [
      { flag: '--repeat', bad: BAD.int(100_000) },
      { flag: '--results', bad: BAD.results },
    ],
    booleans: ['--json', '--quiet'],
    base: () => ['{run}'],
    baseOptions: [RESULTS],
    fillers: [['--repeat', '1']],
    badPositionals: runDirPositionals(BAD_RUN_DIRS),
  },
  {
    name: 'shrink',
    flags: [
      { flag: '--tries', bad: BAD.int(100_000) },
      { flag: '--results', bad: BAD.results },
    ],
    booleans: ['--json', '--quiet'],
    base: () => ['{run}'],
    baseOptions: [['--tries', '1'], RESULTS],
    fillers: [],
    badPositionals: runDirPositionals(BAD_RUN_DIRS),
  },
  {
    name: 'report',
    flags: [{ flag: '--reporter', bad: BAD.reporter }],
    booleans: ['--json', '--quiet'],
    base: () => ['{run}'],
    baseOptions: [],
    fillers: [['--reporter', 'json']],
    badPositionals: runDirPositionals(BAD_REPORT_DIRS),
  },
  {
    name: 'merge',
    flags: [
      { flag: '--out', bad: ['{fx}/file.txt', '{fx}/file.txt/sub'] },
      { flag: '--reporter', bad: BAD.reporter },
    ],
    booleans: ['--json'],
    base: () => ['{run}'],
    baseOptions: [['--out', '{work}/out']],
    fillers: [['--reporter', 'json']],
    badPositionals: (rng) => rng.pick([[rng.pick(BAD_MERGE_DIRS)], ['{run}', rng.pick(BAD_MERGE_DIRS)], []]),
  },
  {
    name: 'list',
    flags: [],
    booleans: ['--faults'],
    base: (rng) => (rng.chance(0.5) ? [suiteRef(rng)] : []),
    baseOptions: [],
    fillers: [['--faults']],
    badPositionals: scenarioPositionals,
  },
];

/** Flags of other commands (with a plausible value), to give a command one it does not have. */
function unknownFlags(spec: CommandSpec): string[][] {
  const own = new Set([...spec.flags.map((f) => f.flag), ...spec.booleans]);
  const foreign = new Map<string, string[]>();
  for (const other of COMMANDS) {
    for (const f of other.flags) if (!own.has(f.flag)) foreign.set(f.flag, [f.flag, '1']);
    for (const b of other.booleans) if (!own.has(b)) foreign.set(b, [b]);
  }
  return [
    ['--nope'],
    ['-x'],
    ['--no-such-flag=1'],
    ['--AGENTS', '2'],
    ['--agent', '2'],
    ['---seed', '1'],
    ...foreign.values(),
  ];
}

function generateFor(spec: CommandSpec, rng: Rng): string[] {
  const kinds: Array<'value' | 'semantic' | 'missing' | 'unknown' | 'positional' | 'boolean'> = [];
  if (spec.flags.length > 0) kinds.push('value', 'value', 'value', 'value', 'missing');
  if (spec.flags.some((f) => f.semantic)) kinds.push('semantic');
  if (spec.booleans.length > 0) kinds.push('boolean');
  kinds.push('unknown', 'positional', 'positional');
  const kind = rng.pick(kinds);

  let positionals = spec.base(rng);
  let bad: string[] = [];
  let badLast = false;
  let fuzzed = '';
  switch (kind) {
    case 'value': {
      const f = rng.pick(spec.flags);
      const value = rng.pick(f.bad);
      fuzzed = f.flag;
      bad = rng.chance(0.3) ? [`${f.flag}=${value}`] : [f.flag, value];
      break;
    }
    case 'semantic': {
      const f = rng.pick(spec.flags.filter((g) => g.semantic));
      fuzzed = f.flag;
      bad = [f.flag, rng.pick(f.semantic as readonly string[])];
      break;
    }
    case 'missing': {
      const f = rng.pick(spec.flags);
      fuzzed = f.flag;
      bad = [f.flag];
      badLast = true;
      break;
    }
    case 'unknown':
      bad = rng.pick(unknownFlags(spec));
      break;
    case 'boolean':
      bad = [`${rng.pick(spec.booleans)}=${rng.pick(['1', 'yes', 'false', ''])}`];
      break;
    case 'positional':
      positionals = spec.badPositionals(rng);
      break;
  }
  const options = spec.baseOptions.filter((o) => o[0] !== fuzzed);
  const fillers = rng
    .shuffle(spec.fillers.filter((o) => o[0] !== fuzzed && !options.some((b) => b[0] === o[0])))
    .slice(0, Math.floor(rng.float() * 3));
  const blocks = rng.shuffle([positionals, ...options, ...fillers, ...(badLast ? [] : [bad])]);
  return [spec.name, ...blocks.flat(), ...(badLast ? bad : [])];
}

/** Unknown subcommands: near misses of the real ones. */
function generateTop(rng: Rng): string[] {
  const real = [...COMMANDS.map((c) => c.name as string), 'help'];
  for (;;) {
    const word = [...rng.pick(real)];
    const at = Math.floor(rng.float() * word.length);
    switch (rng.pick(['drop', 'double', 'swap', 'upper', 'append'])) {
      case 'drop':
        word.splice(at, 1);
        break;
      case 'double':
        word.splice(at, 0, word[at] as string);
        break;
      case 'swap':
        if (at + 1 < word.length) [word[at], word[at + 1]] = [word[at + 1] as string, word[at] as string];
        break;
      case 'upper':
        word[at] = (word[at] as string).toUpperCase();
        break;
      case 'append':
        word.push(rng.pick(['s', '2', '-', '!']));
        break;
    }
    const name = word.join('');
    if (!real.includes(name)) return [name, ...(rng.chance(0.5) ? [suiteRef(rng)] : [])];
  }
}

function generated(): Vector[] {
  const rng = createRng(FUZZ_SEED);
  const out: Vector[] = [];
  for (let i = 0; i < GENERATED.top; i++) out.push({ id: `top#${String(i).padStart(2, '0')}`, argv: generateTop(rng) });
  for (const spec of COMMANDS) {
    for (let i = 0; i < GENERATED[spec.name]; i++)
      out.push({ id: `${spec.name}#${String(i).padStart(2, '0')}`, argv: generateFor(spec, rng) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Hand-written vectors: the cases named in the README and the ones a person is likely to type.

const R = RESULTS;
const HAND_WRITTEN: string[][] = [
  // No such command.
  ['nope'],
  ['runn', 'concurrent-creates'],
  ['RUN'],
  [''],
  ['-'],
  ['--nope'],
  ['-x', 'run'],
  // run: values out of bounds or malformed.
  ['run', 'concurrent-creates', '--time-limit', '5x', ...R],
  ['run', 'concurrent-creates', '--timeout', '3000000000', ...R],
  ['run', 'concurrent-creates', '--run-timeout', '30d', ...R],
  ['run', 'concurrent-creates', '--shard', '0/2', ...R],
  ['run', 'concurrent-creates', '--shard', '3/2', ...R],
  ['run', 'concurrent-creates', '--shard', 'a/b', ...R],
  ['run', 'concurrent-creates', '--seed', '0x1ffffffff', ...R],
  ['run', 'concurrent-creates', '--seed', '-1', ...R],
  ['run', 'concurrent-creates', '--param', 'novalue', ...R],
  ['run', 'concurrent-creates', '--param', '=x', ...R],
  ['run', 'concurrent-creates', '--fault', 'Bad Name', ...R],
  ['run', 'concurrent-creates', '--reporter', 'nope', ...R],
  ['run', 'concurrent-creates', '--spawner', 'rocket', ...R],
  ['run', 'concurrent-creates', ...R, '--agents'],
  ['run', 'concurrent-creates', '--agents', '9007199254740993', ...R],
  ['run', 'concurrent-creates', '--agents', '1e309', ...R],
  ['run', 'concurrent-creates', '--ops', '0', ...R],
  ['run', 'concurrent-creates', '--repeat', '0', ...R],
  ['run', 'concurrent-creates', '--threads', '-1', ...R],
  // run: well-formed, refused before any agent starts.
  ['run', 'concurrent-creates', '--fault', 'no-such-fault', ...R],
  ['run', 'concurrent-creates', '--param', 'nokey=1', ...R],
  ['run', 'concurrent-creates', '--threads', '9', ...R],
  ['run', 'concurrent-creates', '--shard', '2/2', ...R],
  ['run', 'concurrent-creates', '--agents', '4096', '--ops', '10000000', ...R],
  ['run', 'concurrent-creates', '--results', '{fx}/file.txt'],
  ['run', 'concurrent-creates', '--results', '{fx}/file.txt/sub'],
  ['run', ...R], // a bare run outside stampede's checkout
  ['run', 'nope', ...R],
  ['run', 'concurrent-creates', 'nope', ...R],
  ['run', '{fx}/missing.ts', ...R],
  ['run', '{fx}/not-a-scenario.mjs', ...R],
  ['run', '{fx}/syntax-error.mjs', ...R],
  // hunt
  ['hunt', 'concurrent-creates', '--time-limit', '5x', ...R],
  ['hunt', 'concurrent-creates', '--time-limit', '0', ...R],
  ['hunt', 'concurrent-creates', '--runs', '0', ...R],
  ['hunt', 'concurrent-creates', '--parallel', '65', ...R],
  ['hunt', 'concurrent-creates', '--keep-going=yes', ...R],
  ['hunt', 'nope', ...R],
  ['hunt', 'concurrent-creates', '--fault', 'no-such-fault', '--runs', '1', ...R],
  ['hunt', 'concurrent-creates', '--threads', '9', '--runs', '1', ...R],
  ['hunt', 'concurrent-creates', '--results', '{fx}/file.txt', '--runs', '1'],
  // matrix
  ['matrix', '{fx}/missing.ts', ...R],
  ['matrix', '{fx}/not-a-matrix.mjs', ...R],
  ['matrix', '{fx}/missing.ts', 'extra', ...R],
  ['matrix', '--seeds', '0', ...R],
  ['matrix', '--correct-runs', '-1', ...R],
  ['matrix', '--base-seed', '0x1ffffffff', ...R],
  ['matrix', '--fault', 'no-such-fault', ...R],
  ['matrix', '--results', '{fx}/file.txt', '--seeds', '1', '--correct-runs', '1'],
  // repro
  ['repro'],
  ['repro', '{fx}/nope', ...R],
  ['repro', '{fx}/file.txt', ...R],
  ['repro', '{fx}/empty', ...R],
  ...PLAN_FIXTURES.map((name) => ['repro', `{fx}/${name}`, ...R]),
  ['repro', '{run}', '--repeat', '0', ...R],
  ['repro', '{run}', '--results', '{fx}/file.txt'],
  // shrink
  ['shrink'],
  ['shrink', '{fx}/nope', ...R],
  ['shrink', '{fx}/file.txt', ...R],
  ['shrink', '{fx}/plan-null', ...R],
  ['shrink', '{fx}/plan-no-source', ...R],
  ['shrink', '{fx}/plan-source-number', ...R],
  ['shrink', '{run}', '--tries', '0', ...R],
  ['shrink', '{run}', '--results', '{fx}/file.txt', '--tries', '1'],
  // report
  ['report'],
  ['report', '{fx}/nope'],
  ['report', '{fx}/file.txt'],
  ['report', '{fx}/empty'],
  ['report', '{fx}/plan-is-dir'],
  ['report', '{run}', '--reporter', 'nope'],
  ['report', '{run}', 'extra'],
  // merge
  ['merge', '{fx}/nope'],
  ['merge', '--out', '{work}/out'],
  ['merge', '{fx}/nope', '--out', '{work}/out'],
  ['merge', '{fx}/empty', '--out', '{work}/out'],
  ['merge', '{fx}/file.txt', '--out', '{work}/out'],
  ['merge', '{fx}/dangling', '--out', '{work}/out'],
  ['merge', '{run}', '--out', '{fx}/file.txt'],
  ['merge', '{run}', '--out'],
  ['merge', '{run}', '--out', '{work}/out', '--reporter', 'nope'],
  // list
  ['list', 'nope'],
  ['list', '--faults', 'nope'],
  ['list', '--faults=yes'],
  ['list', '--agents', '3'],
  ['list', 'concurrent-creates', '{fx}/missing.ts'],
];

function allVectors(): Vector[] {
  const vectors = [
    ...HAND_WRITTEN.map((argv, i) => ({ id: `hand#${String(i).padStart(3, '0')}`, argv })),
    ...generated(),
  ];
  const seen = new Set<string>();
  return vectors.filter((v) => {
    const key = JSON.stringify(v.argv);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures: bad run folders and scenario/matrix files, in a scratch folder; and one real run folder.

const scratch = scratchDirs();
const FX = scratch('cli-fuzz');
const WORK_ROOT = join(FX, 'work');
let RUN_DIR = '';

function makeFixtures(): void {
  mkdirSync(WORK_ROOT);
  writeFileSync(join(FX, 'file.txt'), 'not a folder\n');
  mkdirSync(join(FX, 'empty'));
  const plans: Record<string, string> = {
    'plan-null': 'null',
    'plan-array': '[]',
    'plan-garbage': '{not json',
    'plan-format2': '{"format":2}',
    'plan-no-source': '{"format":1}',
    'plan-source-number': '{"format":1,"scenarioSource":5}',
    'plan-unknown-scenario':
      '{"format":1,"scenario":"x","seed":1,"agents":[],"options":{},"scenarioSource":"no-such-scenario"}',
    'plan-bare': '{"format":1,"scenarioSource":"concurrent-creates"}',
  };
  for (const [name, text] of Object.entries(plans)) {
    mkdirSync(join(FX, name));
    writeFileSync(join(FX, name, 'plan.json'), text);
  }
  mkdirSync(join(FX, 'plan-is-dir', 'plan.json'), { recursive: true });
  mkdirSync(join(FX, 'dangling'));
  symlinkSync(join(FX, 'no-such-target'), join(FX, 'dangling', 'link'));
  writeFileSync(join(FX, 'not-a-scenario.mjs'), 'export const answer = 42;\n');
  writeFileSync(join(FX, 'not-a-matrix.mjs'), 'export default { faultRows: 3 };\n');
  writeFileSync(join(FX, 'syntax-error.mjs'), 'export default {\n');
  writeFileSync(join(FX, 'throws.mjs'), "throw new Error('thrown while loading');\n");
}
makeFixtures();

/** Everything under {fx} but the vectors' own folders: the shared fixtures must come out as they went in. */
function fixtureListing(): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (rel === '' && entry.name === 'work') continue;
      out.push(`${rel}${entry.name}${entry.isDirectory() ? '/' : ''}`);
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}${entry.name}/`);
    }
  };
  walk(FX, '');
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------------
// Running one vector, and the one assertion helper.

interface Outcome {
  argv: string[];
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  cliAlive: boolean;
  /** `ps` lines of processes still running that name the vector's folder, or are the CLI's children. */
  survivors: string[];
  /** Whatever the vector left in its folder besides an empty results/ or out/. */
  leftovers: string[];
}

const fill = (argv: string[], work: string): string[] =>
  argv.map((a) => a.replaceAll('{work}', work).replaceAll('{fx}', FX).replaceAll('{run}', RUN_DIR));

function leftoversIn(work: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (depth === 0 && entry.isDirectory() && (entry.name === 'results' || entry.name === 'out')) walk(path, 1);
      else out.push(path.slice(work.length + 1) + (entry.isDirectory() ? '/' : ''));
    }
  };
  if (existsSync(work)) walk(work, 0);
  return out;
}

async function survivorsOf(work: string, pid: number | undefined): Promise<string[]> {
  const self = String(process.pid);
  let found: string[] = [];
  // Give a process that is on its way out a moment before calling it left over.
  for (let attempt = 0; attempt < 5; attempt++) {
    const ps = await execa('ps', ['-eo', 'pid,ppid,args'], { reject: false });
    found = ps.stdout
      .split('\n')
      .slice(1)
      .filter((line) => {
        const [p, ppid] = line.trim().split(/\s+/);
        return (
          p !== self &&
          !line.includes(' ps -eo ') &&
          (`${line} `.includes(`${work}/`) ||
            `${line} `.includes(`${work} `) ||
            (pid !== undefined && ppid === String(pid)))
        );
      });
    if (found.length === 0) return [];
    await new Promise((r) => setTimeout(r, 200));
  }
  // Left running by the vector's CLI: record them, then end them (by pid) so they do not disturb the rest.
  for (const line of found) {
    const p = Number(line.trim().split(/\s+/)[0]);
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return found;
}

async function runVector(v: Vector): Promise<Outcome> {
  const work = join(WORK_ROOT, v.id.replace('#', '-'));
  mkdirSync(work, { recursive: true });
  const argv = fill(v.argv, work);
  const started = performance.now();
  const child = stampede(argv, { cwd: work, timeout: PROCESS_TIMEOUT_MS, stdin: 'ignore' });
  const pid = child.pid;
  const result = await child;
  const ms = performance.now() - started;
  return {
    argv,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: Boolean(result.timedOut),
    ms,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    cliAlive: pid !== undefined && alive(pid),
    survivors: await survivorsOf(work, pid),
    leftovers: leftoversIn(work),
  };
}

/** Everything wrong with how the CLI answered a bad vector; empty when it answered as it must. */
function problemsWith(o: Outcome): string[] {
  const problems: string[] = [];
  if (o.timedOut) problems.push(`not done in ${PROCESS_TIMEOUT_MS / 1000} s (killed by the timeout)`);
  if (o.exitCode !== 2) problems.push(`exit code ${o.exitCode}${o.signal ? ` (${o.signal})` : ''}, not 2`);
  const lines = o.stderr.replace(/\n$/, '').split('\n');
  if (o.stderr.trim() === '') problems.push('nothing on stderr');
  else if (lines.length !== 1) problems.push(`${lines.length} lines on stderr, not 1`);
  // `report` and `merge` name themselves (`stampede report: ...`): they also run inside scripts of many commands.
  if (o.stderr.trim() !== '' && !/^stampede( report| merge)?: /.test(lines[0] as string))
    problems.push(`stderr does not start with "stampede: "`);
  if (/^\s+at /m.test(o.stderr) || /^\s+at /m.test(o.stdout)) problems.push('a stack trace');
  if (/internal error/.test(o.stderr + o.stdout)) problems.push('"internal error"');
  if (o.stdout.trim() !== '' && o.stdout.trim() !== o.stderr.trim()) problems.push('output on stdout');
  if (o.leftovers.length > 0) problems.push(`left behind: ${o.leftovers.slice(0, 5).join(', ')}`);
  if (o.cliAlive) problems.push('the CLI process is still alive');
  if (o.survivors.length > 0) problems.push(`left running: ${o.survivors.slice(0, 3).join(' | ')}`);
  return problems;
}

const quote = (arg: string): string => (/^[\w@%+=:,./{}#-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);
const shown = (argv: string[]): string => `stampede ${argv.map(quote).join(' ')}`;

// ---------------------------------------------------------------------------------------------------------

const VECTORS = allVectors();
const outcomes = new Map<string, Outcome | Error>();
let fixturesBefore: string[] = [];

describe(`CLI fuzz (seed ${FUZZ_SEED}, ${VECTORS.length} bad vectors)`, () => {
  beforeAll(async () => {
    // One real run folder, for repro/shrink/report/merge vectors whose only fault is a flag.
    const made = await stampede(
      [
        'run',
        'concurrent-creates',
        '--agents',
        '1',
        '--ops',
        '1',
        '--seed',
        '1',
        '--reporter',
        'json',
        '--results',
        join(FX, 'runs'),
      ],
      { timeout: 60_000 },
    );
    if (made.exitCode !== 0) throw new Error(`could not make the fixture run (exit ${made.exitCode}): ${made.stderr}`);
    RUN_DIR = onlyRunDir(join(FX, 'runs'));
    fixturesBefore = fixtureListing();
    const limit = pLimit(CONCURRENCY);
    await Promise.all(
      VECTORS.map((v) =>
        limit(async () => {
          try {
            outcomes.set(v.id, await runVector(v));
          } catch (error) {
            outcomes.set(v.id, error as Error);
          }
        }),
      ),
    );
  }, 175_000);

  afterAll(() => {
    if (existsSync(WORK_ROOT)) rmSync(WORK_ROOT, { recursive: true, force: true });
  });

  for (const v of VECTORS) {
    it(`${v.id}: ${shown(v.argv)}`, () => {
      const o = outcomes.get(v.id);
      if (o === undefined) throw new Error(`${v.id} did not run`);
      if (o instanceof Error) throw new Error(`${v.id}: ${shown(v.argv)}: the harness could not run it: ${o.message}`);
      const problems = problemsWith(o);
      const said = `${v.id}: ${shown(o.argv)}\n  wrong: ${problems.join('; ')}\n  exit ${o.exitCode} in ${Math.round(o.ms)} ms\n  stderr: ${o.stderr.slice(0, 600)}\n  stdout: ${o.stdout.slice(0, 300)}\n`;
      expect(problems, said).toEqual([]);
    });
  }

  it('leaves the shared fixtures (the real run folder included) as they were', () => {
    expect(fixtureListing()).toEqual(fixturesBefore);
  });
});
