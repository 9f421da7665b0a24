// Syscall count gates: the gate syntax, strace's table read back, and whole runs with real processes under
// real strace (exec agents on both spawners, session agents, a service): a fixture op that fsyncs exactly N
// times passes `fsync: '<= 1 per op'` at N=1 and is a budget miss naming every op at N=3, while the run's
// other checks see the same ops and outcomes. Where strace cannot count, the gates are skipped with one line
// and the run goes on.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { describe, expect, it } from 'vitest';
import { defineScenario, type CheckResult, type Summary } from '../dist/lib/index.js';
import { syscallsChecker } from '../dist/lib/syscalls/checker.js';
import { judgeFigure, parseGates } from '../dist/lib/syscalls/gates.js';
import { parseTable } from '../dist/lib/syscalls/parse-table.js';
import { straceFlags } from '../dist/lib/syscalls/strace-argv.js';
import { FIXTURES, onlyRunDir, readSummary, scratchDirs, stampede } from './helpers.js';

const tempDir = scratchDirs();
const STRACE = process.platform === 'linux' ? which.sync('strace', { nothrow: true }) : null;
const scenario = (kind: string): string => join(FIXTURES, `syscalls-${kind}-scenario.ts`);

function syscallsCheck(summary: Summary): CheckResult {
  const check = summary.checks.find((c) => c.name === 'syscalls');
  if (!check) throw new Error(`no syscalls check in ${summary.checks.map((c) => c.name).join(', ')}`);
  return check;
}

type GateRow = { kind: string; total: number; perOp?: number; maxPerOp?: number; overOps?: number; verdict: string };
const gateRow = (check: CheckResult, kind: string): GateRow =>
  (check.data?.gates as GateRow[]).find((g) => g.kind === kind) as GateRow;

/** The other checks passed: counting changed nothing of what the run checks. */
function othersPass(summary: Summary): void {
  for (const check of summary.checks.filter((c) => c.name !== 'syscalls'))
    expect(check.verdict, `${check.name}: ${check.details}`).toBe('pass');
  expect(summary.totals).toMatchObject({ attempted: summary.totals.ok, fail: 0, info: 0 });
}

describe('count gates as a scenario writes them', () => {
  it('reads a comparison and a number, per op or over the run; a family counts its variants', () => {
    const gates = parseGates({ fsync: '<= 2 per op', rename: '< 10', fdatasync: ' == 0 ', open: '>= 1.5 per op' });
    expect(gates.map((g) => [g.kind, g.comparison, g.limit, g.per])).toEqual([
      ['fsync', '<=', 2, 'op'],
      ['rename', '<', 10, 'run'],
      ['fdatasync', '==', 0, 'run'],
      ['open', '>=', 1.5, 'op'],
    ]);
    expect(gates[1]?.calls).toEqual(['rename', 'renameat', 'renameat2']);
    expect(gates[0]?.calls).toEqual(['fsync']);
  });

  it('refuses what is not a gate, naming each entry', () => {
    expect(() => parseGates({ fsync: 'at most 2', 'Rename!': '< 1', write: '<= -1 per op' })).toThrow(
      /fsync: "at most 2" is not a count gate.*"Rename!" is not a system call's name.*write: "<= -1 per op"/,
    );
  });

  it('defineScenario refuses malformed gates, and gates on client agents without a service', () => {
    const base = {
      name: 'x',
      description: 'x',
      target: { name: 't', client: { module: '/m.mjs' }, readState: () => null },
      agents: { count: 1, kind: 'client' as const },
      workload: { opsPerAgent: 1, generate: () => ({ f: 'a', value: null }) },
      checks: [{ name: 'c', description: 'c', check: () => ({ name: 'c', verdict: 'pass' as const, details: '' }) }],
    };
    expect(() => defineScenario({ ...base, syscalls: { fsync: 'lots' } })).toThrow(/syscalls: fsync: "lots"/);
    expect(() => defineScenario({ ...base, syscalls: { fsync: '<= 1 per op' } })).toThrow(
      /client agents run inside the harness: give the target a service/,
    );
  });

  it('a figure that is only a lower bound (counts lost) can break an upper limit or reach a lower one, never more', () => {
    const le = { comparison: '<=', limit: 2 } as const;
    const ge = { comparison: '>=', limit: 2 } as const;
    expect([judgeFigure(2, le, false), judgeFigure(3, le, false)]).toEqual(['pass', 'fail']);
    expect([judgeFigure(2, le, true), judgeFigure(3, le, true)]).toEqual(['unknown', 'fail']);
    expect([judgeFigure(2, ge, true), judgeFigure(1, ge, true)]).toEqual(['pass', 'unknown']);
    expect(judgeFigure(3, { comparison: '==', limit: 2 }, true)).toBe('fail');
  });

  it("asks strace for a family's variants as optional calls, and always for execve (the whole-table mark)", () => {
    const flags = straceFlags(parseGates({ fsync: '<= 1 per op', rename: '<= 1 per op', renameat: '< 5' }), true);
    expect(flags).toContain('--seccomp-bpf');
    expect(flags.at(-1)).toBe('trace=execve,fsync,renameat,?rename,?renameat2');
  });
});

