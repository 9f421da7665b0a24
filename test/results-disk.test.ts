// Results on a disk that fills up or changes under them: history lines stay whole when a write fails (on
// Linux's /dev/full and on a small tmpfs, where a write really stores only part of a line), a torn part is
// cut and named when merged, fs errors read as one line, and `stampede report` never rewrites a recorded
// verdict when the run's scenario is gone. Real files and processes; nothing is mocked.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeHistoryParts } from '../lib/history/merge.js';
import { HistoryFileReader } from '../lib/history/reader.js';
import { HistoryWriter } from '../lib/history/writer.js';
import { BufferedWriter } from '../lib/io/buffered-writer.js';
import { loadRun } from '../lib/report/load-run.js';
import { describeFsError } from '../lib/run/fs-errors.js';
import type { HistoryEvent } from '../lib/types.js';
import { FIXTURES, onlyRunDir, ROOT, scratchDirs, stampede } from './helpers.js';

const freshDir = scratchDirs();
const LINUX = process.platform === 'linux';
const NO_SPACE =
  /^cannot write (\S+): no space left on device \(ENOSPC\); free some space or point --results at another disk$/;

const event = (seq: number, value: unknown = null, time = seq): HistoryEvent => ({
  type: 'invoke',
  agent: 0,
  seq,
  f: 'create',
  value: value as HistoryEvent['value'],
  time,
});

/** Every line of a history file, each of which must be a whole JSON line (the file ends with a newline). */
function wholeLines(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n'), `${path} ends in a torn line: ${JSON.stringify(text.slice(-80))}`).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

/** What a throw threw (the tests below need the error itself, not only its message). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** A small tmpfs of its own (a disk that really fills), or why there cannot be one here. */
async function mountTmpfs(
  label: string,
  size: string,
  readOnly = false,
): Promise<{ dir: string; reason: null } | { dir: null; reason: string }> {
  if (!LINUX) return { dir: null, reason: 'tmpfs needs Linux' };
  const dir = freshDir(label);
  const mounted = await execa('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', dir], {
    reject: false,
  });
  if (mounted.exitCode !== 0)
    return { dir: null, reason: `mount not permitted here: ${(mounted.stderr || mounted.message).split('\n')[0]}` };
  afterAll(async () => {
    const unmounted = await execa('umount', [dir], { reject: false });
    expect(unmounted.exitCode, `umount ${dir}: ${unmounted.stderr}`).toBe(0);
  });
  return { dir, reason: null };
}

const small = await mountTmpfs('tmpfs-64k', '64k');
const disk = await mountTmpfs('tmpfs-200k', '200k');
// Read-only even for root, who passes every permission check a chmod could set up.
const readOnly = await mountTmpfs('tmpfs-ro', '64k', true);
const tiny = await mountTmpfs('tmpfs-plan', '128k');
if (small.reason) console.warn(`results-disk.test.ts: tmpfs tests skipped: ${small.reason}`);

