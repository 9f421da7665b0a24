// The reference tracker, driven through real processes (node dist/bin/tracker.js, argv arrays,
// no shell). `npm test` builds first; run `npm run build` before `vitest run` on its own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracker as trackerWith, trackerTarget } from '../stress/tracker/target.js';

const ctxOf = (ws: string) => ({ workspace: ws, runDir: ws, seed: 1, faults: [], params: {} });

const CLI = fileURLToPath(new URL('../dist/bin/tracker.js', import.meta.url));
let root: string;
let n = 0;

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-test-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh, initialised workspace. */
async function workspace(): Promise<string> {
  const ws = path.join(root, `ws${n++}`);
  const r = await tracker(ws, ['init']);
  expect(r.exitCode, r.stderr).toBe(0);
  return ws;
}

/** Environment with no faults from the outer shell, plus `extra`. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { STAMPEDE_FAULTS: '', STAMPEDE_OP_FAULT: '', TRACKER_DEBUG: '', ...extra };
}

function tracker(ws: string, args: string[], extraEnv: Record<string, string> = {}, timeout?: number) {
  return execa(process.execPath, [CLI, '--workspace', ws, ...args], { reject: false, env: env(extraEnv), timeout });
}

function state(ws: string) {
  return trackerTarget.readState(ctxOf(ws));
}

function counter(ws: string): number {
  return Number(fs.readFileSync(path.join(ws, 'counter'), 'utf8'));
}

/** A session agent with line-at-a-time access to its stdout. */
function session(ws: string, extraEnv: Record<string, string> = {}) {
  const child = execa(process.execPath, [CLI, 'session'], {
    reject: false,
    env: env({ STAMPEDE_WORKSPACE: ws, STAMPEDE_AGENT_ID: '0', STAMPEDE_SEED: '1', ...extraEnv }),
  });
  const lines = child.iterable({ from: 'stdout' })[Symbol.asyncIterator]();
  return {
    child,
    async next(): Promise<unknown> {
      const { value, done } = await lines.next();
      if (done) throw new Error('session stdout closed');
      return JSON.parse(String(value));
    },
    send(message: unknown): void {
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    },
  };
}

/** Resolve once a process's stderr shows a line containing `text` (TRACKER_DEBUG trace). */
function stderrShows(child: ReturnType<typeof execa>, text: string): Promise<void> {
  // A plain listener: leaving an execa iterable early would wait for the process to exit.
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    child.stderr!.on('end', () => reject(new Error(`stderr ended without ${JSON.stringify(text)}: ${seen}`)));
  });
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '']);
  const pid = child.pid!;
  await child;
  return pid;
}

