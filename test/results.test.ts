// Exec results the target's way (lib/results): what an exit means (classifyExit, decided in the worker),
// the stderr line that says why (meaningfulLine), and an op's recorded output turned into its value and
// reason on the main thread (execResultMapper, or the default), as a run's history is read and as
// `stampede report` re-reads it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { OpLog } from '../lib/history/op-log.js';
import { pairHistory } from '../lib/history/pair.js';
import { setModel } from '../lib/models/set/index.js';
import { loadRun } from '../lib/report/load-run.js';
import { recheckRun } from '../lib/report/recheck.js';
import { classifyExit, DEFAULT_EXIT_CODES, meaningfulLine } from '../lib/results/exec-outcome.js';
import { defaultResultMapper, execResultMapper } from '../lib/results/map-results.js';
import type { ExecOutput, HistoryEvent, Json, OpRecord, Outcome } from '../lib/types.js';
import { FIXTURES, scratchDirs } from './helpers.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';

const freshDir = scratchDirs();

const out = (code: number | null, stdout = '', stderr = ''): ExecOutput => ({ code, stdout, stderr });
let clock = 0;
function op(seq: number, outcome: Outcome, recorded?: ExecOutput, error?: string): OpRecord {
  const record: OpRecord = {
    agent: 0,
    seq,
    f: 'add',
    value: { key: `k${seq}` },
    outcome,
    result: null,
    start: clock++,
    end: clock++,
  };
  if (recorded) record.out = recorded;
  if (error !== undefined) record.error = error;
  return record;
}

describe('classifyExit', () => {
  it("classifies exits by the target's lists: ok, fail, declared unknown, undeclared unknown", () => {
    const codes = { ok: [0], fail: [1, 5], info: [128] };
    expect(classifyExit(out(0), codes)).toEqual({ outcome: 'ok' });
    expect(classifyExit(out(5, '', 'fatal: lock held\n'), codes)).toEqual({
      outcome: 'fail',
      error: 'exited with code 5: fatal: lock held',
    });
    expect(classifyExit(out(1), codes)).toEqual({ outcome: 'fail', error: 'exited with code 1' });
    expect(classifyExit(out(128), codes)).toEqual({ outcome: 'info', error: 'exited with code 128' });
    expect(classifyExit(out(9), codes)).toEqual({
      outcome: 'info',
      error: 'exited with code 9 (an exit code the target does not declare)',
    });
    expect(classifyExit({ code: null, signal: 'SIGSEGV', stdout: '', stderr: '' }, codes)).toEqual({
      outcome: 'info',
      error: 'killed by SIGSEGV',
    });
  });

  it('by default: 0 ok, 1 fail, anything else unknown (no info list declared, so nothing is called undeclared)', () => {
    expect(classifyExit(out(0), DEFAULT_EXIT_CODES).outcome).toBe('ok');
    expect(classifyExit(out(1), DEFAULT_EXIT_CODES).outcome).toBe('fail');
    expect(classifyExit(out(5), DEFAULT_EXIT_CODES)).toEqual({ outcome: 'info', error: 'exited with code 5' });
  });
});