describe('history writer on a full disk', () => {
  it.skipIf(!LINUX)(
    'on /dev/full (Linux): one clear line naming the file and ENOSPC, and every later write refused',
    () => {
      const writer = new HistoryWriter('/dev/full');
      try {
        const first = thrown(() => writer.write(event(0)));
        expect(first.message).toMatch(NO_SPACE);
        expect(first.message).toContain('/dev/full');
        expect(first).toMatchObject({ name: 'HarnessError', code: 'ENOSPC', path: '/dev/full' });
        // The same error again: nothing more is written after a failed write.
        expect(thrown(() => writer.write(event(1)))).toBe(first);
        expect(describeFsError(first)).toBe(first.message);
      } finally {
        writer.close();
      }
    },
  );

  it.skipIf(!LINUX)(
    'BufferedWriter on /dev/full (Linux): the flush fails with the same line, and writes after it are refused',
    () => {
      const out = new BufferedWriter('/dev/full');
      out.write('{"a":1}\n');
      const failed = thrown(() => out.flush());
      expect(failed.message).toMatch(NO_SPACE);
      expect(thrown(() => out.write('{"b":2}\n'))).toBe(failed);
      expect(thrown(() => out.close())).toBe(failed);
    },
  );

  it.skipIf(!small.dir)(
    `a write the disk stores only part of is cut back to the last whole line (tmpfs)${small.reason ? ` (skipped: ${small.reason})` : ''}`,
    () => {
      const dir = small.dir as string;
      const path = join(dir, 'history.part-0.jsonl');
      const writer = new HistoryWriter(path);
      // ~1 KB lines: the one that meets the end of the disk crosses a page, so part of it is stored.
      let written = 0;
      let failure: Error | null = null;
      try {
        for (; written < 1000; written++) writer.write(event(written, 'x'.repeat(1000)));
      } catch (error) {
        failure = error as Error;
      }
      expect(failure?.message).toMatch(NO_SPACE);
      expect(failure?.message).toContain(path);
      const lines = wholeLines(path);
      expect(lines).toHaveLength(written);
      expect(lines.at(-1)).toMatchObject({ seq: written - 1 });
      // With room again, the writer still refuses: its error stays, and no record is glued onto a torn one.
      rmSync(path);
      expect(thrown(() => writer.write(event(written)))).toBe(failure);
      writer.close();
    },
  );

  it.skipIf(!small.dir)(
    `BufferedWriter: lines that reached the disk stay, the torn rest is cut (tmpfs)${small.reason ? ` (skipped: ${small.reason})` : ''}`,
    () => {
      const path = join(small.dir as string, 'history.jsonl.tmp');
      const out = new BufferedWriter(path);
      let failure: Error | null = null;
      try {
        for (let seq = 0; seq < 1000; seq++) out.write(`${JSON.stringify(event(seq, 'y'.repeat(1000)))}\n`);
        out.close();
      } catch (error) {
        failure = error as Error;
      }
      expect(failure?.message).toMatch(NO_SPACE);
      const lines = wholeLines(path);
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.map((line) => (line as HistoryEvent).seq)).toEqual(lines.map((_, i) => i));
      expect(thrown(() => out.write('more\n'))).toBe(failure);
      out.discard();
      rmSync(path);
    },
  );

  it('a torn tail left in a part by an earlier writer is cut before the first new line, never glued onto it', () => {
    const path = join(freshDir('reopen'), 'history.part-0.jsonl');
    writeFileSync(path, `${JSON.stringify(event(0))}\n{"type":"ok","agent":0,"se`);
    const writer = new HistoryWriter(path);
    writer.write(event(1));
    writer.close();
    expect(wholeLines(path)).toEqual([event(0), event(1)]);
  });
});