describe('tracker CLI', { timeout: 30_000 }, () => {
  it('create, show, list, update, comment round-trip', async () => {
    const ws = await workspace();
    const a = await tracker(ws, ['--json', 'create', 'first']);
    expect(JSON.parse(a.stdout)).toEqual({ id: 't-1' });
    expect((await tracker(ws, ['create', 'second'])).stdout).toBe('t-2');
    expect(JSON.parse((await tracker(ws, ['--json', 'update', 't-2', '--status', 'closed'])).stdout)).toEqual({
      id: 't-2',
    });
    expect(JSON.parse((await tracker(ws, ['--json', 'comment', 't-1'])).stdout)).toEqual({ id: 't-1', comments: 1 });
    expect(JSON.parse((await tracker(ws, ['--json', 'show', 't-1'])).stdout)).toEqual({
      id: 't-1',
      title: 'first',
      status: 'open',
      comments: 1,
    });
    const list = JSON.parse((await tracker(ws, ['--json', 'list'])).stdout);
    expect(list.map((i: { id: string }) => i.id)).toEqual(['t-1', 't-2']);
    const ready = JSON.parse((await tracker(ws, ['--json', 'ready'])).stdout);
    expect(ready.map((i: { id: string }) => i.id)).toEqual(['t-1']);
    const missing = await tracker(ws, ['show', 't-9']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe('tracker: no such issue t-9 (see `tracker list`)');
    expect((await tracker(ws, ['update', 't-9', '--status', 'open'])).exitCode).toBe(1);
    expect((await tracker(ws, ['update', 't-1', '--status', 'bogus'])).exitCode).toBe(2);
    expect((await tracker(ws, ['frobnicate'])).exitCode).toBe(2);
    const noWs = await execa(process.execPath, [CLI, 'list'], { reject: false, env: env({ STAMPEDE_WORKSPACE: '' }) });
    expect(noWs.exitCode).toBe(2);
    expect(noWs.stderr).toMatch(/^tracker: no workspace \(.*STAMPEDE_WORKSPACE\)$/);
  });

  it('stores awkward titles byte for byte', async () => {
    const ws = await workspace();
    const titles = [
      'say "hi" it\'s',
      '$(rm -rf x)',
      '`uname`',
      '  spaced  out  ',
      'two\nlines',
      'héllo ✓ 日本',
      '-rf',
      '--json',
    ];
    // The exec contract's argv (with `--` before positionals), as the harness will run it.
    const results = await Promise.all(
      titles.map((title) =>
        tracker(ws, trackerTarget.exec!.opArgv({ f: 'create', value: { title } }, { ...ctxOf(ws), agent: 0 })),
      ),
    );
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const byId = new Map(results.map((r, i) => [JSON.parse(r.stdout).id as string, titles[i]]));
    const { items, corruption } = await state(ws);
    expect(corruption).toEqual([]);
    expect(items).toHaveLength(titles.length);
    for (const item of items) expect(item.title).toBe(byId.get(item.id));
    const shown = await tracker(ws, ['--json', 'show', items.find((i) => i.title === 'two\nlines')!.id]);
    expect(JSON.parse(shown.stdout).title).toBe('two\nlines');
  });

  it('applies a batch all together or not at all', async () => {
    const ws = await workspace();
    await tracker(ws, ['create', 'base']);
    const bad = await tracker(ws, [
      '--json',
      'batch',
      JSON.stringify([
        { f: 'create', value: { title: 'never' } },
        { f: 'comment', value: { id: 't-1' } },
        { f: 'comment', value: { id: 't-99' } },
      ]),
    ]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('no such issue t-99');
    const malformed = await tracker(ws, ['--json', 'batch', JSON.stringify([{ f: 'create', value: {} }])]);
    expect(malformed.exitCode).toBe(1);
    expect((await state(ws)).items).toEqual([{ id: 't-1', title: 'base', status: 'open', comments: 0 }]);
    expect(counter(ws)).toBe(2);

    const good = await tracker(ws, [
      '--json',
      'batch',
      JSON.stringify([
        { f: 'create', value: { title: 'b1' } },
        { f: 'comment', value: { id: 't-1' } },
        { f: 'update', value: { id: 't-1', status: 'in_progress' } },
        { f: 'create', value: { title: 'b2' } },
      ]),
    ]);
    expect(JSON.parse(good.stdout)).toEqual({ ids: ['t-2', 't-3'] });
    const { items } = await state(ws);
    expect(items.map((i) => [i.id, i.title, i.status, i.comments])).toEqual([
      ['t-1', 'base', 'in_progress', 1],
      ['t-2', 'b1', 'open', 0],
      ['t-3', 'b2', 'open', 0],
    ]);
  });

  it('gives 8 concurrent creates 8 distinct ids under the lock', async () => {
    const ws = await workspace();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => tracker(ws, ['--json', 'create', `c${i}`])));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const ids = results.map((r) => JSON.parse(r.stdout).id);
    expect(new Set(ids).size).toBe(8);
    const { items } = await state(ws);
    expect(items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(counter(ws)).toBe(9);
    expect(fs.existsSync(path.join(ws, 'lock'))).toBe(false);
  });
});

describe('tracker lock', { timeout: 30_000 }, () => {
  it('breaks a lock left by a dead pid, and an old empty lock', async () => {
    const ws = await workspace();
    const lock = path.join(ws, 'lock');
    fs.writeFileSync(lock, String(await deadPid()));
    // A stale lock.break (its breaker died too) must not block recovery either.
    fs.writeFileSync(`${lock}.break`, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(`${lock}.break`, old, old);
    expect((await tracker(ws, ['create', 'after dead owner'])).exitCode).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
    expect(fs.existsSync(`${lock}.break`)).toBe(false);

    fs.writeFileSync(lock, '');
    fs.utimesSync(lock, old, old);
    expect((await tracker(ws, ['create', 'after empty lock'])).exitCode).toBe(0);
    expect((await state(ws)).items).toHaveLength(2);
  });

  it('times out on a live owner, naming the file and the pid', async () => {
    const ws = await workspace();
    const lock = path.join(ws, 'lock');
    fs.writeFileSync(lock, String(process.pid)); // this test process: alive
    const r = await tracker(ws, ['create', 'x'], { TRACKER_LOCK_TIMEOUT_MS: '200' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${lock} is held by pid ${process.pid}`);
    fs.unlinkSync(lock);
  });

  it('makes waiting writers take turns (and counter-race makes them share an id)', async () => {
    for (const faults of ['', 'counter-race']) {
      const ws = await workspace();
      const lock = path.join(ws, 'lock');
      fs.writeFileSync(lock, String(process.pid));
      const writers = [0, 1].map((i) =>
        tracker(ws, ['--json', 'create', `w${i}`], { STAMPEDE_FAULTS: faults, TRACKER_DEBUG: '1' }),
      );
      // Both have read whatever they read before the lock, and now wait for it.
      await Promise.all(writers.map((w) => stderrShows(w, 'lock busy')));
      fs.unlinkSync(lock);
      const ids = (await Promise.all(writers)).map((r) => JSON.parse(r.stdout).id).sort();
      const stored = (await state(ws)).items.map((i) => i.id).sort();
      if (faults === '') {
        expect(ids).toEqual(['t-1', 't-2']);
        expect(counter(ws)).toBe(3);
      } else {
        expect(ids).toEqual(['t-1', 't-1']);
        expect(counter(ws)).toBe(2);
      }
      expect(stored).toEqual(ids);
    }
  });
});

describe('tracker session agent', { timeout: 30_000 }, () => {
  it('speaks the protocol: ready, one answer per op, exit 0 on stdin close', async () => {
    const ws = await workspace();
    const s = session(ws);
    expect(await s.next()).toEqual({ type: 'ready' });
    s.send({ type: 'op', id: 1, f: 'create', value: { title: 'a0-1 "q" $(x)' } });
    expect(await s.next()).toEqual({ type: 'ok', id: 1, value: { id: 't-1' } });
    s.send({ type: 'op', id: 2, f: 'comment', value: { id: 't-1' } });
    s.send({ type: 'op', id: 3, f: 'update', value: { id: 't-1', status: 'closed' } });
    s.send({ type: 'op', id: 4, f: 'show', value: { id: 't-1' } });
    s.send({ type: 'op', id: 5, f: 'batch', value: { ops: [{ f: 'create', value: { title: 'b' } }] } });
    s.send({ type: 'op', id: 6, f: 'list', value: {} });
    s.send({ type: 'op', id: 7, f: 'ready', value: {} });
    s.send({ type: 'op', id: 8, f: 'comment', value: { id: 't-9' } });
    expect(await s.next()).toEqual({ type: 'ok', id: 2, value: { id: 't-1', comments: 1 } });
    expect(await s.next()).toEqual({ type: 'ok', id: 3, value: { id: 't-1' } });
    const t1 = { id: 't-1', title: 'a0-1 "q" $(x)', status: 'closed', comments: 1 };
    const t2 = { id: 't-2', title: 'b', status: 'open', comments: 0 };
    expect(await s.next()).toEqual({ type: 'ok', id: 4, value: t1 });
    expect(await s.next()).toEqual({ type: 'ok', id: 5, value: { ids: ['t-2'] } });
    expect(await s.next()).toEqual({ type: 'ok', id: 6, value: [t1, t2] });
    expect(await s.next()).toEqual({ type: 'ok', id: 7, value: [t2] });
    expect(await s.next()).toEqual({ type: 'fail', id: 8, error: 'no such issue t-9' });
    s.child.stdin!.end();
    const r = await s.child;
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(9); // ready + 8 answers, nothing else
  });

  it('exits 2 on a malformed line without answering it', async () => {
    const ws = await workspace();
    const r = await execa(process.execPath, [CLI, 'session'], {
      reject: false,
      input: 'not json\n',
      env: env({ STAMPEDE_WORKSPACE: ws }),
    });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('{"type":"ready"}');
    expect(r.stderr).toContain('malformed input line');
  });
});

describe('tracker target', { timeout: 30_000 }, () => {
  it('sets up preloaded items and maps every op to argv', async () => {
    const ws = path.join(root, `ws${n++}`);
    const said = await trackerWith({ preload: 3 }).setup!(ctxOf(ws));
    expect(said).toEqual({ preloaded: [1, 2, 3].map((i) => ({ id: `t-${i}`, title: `preload-${i}` })) });
    expect(counter(ws)).toBe(4);
    const run = (f: string, value: unknown) =>
      execa(
        trackerTarget.exec!.command,
        [
          ...trackerTarget.exec!.args!,
          ...trackerTarget.exec!.opArgv({ f, value } as never, { ...ctxOf(ws), agent: 0 }),
        ],
        {
          reject: false,
          env: env(trackerTarget.env!(ctxOf(ws))),
        },
      ).then((r) => JSON.parse(r.stdout));
    expect(await run('create', { title: 'new' })).toEqual({ id: 't-4' });
    expect(await run('update', { id: 't-1', status: 'closed' })).toEqual({ id: 't-1' });
    expect(await run('comment', { id: 't-2' })).toEqual({ id: 't-2', comments: 1 });
    expect(await run('show', { id: 't-2' })).toEqual({ id: 't-2', title: 'preload-2', status: 'open', comments: 1 });
    expect(await run('list', {})).toHaveLength(4);
    expect(await run('ready', {})).toHaveLength(3);
    expect(await run('batch', { ops: [{ f: 'create', value: { title: 'x' } }] })).toEqual({ ids: ['t-5'] });
    expect(() => trackerTarget.exec!.opArgv({ f: 'delete', value: {} } as never, { ...ctxOf(ws), agent: 0 })).toThrow(
      /unknown op/,
    );
    expect(await state(path.join(root, 'never-created'))).toEqual({ items: [], corruption: [] });
  });
});

describe('tracker faults', { timeout: 30_000 }, () => {
  it('crash-before-rename leaves a stale lock that the next op recovers from', async () => {
    const ws = await workspace();
    const child = tracker(ws, ['create', 'lost'], { STAMPEDE_OP_FAULT: 'crash-before-rename' });
    const crash = await child;
    expect(crash.exitCode).toBe(71);
    expect(fs.readFileSync(path.join(ws, 'lock'), 'utf8')).toBe(String(child.pid));
    expect(fs.readdirSync(ws).filter((f) => /^counter\.tmp\.\d+\.[a-z0-9]+$/.test(f))).toHaveLength(1);
    const next = await tracker(ws, ['--json', 'create', 'kept']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toEqual({ id: 't-1' });
    expect((await state(ws)).items.map((i) => i.title)).toEqual(['kept']);
    expect(fs.existsSync(path.join(ws, 'lock'))).toBe(false);
  });

  it('tmp-collision names temp files from the clock alone, and bypasses the lock like no-lock', async () => {
    const ws = await workspace();
    const crash = await tracker(ws, ['create', 'x'], {
      STAMPEDE_FAULTS: 'tmp-collision',
      STAMPEDE_OP_FAULT: 'crash-before-rename',
    });
    expect(crash.exitCode).toBe(71);
    expect(fs.readdirSync(ws).filter((f) => /^counter\.tmp\.\d{13}$/.test(f))).toHaveLength(1);
    // A lock held by a live process (this one) would time out a correct write; these ignore it.
    fs.writeFileSync(path.join(ws, 'lock'), String(process.pid));
    for (const fault of ['no-lock', 'tmp-collision']) {
      const r = await tracker(ws, ['create', fault], { STAMPEDE_FAULTS: fault, TRACKER_LOCK_TIMEOUT_MS: '100' });
      expect(r.exitCode, r.stderr).toBe(0);
    }
    expect((await state(ws)).items.map((i) => i.title)).toEqual(['no-lock', 'tmp-collision']);
  });

  it('torn-write eventually leaves a partial last line, reported as corruption and kept', async () => {
    const ws = await workspace();
    let torn = 0;
    for (let attempt = 1; attempt <= 40 && torn === 0; attempt++) {
      const r = await tracker(ws, ['create', `torn ${attempt}`], { STAMPEDE_FAULTS: 'torn-write' });
      if (r.exitCode === 70) torn = attempt;
      else expect(r.exitCode, r.stderr).toBe(0);
    }
    expect(torn).toBeGreaterThan(0); // P(no tear in 40 tries) = (2/3)^40, about 1e-7
    const full = JSON.stringify({ id: `t-${torn}`, title: `torn ${torn}`, status: 'open', comments: 0 });
    const { items, corruption } = await state(ws);
    expect(items).toHaveLength(torn - 1);
    expect(corruption).toHaveLength(1);
    expect(corruption[0]!.line).toBe(torn);
    expect(corruption[0]!.file).toBe(path.join(ws, 'issues.jsonl'));
    expect(full.startsWith(corruption[0]!.text) && corruption[0]!.text.length < full.length).toBe(true);
    // The torn writer died holding the lock; a correct writer recovers it and keeps the evidence.
    const next = await tracker(ws, ['create', 'after']);
    expect(next.exitCode, next.stderr).toBe(0);
    const after = await state(ws);
    expect(after.corruption.map((c) => c.text)).toEqual([corruption[0]!.text]);
    expect(after.items).toHaveLength(torn);
  });

  it('hang never finishes and holds no lock', async () => {
    const ws = await workspace();
    const r = await tracker(ws, ['create', 'x'], { STAMPEDE_OP_FAULT: 'hang' }, 500);
    expect(r.timedOut).toBe(true);
    expect(fs.existsSync(path.join(ws, 'lock'))).toBe(false);
  });

  it('flood writes the requested bytes and still does the op', async () => {
    const ws = await workspace();
    const bytes = String(1024 * 1024);
    const r = await tracker(ws, ['--json', 'create', 'x'], { STAMPEDE_FAULTS: 'flood', TRACKER_FLOOD_BYTES: bytes });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(1024 * 1024 + '{"id":"t-1"}'.length);
    expect(r.stdout.endsWith('\n{"id":"t-1"}')).toBe(true);
    expect(r.stderr.length).toBeGreaterThanOrEqual(1024 * 1024 - 1);

    const s = session(ws, { STAMPEDE_FAULTS: 'flood', TRACKER_FLOOD_BYTES: bytes });
    expect(await s.next()).toEqual({ type: 'ready' }); // stdout stays pure protocol
    s.send({ type: 'op', id: 1, f: 'create', value: { title: 'y' } });
    expect(await s.next()).toEqual({ type: 'ok', id: 1, value: { id: 't-2' } });
    s.child.stdin!.end();
    const done = await s.child;
    expect(done.exitCode).toBe(0);
    expect(done.stderr.length).toBeGreaterThanOrEqual(1024 * 1024 - 1);
  });

  it('slow-start delays the op and the ready line', async () => {
    const ws = await workspace();
    const t0 = performance.now();
    const r = await tracker(ws, ['create', 'x'], { STAMPEDE_FAULTS: 'slow-start', TRACKER_SLOW_START_MS: '300' });
    expect(r.exitCode).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    const t1 = performance.now();
    const s = session(ws, { STAMPEDE_FAULTS: 'slow-start', TRACKER_SLOW_START_MS: '300' });
    expect(await s.next()).toEqual({ type: 'ready' });
    expect(performance.now() - t1).toBeGreaterThanOrEqual(300);
    s.child.stdin!.end();
    expect((await s.child).exitCode).toBe(0);
  });

  it('exit-early exits 3 without ready or op; unknown faults exit 2', async () => {
    const ws = await workspace();
    const exec = await tracker(ws, ['create', 'x'], { STAMPEDE_FAULTS: 'exit-early' });
    expect([exec.exitCode, exec.stdout]).toEqual([3, '']);
    const sess = await execa(process.execPath, [CLI, 'session'], {
      reject: false,
      input: '',
      env: env({ STAMPEDE_WORKSPACE: ws, STAMPEDE_FAULTS: 'exit-early' }),
    });
    expect([sess.exitCode, sess.stdout]).toEqual([3, '']);
    expect((await state(ws)).items).toEqual([]);

    const unknownExec = await tracker(ws, ['create', 'x'], { STAMPEDE_OP_FAULT: 'gremlins' });
    expect(unknownExec.exitCode).toBe(2);
    expect(unknownExec.stderr).toContain('unknown fault "gremlins" in STAMPEDE_OP_FAULT');
    const unknownSess = await execa(process.execPath, [CLI, 'session'], {
      reject: false,
      input: '',
      env: env({ STAMPEDE_WORKSPACE: ws, STAMPEDE_FAULTS: 'gremlins' }),
    });
    expect([unknownSess.exitCode, unknownSess.stdout]).toEqual([2, '']);
    expect(unknownSess.stderr).toContain('unknown fault "gremlins" in STAMPEDE_FAULTS');
  });
});