describe('meaningfulLine', () => {
  it("picks the cause out of a Node crash's stderr", () => {
    const crash = [
      '/x/app.js:3',
      'oops(',
      '^',
      '',
      'SyntaxError: Unexpected end of input',
      '    at wrapSafe (node:internal)',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(meaningfulLine(crash)).toBe('SyntaxError: Unexpected end of input');
  });

  it('names a real Node crash by its exception, not by the source line it quotes (which may sound like a cause)', async () => {
    const dir = freshDir('node-crash');
    const cases: [string, string][] = [
      [
        "function takeLock() { throw new Error('could not take the lock'); }\ntakeLock();\n",
        'Error: could not take the lock',
      ],
      ['const failed = JSON.parse(\'{"error": \');\n', 'SyntaxError: Unexpected end of JSON input'],
      ['const lockFile = (;\n', "SyntaxError: Unexpected token ';'"],
    ];
    for (const [i, [source, cause]] of cases.entries()) {
      const file = join(dir, `crash-${i}.js`);
      writeFileSync(file, source);
      const child = await execa(process.execPath, [file], { reject: false });
      expect(child.exitCode, source).toBe(1);
      expect(child.stderr, source).toMatch(/Node\.js v\d/);
      expect(meaningfulLine(child.stderr), source).toBe(cause);
    }
  });

  it("keeps the cause and the last few lines in a failed op's error, bounded; reasons count the cause alone", () => {
    const crash = [
      '/x/app.js:3',
      'oops(',
      '^',
      '',
      'SyntaxError: Unexpected end of input',
      '    at wrapSafe (node:internal)',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(classifyExit({ ...out(1), stderr: crash }, DEFAULT_EXIT_CODES).error).toBe(
      'exited with code 1: SyntaxError: Unexpected end of input; last lines: /x/app.js:3 | oops(',
    );
    const chatty = Array.from({ length: 50 }, (_, i) => `step ${i} ${'x'.repeat(400)}`).join('\n');
    const error = classifyExit({ ...out(1), stderr: `fatal: lock held\n${chatty}` }, DEFAULT_EXIT_CODES).error ?? '';
    expect(error.startsWith('exited with code 1: fatal: lock held; last lines: step 47 ')).toBe(true);
    expect(error.length).toBeLessThanOrEqual(800);
  });

  it("picks a tool's telling line among hints, else its last line that is not noise", () => {
    expect(
      meaningfulLine("hint: see git help\nfatal: Unable to create '.git/index.lock': File exists.\nhint: remove it\n"),
    ).toBe("fatal: Unable to create '.git/index.lock': File exists.");
    expect(meaningfulLine('starting\nwent sideways\n\n')).toBe('went sideways');
    expect(meaningfulLine('')).toBe('');
  });
});

describe("an op's recorded output mapped to its value and reason", () => {
  const results = {
    parse: ({ stdout }: ExecOutput) => ({ id: Number(/Created task (\d+)\./.exec(stdout)?.[1]) }),
    reason: ({ stderr }: ExecOutput) => (stderr.includes('index.lock') ? 'index.lock' : null),
  };

  it("by the target's parse (ok) and reason (fail, info)", () => {
    const mapper = execResultMapper(results);
    expect(mapper(op(0, 'ok', out(0, 'Created task 7.\n'))).result).toEqual({ id: 7 });
    const failed = op(
      1,
      'fail',
      out(128, '', "fatal: Unable to create '.git/index.lock'"),
      'exited with code 128: fatal',
    );
    expect(mapper(failed).error).toBe('index.lock');
    const unknown = op(2, 'info', out(3, '', 'index.lock held'), 'exited with code 3');
    expect(mapper(unknown).error).toBe('index.lock');
  });

  it("keeps the harness's words when the reason has none, and an op with no output as it is", () => {
    const mapper = execResultMapper(results);
    expect(mapper(op(0, 'fail', out(1, '', 'something else'), 'exited with code 1: something else')).error).toBe(
      'exited with code 1: something else',
    );
    const killed = op(1, 'info', undefined, 'timed out after 1000 ms');
    expect(mapper(killed)).toMatchObject({ outcome: 'info', result: null, error: 'timed out after 1000 ms' });
    expect(mapper({ ...op(2, 'ok'), result: { id: 'from a session' } }).result).toEqual({ id: 'from a session' });
  });

  it('says so in the value when the parse throws, and gives null for a parse that returns nothing', () => {
    const throwing = execResultMapper({ parse: () => JSON.parse('not json') as Json });
    const value = throwing({ ...op(0, 'ok', out(0, 'Created task 7.')), agent: 3 }).result as {
      parseError: string;
      stdout: string;
    };
    expect(value.parseError).toMatch(/^the target's parse threw on a3 seq 0: /);
    expect(value.stdout).toBe('Created task 7.');
    expect(execResultMapper({ parse: () => undefined })(op(1, 'ok', out(0, 'x'))).result).toBeNull();
  });

  it('by default: stdout as JSON, else as text, nothing for no output; a truncated one by its last line', () => {
    expect(defaultResultMapper(op(0, 'ok', out(0, '{"id":"t-1"}\n'))).result).toEqual({ id: 't-1' });
    expect(defaultResultMapper(op(1, 'ok', out(0, 'plain words\n'))).result).toEqual({ stdout: 'plain words' });
    expect(defaultResultMapper(op(2, 'ok', out(0, ' \n'))).result).toBeNull();
    const long = 'progress...\n'.repeat(400);
    const truncated = (lastLine: string): ExecOutput => ({ ...out(0, long.slice(0, 4096)), truncated: true, lastLine });
    expect(defaultResultMapper(op(3, 'ok', truncated('{"id":9}'))).result).toEqual({ id: 9 });
    expect(defaultResultMapper(op(4, 'ok', truncated('done'))).result).toEqual({
      stdout: long.slice(0, 4096),
      truncated: true,
    });
    // A failed op keeps the harness's words (the first meaningful stderr line), and no value.
    expect(defaultResultMapper(op(5, 'fail', out(1, '{"id":1}', 'boom'), 'exited with code 1: boom'))).toMatchObject({
      result: null,
      error: 'exited with code 1: boom',
    });
  });
});

describe('exec output recorded in the history', () => {
  const events: HistoryEvent[] = [
    { type: 'invoke', agent: 0, seq: 0, f: 'add', value: { key: 'a0-0' }, time: 1 },
    { type: 'invoke', agent: 1, seq: 0, f: 'add', value: { key: 'a1-0' }, time: 1 },
    { type: 'ok', agent: 0, seq: 0, f: 'add', value: null, time: 2, out: out(0, 'Created task 1.\n') },
    { type: 'ok', agent: 1, seq: 0, f: 'add', value: null, time: 3, out: out(0, 'Created task 2.\n') },
    { type: 'invoke', agent: 0, seq: 1, f: 'add', value: { key: 'a0-1' }, time: 4 },
    {
      type: 'fail',
      agent: 0,
      seq: 1,
      f: 'add',
      value: null,
      error: 'exited with code 5: fatal: lock held by 4242',
      time: 5,
      out: out(5, '', 'fatal: lock held by 4242\n'),
    },
  ];
  const lines = events.map((e) => `${JSON.stringify(e)}\n`).join('');
  const mapper = execResultMapper({
    parse: ({ stdout }) => ({ id: Number(/Created task (\d+)\./.exec(stdout)?.[1]) }),
    reason: ({ stderr }) => (stderr.includes('lock held') ? 'lock held' : null),
  });

  it("rides along with the paired op, and is mapped as the history is read: the target's way, or the default", () => {
    const dir = freshDir('exec-history');
    writeFileSync(join(dir, 'history.jsonl'), lines);
    const plain = [...OpLog.ofRun(dir)];
    expect(plain.map((o) => o.result)).toEqual([{ stdout: 'Created task 1.' }, { stdout: 'Created task 2.' }, null]);
    expect(plain[2]).toMatchObject({
      outcome: 'fail',
      error: 'exited with code 5: fatal: lock held by 4242',
      out: { code: 5 },
    });
    const mapped = [...OpLog.ofRun(dir).withResults(mapper)];
    expect(mapped.map((o) => o.result)).toEqual([{ id: 1 }, { id: 2 }, null]);
    expect(mapped[2]?.error).toBe('lock held');
    expect(mapped[0]?.out).toEqual(out(0, 'Created task 1.\n'));
    // Pairing in memory gives the same ops.
    expect(pairHistory(events, mapper)).toEqual(mapped);
  });

  it("is read the same way by `stampede report` as by the run: with the scenario target's parse", async () => {
    const dir = freshDir('exec-recheck');
    const plan = unitPlan([0, 1], {
      opsPerAgent: 2,
      op: (agent, seq) => ({ f: 'add', value: { key: `a${agent}-${seq}` } }),
    });
    plan.scenario = 'created-task';
    plan.scenarioSource = join(FIXTURES, 'created-task-scenario.ts');
    for (const agent of plan.agents) agent.kind = 'exec';
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    writeFileSync(join(dir, 'history.jsonl'), lines);
    const state = {
      elements: [
        { id: 1, key: 'a0-0' },
        { id: 2, key: 'a1-0' },
      ],
    };
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
    writeFileSync(join(dir, 'health.json'), JSON.stringify([healthyAgent(0), healthyAgent(1)]));

    const loaded = await loadRun(dir);
    const recheck = await recheckRun(loaded);
    expect(recheck.checkersFrom).toBe('scenario');
    expect(recheck.checks.map((c) => [c.name, c.verdict])).toEqual([
      ['harness-health', 'pass'],
      ['unique-ids', 'pass'],
      ['items', 'pass'],
    ]);
    // The reports draw the same mapped ops the checkers read.
    expect([...recheck.ops].map((o) => [o.result, o.error])).toEqual([
      [{ id: 1 }, undefined],
      [{ id: 2 }, undefined],
      [null, 'lock held'],
    ]);
    // Read the default way, the printed ids would not be ids at all: what the re-check must not do.
    const unmapped = setModel().uniqueIds.check({
      plan,
      ops: loaded.ops,
      state,
      health: loaded.health,
      counters: loaded.counters,
      maxUnknownRatio: 0.5,
    });
    expect(unmapped.details).toContain('2 acks without usable ids');
  });
});
