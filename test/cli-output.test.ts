// Output for scripts and for people. `--json` puts the command's summary on stdout as JSON, one document per
// line, and nothing else there; `--quiet` leaves the closing line. The terminal summary colours its verdicts
// where colour is wanted (FORCE_COLOR, a colour terminal), never under NO_COLOR, never in files or JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../dist/lib/index.js';
import { paintFor, wantsColour } from '../lib/report/colour.js';
import { writeSyntheticRun } from './helpers/synthetic-run.js';
import { onlyRunDir, runDirs, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();

const ESC = '\u001b[';
const GREEN = (text: string): string => `${ESC}32m${text}${ESC}39m`;
const RED = (text: string): string => `${ESC}31m${text}${ESC}39m`;

/** The CLI with exactly these colour variables (none of the test machine's own). */
const withColourEnv = (args: string[], colour: { FORCE_COLOR?: string; NO_COLOR?: string }) =>
  stampede(args, { env: { CI: 'true', FORCE_COLOR: undefined, NO_COLOR: undefined, ...colour } });

const jsonLines = (stdout: string): unknown[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

/** A small passing run, recorded once and shared by the commands that read a run folder. */
let recorded: string | undefined;
async function passingRun(): Promise<string> {
  if (recorded) return recorded;
  const results = scratch('recorded');
  const run = await stampede([
    'run',
    'concurrent-creates',
    '--agents',
    '2',
    '--ops',
    '4',
    '--seed',
    '5',
    '--results',
    results,
  ]);
  expect(run.exitCode, run.stderr).toBe(0);
  recorded = onlyRunDir(results);
  return recorded;
}

describe('run output for scripts', () => {
  it('--json: one summary per run on stdout, nothing else there, never coloured; the last line on stderr', async () => {
    const run = await withColourEnv(
      [
        'run',
        'concurrent-creates',
        'unique-ids',
        '--agents',
        '2',
        '--ops',
        '5',
        '--seed',
        '3',
        '--json',
        '--results',
        scratch('json'),
      ],
      { FORCE_COLOR: '1' },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const summaries = run.stdout.split('\n').map((line) => JSON.parse(line) as Summary);
    expect(summaries.map((s) => [s.scenario, s.seed, s.verdict])).toEqual([
      ['concurrent-creates', 3, 'pass'],
      ['unique-ids', 3, 'pass'],
    ]);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^2 runs in [\d.]+ m?s: all as expected; exit 0$/);
    expect(run.stdout + run.stderr).not.toContain(ESC);
  });

  it('--quiet: no progress, no table, only the last line', async () => {
    const run = await stampede([
      'run',
      'concurrent-creates',
      '--agents',
      '2',
      '--ops',
      '5',
      '--quiet',
      '--results',
      scratch('quiet'),
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^1 run in [\d.]+ m?s: all as expected; exit 0$/);
  });
});

describe('repro, report, merge, hunt, matrix and shrink output for scripts', () => {
  it('repro --json: one summary per run on stdout, the tally line on stderr', async () => {
    const dir = await passingRun();
    const results = scratch('repro-json');
    const repro = await stampede(['repro', dir, '--repeat', '2', '--json', '--results', results]);
    expect(repro.exitCode, repro.stderr).toBe(0);
    const summaries = jsonLines(repro.stdout) as Summary[];
    expect(summaries.map((s) => [s.scenario, s.seed, s.verdict])).toEqual([
      ['concurrent-creates', 5, 'pass'],
      ['concurrent-creates', 5, 'pass'],
    ]);
    expect(summaries.map((s) => s.runDir).sort()).toEqual(runDirs(results));
    // Progress on stderr, then the closing line.
    expect(repro.stderr).toMatch(/concurrent-creates/);
    expect(repro.stderr.trimEnd().split('\n').at(-1)).toBe(`repro of ${dir} (seed 5): failed 0/2 (0%)`);
  });

  it('repro --quiet: no progress, no table, only the tally line', async () => {
    const dir = await passingRun();
    const repro = await stampede(['repro', dir, '--quiet', '--results', scratch('repro-quiet')]);
    expect(repro.exitCode, repro.stderr).toBe(0);
    expect(repro.stderr).toBe('');
    expect(repro.stdout).toBe(`repro of ${dir} (seed 5): failed 0/1 (0%)`);
  });

  it('report --json: the re-checked summary on stdout, the notes on stderr; --quiet: one line', async () => {
    const dir = await passingRun();
    const json = await stampede(['report', dir, '--json']);
    expect(json.exitCode, json.stderr).toBe(0);
    const [summary, ...rest] = jsonLines(json.stdout) as Summary[];
    expect(rest).toEqual([]);
    expect([summary?.scenario, summary?.seed, summary?.verdict, summary?.runDir]).toEqual([
      'concurrent-creates',
      5,
      'pass',
      dir,
    ]);
    expect(json.stderr).toMatch(/^ {2}wrote .*summary\.json/m);

    const quiet = await stampede(['report', dir, '--quiet']);
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(`PASS  concurrent-creates  seed 5  ${dir}: verdict unchanged`);
  });

  it('merge --json: the merged summary.json on stdout, the words on stderr', async () => {
    const dir = await passingRun();
    const out = scratch('merged');
    const merge = await stampede(['merge', dir, '--out', out, '--json']);
    expect(merge.exitCode, merge.stderr).toBe(0);
    const [merged, ...rest] = jsonLines(merge.stdout);
    expect(rest).toEqual([]);
    expect(merged).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(merge.stderr).toMatch(/^PASS {2}1 runs: 1 passed/);
  });

  it('hunt --json --quiet: each failing run on stdout as it is found; no status lines, the closing lines on stderr', async () => {
    const hunt = await stampede([
      'hunt',
      'unique-ids',
      '--fault',
      'counter-race',
      '--agents',
      '4',
      '--ops',
      '10',
      '--runs',
      '10',
      '--json',
      '--quiet',
      '--results',
      scratch('hunt'),
    ]);
    const summaries = jsonLines(hunt.stdout) as Summary[];
    // Whether a race shows in 10 runs is up to the OS; what is said about it is not.
    expect(hunt.exitCode, hunt.stderr).toBe(summaries.length > 0 ? 1 : 0);
    for (const s of summaries) expect([s.scenario, s.verdict]).toEqual(['unique-ids', 'fail']);
    expect(hunt.stderr).not.toMatch(/^hunt \d+s:/m);
    expect(hunt.stderr).toMatch(/^hunt stopped \((found a failure|run limit)\) after [\d.]+ s: \d+ runs/m);
    for (const s of summaries) expect(hunt.stderr).toContain(`  unique-ids seed ${s.seed}: ${s.replay}`);
  });

  it('matrix --json: { baseSeed, results, problems } on stdout, progress and the closing line on stderr', async () => {
    const matrix = await stampede([
      'matrix',
      '--fault',
      'torn-write',
      '--seeds',
      '1',
      '--base-seed',
      '7',
      '--json',
      '--results',
      scratch('matrix'),
    ]);
    const [doc, ...rest] = jsonLines(matrix.stdout) as { baseSeed: number; results: unknown[]; problems: string[] }[];
    expect(rest).toEqual([]);
    expect(doc?.baseSeed).toBe(7);
    expect(doc?.results).toHaveLength(1);
    expect(matrix.exitCode, matrix.stderr).toBe(doc?.problems.length === 0 ? 0 : 1);
    expect(matrix.stderr).toMatch(/^matrix: torn-write concurrent-creates seed \d+: (ok|MISS)/m);
    expect(matrix.stderr.trimEnd().split('\n').at(-1)).toMatch(
      doc?.problems.length === 0 ? /^matrix: all 1 rows met the bar \(base seed 7\)$/ : /^matrix: below the bar: /,
    );
  });

  it('matrix --quiet: no line per run and no table, only the closing line', async () => {
    const matrix = await stampede([
      'matrix',
      '--fault',
      'torn-write',
      '--seeds',
      '1',
      '--base-seed',
      '7',
      '--quiet',
      '--results',
      scratch('matrix-quiet'),
    ]);
    expect(matrix.stderr).toBe('');
    expect(matrix.stdout).toMatch(/^matrix: (all 1 rows met the bar \(base seed 7\)|below the bar: .*)$/);
  });

  it('shrink --json: shrink.json on stdout, the words on stderr', async () => {
    const dir = await passingRun();
    const shrink = await stampede(['shrink', dir, '--tries', '1', '--json', '--results', scratch('shrink')]);
    // A passing run has nothing to shrink: unknown, said in words on stderr.
    expect(shrink.exitCode, shrink.stderr).toBe(3);
    const [result, ...rest] = jsonLines(shrink.stdout);
    expect(rest).toEqual([]);
    expect(result).toEqual(JSON.parse(readFileSync(join(dir, 'shrink.json'), 'utf8')));
    expect(shrink.stderr).toMatch(/^shrink: measuring the original plan 1 times/m);
    expect(shrink.stderr).toMatch(/nothing to shrink/);
  });
});

describe('colour', () => {
  it('FORCE_COLOR=1 colours the verdicts of the terminal summary (not the files), columns still aligned', async () => {
    const results = scratch('colour');
    const run = await withColourEnv(
      ['run', 'concurrent-creates', '--agents', '2', '--ops', '4', '--seed', '5', '--results', results],
      { FORCE_COLOR: '1' },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.startsWith(`${GREEN('PASS')}  concurrent-creates  seed 5\n`)).toBe(true);
    expect(run.stdout).toContain(`  unique-ids      ${GREEN('pass')}     `);
    // The escapes take no room: without them, every check's verdict starts under the header's.
    const lines = stripVTControlCharacters(run.stdout).split('\n');
    const header = lines.findIndex((line) => /^ {2}check +verdict +found$/.test(line));
    const column = lines[header]?.indexOf('verdict') ?? -1;
    const rows = lines.slice(header + 1, lines.indexOf('', header));
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.slice(column, column + 5), row).toBe('pass ');
    for (const file of ['summary.md', 'junit.xml', 'summary.json', 'report.html'])
      expect(readFileSync(join(onlyRunDir(results), file), 'utf8'), file).not.toContain(ESC);
  });

  it('a failed verdict is red; NO_COLOR wins over FORCE_COLOR; a pipe gets none', async () => {
    // A run folder whose final state lost items: its re-check fails.
    const dir = join(scratch('synthetic'), 'run');
    writeSyntheticRun(dir, { agents: 2, opsPerAgent: 10, lostEvery: 3 });
    const red = await withColourEnv(['report', dir, '--quiet'], { FORCE_COLOR: '1' });
    expect(red.exitCode, red.stderr).toBe(1);
    expect(red.stdout.startsWith(`${RED('FAIL')}  synthetic-creates`)).toBe(true);
    const none = await withColourEnv(['report', dir], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(none.exitCode, none.stderr).toBe(1);
    expect(none.stdout).toMatch(/^FAIL {2}synthetic-creates/);
    expect(none.stdout).not.toContain(ESC);
    // A pipe with neither variable: plain.
    const piped = await stampede(['report', dir]);
    expect(piped.stdout).toMatch(/^FAIL {2}synthetic-creates/);
    expect(piped.stdout).not.toContain(ESC);
  });

  it('the rules: NO_COLOR (non-empty) first, then FORCE_COLOR (not 0 or false), then a colour terminal', () => {
    const pipe = { isTTY: false };
    const terminal = { isTTY: true, hasColors: () => true };
    expect(wantsColour(pipe, {})).toBe(false);
    expect(wantsColour(terminal, {})).toBe(true);
    expect(wantsColour(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(terminal, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(pipe, { FORCE_COLOR: 'true' })).toBe(true);
    expect(wantsColour(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColour(terminal, { FORCE_COLOR: 'false' })).toBe(false);
    expect(wantsColour(pipe, { FORCE_COLOR: '1', NO_COLOR: 'yes' })).toBe(false);
    const paint = paintFor(pipe, { FORCE_COLOR: '1' });
    expect([paint('pass', 'p'), paint('fail', 'f'), paint('unknown', 'u'), paint('error', 'e')]).toEqual([
      GREEN('p'),
      RED('f'),
      `${ESC}33mu${ESC}39m`,
      RED('e'),
    ]);
    expect(paintFor(pipe, {})('fail', 'f')).toBe('f');
  });
});