describe("strace's summary table read back", () => {
  const TABLE = [
    '% time     seconds  usecs/call     calls    errors syscall',
    '------ ----------- ----------- --------- --------- ----------------',
    ' 93.35    0.001024         341         3           fsync',
    '  6.65    0.000073          24         1         1 execve',
    '------ ----------- ----------- --------- --------- ----------------',
    '100.00    0.001097         182         4         1 total',
  ].join('\n');

  it('reads the calls column, blank errors cells included; two personalities add up', () => {
    expect(parseTable(TABLE)).toEqual({ fsync: 3, execve: 1 });
    expect(parseTable(`${TABLE}\nSystem call usage summary for 32 bit mode:\n${TABLE}\n`)).toEqual({
      fsync: 6,
      execve: 2,
    });
  });

  it('a file without a whole table is no count: empty (strace killed), cut short, or without execve', () => {
    expect(parseTable('')).toBeNull();
    expect(parseTable(TABLE.split('\n').slice(0, 4).join('\n'))).toBeNull();
    expect(parseTable(TABLE.replace(/execve/, 'openat'))).toBeNull();
  });

  it.skipIf(!STRACE)('reads the table of a real strace run over a Node process that fsyncs twice', async () => {
    const dir = tempDir('syscalls-table');
    const table = join(dir, 'table.txt');
    const script = `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(join(dir, 'f'))},'w');fs.fsyncSync(fd);fs.fsyncSync(fd)`;
    const flags = straceFlags(parseGates({ fsync: '<= 2 per op' }), false);
    const done = await execa(STRACE as string, [...flags, '-o', table, '--', process.execPath, '-e', script]);
    expect(done.exitCode).toBe(0);
    expect(parseTable(readFileSync(table, 'utf8'))).toEqual({ execve: 1, fsync: 2 });
  });
});

describe('the syscalls check over a folder of tables', () => {
  /** A table as strace -c writes it. */
  const table = (calls: Record<string, number>): string =>
    [
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ...Object.entries(calls).map(
        ([name, n]) => `  0.00    0.000000           0 ${String(n).padStart(9)}           ${name}`,
      ),
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000000           0         0           total',
    ].join('\n');

  /** Tables written to a fresh folder (an empty file: strace killed before writing), then checked. */
  function check(
    files: Record<string, Record<string, number> | null>,
    shape: { agentKind: 'exec' | 'session' | 'client'; hasService: boolean },
    gates: Record<string, string>,
    run: { attempted: number; processes?: number; restarts?: number },
  ): CheckResult {
    const dir = tempDir('syscalls-tables');
    for (const [name, calls] of Object.entries(files)) writeFileSync(join(dir, name), calls ? table(calls) : '');
    const input = {
      counters: [{ agent: 0, attempted: run.attempted, ok: run.attempted, fail: 0, info: 0 }],
      health: [{ agent: 0, processes: run.processes ?? run.attempted }],
      service: shape.hasService ? { started: true, restarts: run.restarts ?? 0 } : null,
      maxUnknownRatio: 0.5,
    };
    const checker = syscallsChecker(parseGates(gates), { dir, ...shape });
    return checker.check(input as unknown as Parameters<typeof checker.check>[0]);
  }

  it('exec: an op whose table was lost is an unknown op; past maxUnknownRatio of them, the verdict is unknown', () => {
    const files = { 'a0.op0.txt': { execve: 1, fsync: 1 }, 'a0.op1.txt': { execve: 1, fsync: 1 }, 'a0.op2.txt': null };
    const few = check(files, { agentKind: 'exec', hasService: false }, { fsync: '<= 1 per op' }, { attempted: 3 });
    expect(few.verdict).toBe('pass');
    expect(few.details).toContain('1 op not counted');
    expect(few.data?.tables).toEqual({ agents: 2, service: 0, broken: 1 });
    const many = check(files, { agentKind: 'exec', hasService: false }, { fsync: '<= 1 per op' }, { attempted: 8 });
    expect(many.verdict).toBe('unknown');
  });

  it('session: a lost process makes the figure a lower bound, which can fail an upper limit but not pass it', () => {
    const files = { 'a0.p0.txt': { execve: 1, fsync: 4 }, 'a0.p1.txt': null };
    const shape = { agentKind: 'session', hasService: false } as const;
    const run = { attempted: 4, processes: 2 };
    expect(check(files, shape, { fsync: '<= 1 per op' }, run).verdict).toBe('unknown');
    expect(check(files, shape, { fsync: '< 1 per op' }, run).verdict).toBe('fail');
    expect(check(files, shape, { fsync: '>= 1 per op' }, run).verdict).toBe('pass');
  });

  it('a service restarted (its first life lost) over client agents; the run total and per op', () => {
    const files = { 'service.0.txt': null, 'service.1.txt': { execve: 1, fsync: 6 } };
    const shape = { agentKind: 'client', hasService: true } as const;
    const result = check(files, shape, { fsync: '<= 3 per op', fdatasync: '== 0' }, { attempted: 3, restarts: 1 });
    expect(result.verdict).toBe('unknown');
    expect(gateRow(result, 'fsync')).toMatchObject({ total: 6, perOp: 2, verdict: 'unknown' });
    expect(result.details).toContain('1 service life not counted');
    const over = check(files, shape, { fsync: '<= 1 per op' }, { attempted: 3, restarts: 1 });
    expect(over).toMatchObject({ verdict: 'fail', kind: 'budget' });
    expect(over.findings?.[0]).toMatchObject({ kind: 'budget', label: 'fsync: 2 calls per op, budget <= 1 per op' });
  });

  it('exec with a lower limit: the op with the fewest calls is the one named', () => {
    const files = { 'a0.op0.txt': { execve: 1, fsync: 2 }, 'a0.op1.txt': { execve: 1 } };
    const result = check(files, { agentKind: 'exec', hasService: false }, { fsync: '>= 1 per op' }, { attempted: 2 });
    expect(result.verdict).toBe('fail');
    expect(result.details).toContain('FAIL in 1 of 2 ops (worst a0 op 1: 0)');
    expect(result.findings?.map((f) => f.ops)).toEqual([[{ agent: 0, seq: 1 }]]);
  });
});