describe('reading and merging a torn history', () => {
  const part0 = [event(0, null, 1), event(1, null, 3)];
  const part1 = [
    { ...event(0, null, 2), agent: 1 },
    { ...event(1, null, 4), agent: 1 },
  ];
  const text = (events: readonly HistoryEvent[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join('');

  it('cuts a torn last line of a part when merging, names the part, and writes only whole lines', async () => {
    const dir = freshDir('torn-merge');
    // Thread 0 died mid-write; thread 1's part follows it in name order, so a glued merge would show.
    writeFileSync(join(dir, 'history.part-0.jsonl'), `${text(part0)}{"type":"ok","agent":0,"seq":1,"f":"cre`);
    writeFileSync(join(dir, 'history.part-1.jsonl'), text(part1));
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        format: 1,
        scenario: 'x',
        scenarioSource: 'x',
        seed: 1,
        options: {},
        code: { version: '0', commit: null },
        agents: [
          { id: 0, ops: [] },
          { id: 1, ops: [] },
        ],
      }),
    );

    // Read unmerged (as `stampede report` reads a crashed run), the note names the part.
    const loaded = await loadRun(dir);
    expect(loaded.truncatedHistory).toEqual(['history.part-0.jsonl']);
    expect(loaded.notes).toContain('torn last line dropped in history.part-0.jsonl');

    const merged = mergeHistoryParts(dir);
    expect(merged).toEqual({ events: 4, truncatedParts: ['history.part-0.jsonl'] });
    expect(wholeLines(join(dir, 'history.jsonl'))).toEqual([part0[0], part1[0], part0[1], part1[1]]);
    expect(readdirSync(dir).filter((name) => name.startsWith('history.part-'))).toEqual([]);
  });

  it('keeps a whole last event that lost only its newline; drops a last line that is not an event', () => {
    const dir = freshDir('tails');
    const whole = join(dir, 'whole.jsonl');
    writeFileSync(whole, text(part0).slice(0, -1));
    const reader = new HistoryFileReader(whole);
    expect([...reader]).toEqual(part0);
    expect(reader.truncatedTail).toBe(false);
    const notEvent = join(dir, 'not-event.jsonl');
    writeFileSync(notEvent, `${text(part0)}{"type":"ok"}`);
    const dropping = new HistoryFileReader(notEvent);
    expect([...dropping]).toEqual(part0);
    expect(dropping.truncatedTail).toBe(true);
  });

  it('a torn line in the middle is never cut silently: `stampede report` refuses with one line naming the file and line', async () => {
    const dir = freshDir('glued');
    // What the old writer left after a partial write: a torn record with the next one glued onto it.
    const glued = `${JSON.stringify(part0[0])}\n{"type":"ok","agent":0,"se${JSON.stringify(part0[1])}\n${JSON.stringify(event(2, null, 5))}\n`;
    writeFileSync(join(dir, 'history.jsonl'), glued);
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        format: 1,
        scenario: 'x',
        seed: 1,
        scenarioSource: 'gone',
        options: {},
        code: { version: '0', commit: null },
        agents: [{ id: 0, ops: [] }],
      }),
    );
    const report = await stampede(['report', dir]);
    expect(report.exitCode).toBe(2);
    expect(report.stderr).toMatch(/^stampede report: \S+history\.jsonl:2: history line does not parse/);
    expect(report.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('describeFsError', () => {
  const realError = (fn: () => unknown): NodeJS.ErrnoException => thrown(fn) as NodeJS.ErrnoException;

  it.skipIf(!LINUX)('ENOSPC from a real write (Linux: /dev/full): one line with what to do', () => {
    const error = realError(() => writeFileSync('/dev/full', 'x'));
    expect(error.code).toBe('ENOSPC');
    // writeFileSync's write error carries no path: the line still says what happened and what to do.
    expect(describeFsError(error)).toBe(
      'cannot write: no space left on device (ENOSPC); free some space or point --results at another disk',
    );
  });

  it('the file errors a user can act on, from real calls, each naming the path', () => {
    const dir = freshDir('fs-errors');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(describeFsError(realError(() => mkdirSync(join(file, 'sub'))))).toBe(
      `cannot create the folder ${join(file, 'sub')}: a part of the path is a file, not a folder (ENOTDIR); move that file or choose another path`,
    );
    expect(describeFsError(realError(() => readFileSync(join(dir, 'missing'))))).toBe(
      `cannot open ${join(dir, 'missing')}: no such file or folder (ENOENT); check that the path exists`,
    );
    expect(describeFsError(realError(() => mkdirSync(dir)))).toBe(
      `cannot create the folder ${dir}: it already exists (EEXIST); remove it or choose another path`,
    );
    expect(describeFsError(realError(() => writeFileSync(dir, 'x')))).toBe(
      `cannot open ${dir}: it is a folder, not a file (EISDIR); remove or rename that folder, or choose another path`,
    );
  });

  it('reads the code from the message when an error lost its properties crossing from a worker thread', () => {
    expect(describeFsError(new Error("EACCES: permission denied, open '/r/x/plan.json'"))).toBe(
      'cannot open /r/x/plan.json: permission denied (EACCES); check its permissions or point --results at a folder you can write to',
    );
    expect(describeFsError(new Error('EROFS: read-only file system, mkdir'))).toBe(
      'cannot create the folder: read-only file system (EROFS); point --results at a writable disk',
    );
    expect(describeFsError(new Error('EMFILE: too many open files, open'))).toMatch(
      /\(EMFILE\); raise the limit \(ulimit -n\)/,
    );
    // A harness message that wraps one already names its file: its first line, as it is.
    const wrapped =
      'could not write the log /r/x/agents/a1.stdout.log: ENOSPC: no space left on device, write. Free disk space or choose another --results folder';
    expect(describeFsError(new Error(`${wrapped}\nmore`))).toBe(wrapped);
  });

  it('is null for anything else: a bug keeps its stack', () => {
    expect(describeFsError(new TypeError('x is not a function'))).toBeNull();
    expect(describeFsError(Object.assign(new Error('ECONNRESET: socket hang up'), { code: 'ECONNRESET' }))).toBeNull();
    expect(describeFsError('ENOSPC')).toBeNull();
    expect(describeFsError(undefined)).toBeNull();
  });
});

describe('stampede report when the scenario is gone', () => {
  it('refuses with one line naming the scenario and leaves summary.json byte for byte; same when it no longer loads', async () => {
    const dir = freshDir('gone-scenario');
    // A copy of a fixture scenario, its relative imports pointed back into the checkout.
    const scenario = join(dir, 'barrier-copy.mts');
    const source = readFileSync(join(FIXTURES, 'barrier-scenario.ts'), 'utf8')
      .replaceAll("'../../lib/", `'${join(ROOT, 'lib')}/`)
      .replace("'./fixture-target.js'", `'${join(FIXTURES, 'fixture-target.js')}'`);
    writeFileSync(scenario, source);
    const results = join(dir, 'results');
    const run = await stampede(['run', scenario, '--agents', '2', '--ops', '2', '--results', results]);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const runDir = onlyRunDir(results);
    // With its scenario there, report re-checks and rewrites as before.
    const again = await stampede(['report', runDir]);
    expect(again.exitCode, again.stderr).toBe(0);
    const recorded = readFileSync(join(runDir, 'summary.json'));
    expect(JSON.parse(recorded.toString()).verdict).toBe('pass');
    const reports = readdirSync(runDir).map((name) => [name, statSync(join(runDir, name)).mtimeMs]);

    unlinkSync(scenario);
    const gone = await stampede(['report', runDir]);
    expect(gone.exitCode).toBe(2);
    expect(gone.stdout).toBe('');
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
    expect(gone.stderr).toContain(
      `stampede report: cannot re-check ${runDir}: its scenario "${scenario}" could not be loaded (scenario file ${scenario} does not exist)`,
    );
    expect(gone.stderr).toMatch(
      /summary\.json \(verdict pass\) and the reports are left as they were\. Restore the scenario file/,
    );
    expect(readFileSync(join(runDir, 'summary.json')).equals(recorded)).toBe(true);

    writeFileSync(scenario, 'export default defineScenario({ name: (\n');
    const broken = await stampede(['report', runDir]);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(
      /cannot re-check .*: its scenario ".*barrier-copy\.mts" could not be loaded \(could not load scenario file/,
    );
    expect(readFileSync(join(runDir, 'summary.json')).equals(recorded)).toBe(true);
    // No report was touched either.
    expect(readdirSync(runDir).map((name) => [name, statSync(join(runDir, name)).mtimeMs])).toEqual(reports);
  });
});

describe('stampede merge over broken folders', () => {
  it('a torn history and a missing summary are one line each, never a stack; an --out it cannot make is one line', async () => {
    const dir = freshDir('merge-broken');
    const scenario = join(dir, 'barrier-copy.mts');
    writeFileSync(
      scenario,
      readFileSync(join(FIXTURES, 'barrier-scenario.ts'), 'utf8')
        .replaceAll("'../../lib/", `'${join(ROOT, 'lib')}/`)
        .replace("'./fixture-target.js'", `'${join(FIXTURES, 'fixture-target.js')}'`),
    );
    const results = join(dir, 'results');
    const run = await stampede(['run', scenario, '--agents', '2', '--ops', '2', '--results', results]);
    expect(run.exitCode, run.stderr).toBe(0);
    const good = onlyRunDir(results);
    const torn = join(dir, 'torn');
    cpSync(good, torn, { recursive: true });
    const history = readFileSync(join(torn, 'history.jsonl'), 'utf8');
    writeFileSync(join(torn, 'history.jsonl'), history.slice(0, history.length - 20));
    const noSummary = join(dir, 'no-summary');
    cpSync(torn, noSummary, { recursive: true });
    rmSync(join(noSummary, 'summary.json'));

    const merged = await stampede(['merge', good, torn, noSummary, '--out', join(dir, 'merged')]);
    expect(merged.exitCode).toBe(2);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).not.toMatch(/^ {4}at /m);
    expect(merged.stdout).toMatch(
      /^ {2}ERROR barrier-fixture seed \d+: no summary\.json \(the run did not finish; `stampede report` can rebuild it\)$/m,
    );

    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const badOut = await stampede(['merge', good, '--out', join(blocked, 'merged')]);
    expect(badOut.exitCode).toBe(2);
    expect(badOut.stderr).toBe(
      `stampede merge: cannot create the folder ${join(blocked, 'merged')}: a part of the path is a file, not a folder (ENOTDIR); move that file or choose another path`,
    );
  });
});

describe('a run whose results disk fills up', () => {
  // The error that ends such a run can come from a worker thread (an agent log it could not write), where
  // it loses its class: bin/stampede.ts must print describeFsError's line for it, not an internal error.
  it.skipIf(!disk.dir)(
    `ends with exit 2 and one clear disk-full line, whole history lines, and a report that works or refuses in one line (tmpfs 200k)${disk.reason ? ` (skipped: ${disk.reason})` : ''}`,
    async () => {
      const results = disk.dir as string;
      const run = await stampede(['run', 'concurrent-creates', '--agents', '2', '--ops', '200', '--results', results]);
      expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(/no space left on device|ENOSPC|disk full/);
      expect(run.stderr).not.toMatch(/^ {4}at /m);
      expect(run.stderr).not.toMatch(/internal error/);

      const runDir = onlyRunDir(results);
      const histories = readdirSync(runDir).filter((name) => /^history(\.part-\d+)?\.jsonl$/.test(name));
      expect(histories.length).toBeGreaterThan(0);
      for (const name of histories) wholeLines(join(runDir, name));

      const report = await stampede(['report', runDir]);
      if (report.exitCode === 2 && report.stdout === '') {
        expect(report.stderr.trim().split('\n'), report.stderr).toHaveLength(1);
        expect(report.stderr).toMatch(/^stampede report: /);
      } else {
        expect([0, 1, 2, 3]).toContain(report.exitCode);
        expect(report.stderr).not.toMatch(/^ {4}at /m);
      }
      expect(report.stderr).not.toMatch(/does not parse|internal error/);
      expect(existsSync(join(runDir, 'plan.json'))).toBe(true);
    },
  );
});

describe('a results folder that cannot be written', () => {
  it.skipIf(!readOnly.dir)(
    `on a read-only disk: one line naming --results and the reason, exit 2, before anything runs${readOnly.reason ? ` (skipped: ${readOnly.reason})` : ''}`,
    async () => {
      const results = join(readOnly.dir as string, 'results');
      const run = await stampede(['run', 'concurrent-creates', '--agents', '1', '--ops', '1', '--results', results]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toBe(
        `stampede: cannot make a run folder in --results ${results}: ${readOnly.dir} cannot be written to (a read-only file system, EROFS); point --results at a folder you can write to`,
      );
    },
  );
});

describe('a plan that would not fit on the results disk', () => {
  it.skipIf(!tiny.dir)(
    `is refused with its size and the free space, before anything is written${tiny.reason ? ` (skipped: ${tiny.reason})` : ''}`,
    async () => {
      const results = tiny.dir as string;
      const run = await stampede(['run', 'concurrent-creates', '--agents', '4', '--ops', '2000', '--results', results]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(
        /^stampede: cannot plan concurrent-creates with seed \d+: the plan \(4 agents x 2,000 ops = 8,000 ops\) would take about [\d.]+ MB in plan\.json, and [\d.]+ KB are free on the results disk \(.*\); free some space, point --results elsewhere, or lower --ops or --agents$/,
      );
      expect(readdirSync(results)).toEqual([]);
    },
  );
});