describe.skipIf(!STRACE)('count gates over real runs (Linux, strace)', () => {
  it('exec agents, native spawner: one fsync per op passes, each op counted from its own table', async () => {
    const results = tempDir('syscalls-exec-pass');
    const run = await stampede(['run', scenario('exec'), '--seed', '1', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    othersPass(summary);
    const check = syscallsCheck(summary);
    expect(check).toMatchObject({ verdict: 'pass', kind: 'budget' });
    expect(gateRow(check, 'fsync')).toMatchObject({ total: 6, perOp: 1, maxPerOp: 1, overOps: 0, verdict: 'pass' });
    expect(gateRow(check, 'fdatasync')).toMatchObject({ total: 0, verdict: 'pass' });
    expect(readdirSync(join(dir, 'syscalls')).sort()).toEqual(
      ['a0.op0', 'a0.op1', 'a0.op2', 'a1.op0', 'a1.op1', 'a1.op2'].map((n) => `${n}.txt`),
    );
    expect(summary.syscalls).toEqual({ gates: expect.objectContaining({ fsync: '<= 1 per op' }), skipped: null });
  });

  it('exec agents, node spawner: three fsyncs per op is a budget miss naming every op; nothing else changes', async () => {
    const results = tempDir('syscalls-exec-fail');
    const args = ['run', scenario('exec'), '--seed', '1', '--param', 'fsyncs=3', '--spawner', 'node'];
    const run = await stampede([...args, '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    othersPass(summary);
    const check = syscallsCheck(summary);
    expect(check).toMatchObject({ verdict: 'fail', kind: 'budget' });
    expect(gateRow(check, 'fsync')).toMatchObject({ total: 18, perOp: 3, maxPerOp: 3, overOps: 6, verdict: 'fail' });
    expect(check.details).toContain('fsync: 18 calls, 3 per op, budget <= 1 per op: FAIL in 6 of 6 ops');
    expect(check.findings?.map((f) => [f.kind, f.ops])).toEqual(
      [0, 1].flatMap((agent) => [0, 1, 2].map((seq) => ['budget', [{ agent, seq }]])),
    );
    expect(run.stdout).toMatch(/syscalls\s+FAIL\s+fsync: 18 calls/);
    // Said as a budget miss in the run's first line, never as a broken invariant.
    expect(run.stdout.split('\n')[0]).toBe('FAIL (budget: fsync 3 in a0 op 0 > 1)  syscalls-exec  seed 1');

    // `stampede report` checks the gates again from the tables in the folder, to the same verdict.
    const report = await stampede(['report', dir]);
    expect(report.exitCode, report.stdout + report.stderr).toBe(1);
    expect(syscallsCheck(readSummary(dir))).toMatchObject({ verdict: 'fail', kind: 'budget' });
  });

  it('session agents: the calls of their processes over the attempted ops', async () => {
    const results = tempDir('syscalls-session');
    const run = await stampede(['run', scenario('session'), '--seed', '1', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const summary = readSummary(onlyRunDir(results));
    othersPass(summary);
    const check = syscallsCheck(summary);
    expect(check.verdict).toBe('pass');
    expect(gateRow(check, 'fsync')).toMatchObject({ total: 6, perOp: 1, verdict: 'pass' });
    expect(check.data?.tables).toEqual({ agents: 2, service: 0, broken: 0 });
  });

  it('a service: its calls, counted until it was stopped, over the attempted ops', async () => {
    const results = tempDir('syscalls-service');
    const run = await stampede([
      'run',
      scenario('service'),
      '--seed',
      '1',
      '--param',
      'fsyncs=2',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const summary = readSummary(onlyRunDir(results));
    othersPass(summary);
    expect(summary.service?.exit).toBe('stopped');
    const check = syscallsCheck(summary);
    expect(check).toMatchObject({ verdict: 'fail', kind: 'budget' });
    expect(gateRow(check, 'fsync')).toMatchObject({ total: 20, perOp: 2, verdict: 'fail' });
    expect(check.data?.misses).toEqual(['fsync 2 per op > 1']);
    expect(check.data?.tables).toEqual({ agents: 0, service: 1, broken: 0 });
  });

  it('STAMPEDE_SYSCALLS=require on a machine that can count changes nothing', async () => {
    const results = tempDir('syscalls-require');
    const run = await stampede(['run', scenario('session'), '--seed', '1', '--results', results], {
      env: { CI: 'true', STAMPEDE_SYSCALLS: 'require' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(syscallsCheck(readSummary(onlyRunDir(results))).verdict).toBe('pass');
  });
});

describe('where system calls cannot be counted', () => {
  /** Linux: a PATH without strace (the fixtures run Node by its full path). Elsewhere the OS is the reason. */
  function withoutStrace(env: Record<string, string>): Record<string, string> {
    if (process.platform !== 'linux') return env;
    const nodeDir = dirname(process.execPath);
    if (!existsSync(join(nodeDir, 'strace'))) return { ...env, PATH: nodeDir };
    const dir = tempDir('syscalls-path');
    writeFileSync(join(dir, 'README'), 'an empty PATH folder: no strace here\n');
    return { ...env, PATH: dir };
  }

  /** The lines of a run's output about count gates (its check row, or the note that they were skipped). */
  const gateLines = (stdout: string): string[] =>
    stdout.split('\n').filter((line) => /count gates|^\s+syscalls\s/.test(line));

  it('STAMPEDE_SYSCALLS=off: the gates are skipped in one line, the run passes on its other checks', async () => {
    const results = tempDir('syscalls-off');
    const run = await stampede(['run', scenario('exec'), '--seed', '1', '--param', 'fsyncs=3', '--results', results], {
      env: { CI: 'true', STAMPEDE_SYSCALLS: 'off' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(gateLines(run.stdout)).toEqual(['  note: syscall count gates skipped: STAMPEDE_SYSCALLS=off']);
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    expect(summary.syscalls).toMatchObject({ skipped: 'STAMPEDE_SYSCALLS=off' });
    expect(summary.checks.map((c) => c.name)).not.toContain('syscalls');
    expect(existsSync(join(dir, 'syscalls'))).toBe(false);
  });

  it('no strace on PATH (or not Linux): skipped in one line saying why; with =require, a harness error', async () => {
    const results = tempDir('syscalls-nostrace');
    const run = await stampede(['run', scenario('session'), '--seed', '1', '--results', results], {
      env: withoutStrace({ CI: 'true' }),
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const why = process.platform === 'linux' ? 'strace is not on PATH' : 'runs on Linux only';
    const said = gateLines(run.stdout);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`note: syscall count gates skipped: ${why}`);
    expect(readSummary(onlyRunDir(results)).syscalls?.skipped).toContain(why);

    const required = await stampede(['run', scenario('session'), '--seed', '1', '--results', results], {
      env: withoutStrace({ CI: 'true', STAMPEDE_SYSCALLS: 'require' }),
    });
    expect(required.exitCode).toBe(2);
    expect(required.stderr).toContain(`${why}, and STAMPEDE_SYSCALLS=require makes that an error`);
  });
});
