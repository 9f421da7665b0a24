// The exporter reference daemon (stress/exporter): its pure parts in-process (the debouncer on fake timers,
// the spacing bound, the compact keys, the batching and fsync checkers), the real daemon process driven
// over TCP (a burst folded into one export, or not, under each fault), and its scenario end to end through
// the CLI: the correct daemon passes with its visibility figures, and each fault is caught by its checker.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../dist/lib/service/service.js';
import { DaemonConnection } from '../dist/stress/exporter/connection.js';
import { readExport } from '../dist/stress/exporter/export-file.js';
import type { CheckInput, OpRecord } from '../lib/types.js';
import { exportBatching, exportFsyncs } from '../stress/exporter/checks.js';
import { Debouncer, type DebounceMode } from '../stress/exporter/debouncer.js';
import { parseExporterFaults } from '../stress/exporter/faults.js';
import { compactKeys, seenKeys } from '../stress/exporter/keys.js';
import { maxSpacedPoints } from '../stress/exporter/spacing.js';
import type { ExporterState } from '../stress/exporter/target.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';
import { onlyRunDir, readSummary, ROOT, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();
const SCENARIO = join(ROOT, 'dist', 'stress', 'exporter', 'scenario.js');
const DAEMON = join(ROOT, 'dist', 'stress', 'exporter', 'main.js');

describe('debouncer (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A debouncer whose action counts its runs; the clock is vitest's. */
  function counting(mode: DebounceMode, windowMs = 50) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const runs: number[] = [];
    const d = new Debouncer(
      windowMs,
      mode,
      async () => void runs.push(performance.now()),
      (error) => {
        throw error;
      },
    );
    return { d, runs };
  }

  it('window: a burst becomes one run at the end of its window; a steady stream one run per window', async () => {
    const { d, runs } = counting('window');
    for (let i = 0; i < 100; i++) d.trigger();
    expect(d.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(49);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([50]);
    expect(d.pending).toBe(false);
    // A trigger every 10 ms for a second: one run per window, never postponed.
    for (let t = 0; t < 1000; t += 10) {
      d.trigger();
      await vi.advanceTimersByTimeAsync(10);
    }
    await d.settled();
    // Never postponed (reset would give none), never more than one per window.
    expect(runs.length).toBeGreaterThanOrEqual(15);
    expect(runs.length).toBeLessThanOrEqual(21);
    for (let i = 1; i < runs.length; i++)
      expect((runs[i] as number) - (runs[i - 1] as number)).toBeGreaterThanOrEqual(50);
  });

  it('reset (seed 003): a steady stream postpones the run until it stops', async () => {
    const { d, runs } = counting('reset');
    for (let t = 0; t < 1000; t += 10) {
      d.trigger();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toEqual([1040]);
  });

  it('immediate (no debounce): one run per trigger, never two at once', async () => {
    const { d, runs } = counting('immediate');
    for (let i = 0; i < 10; i++) d.trigger();
    await d.settled();
    expect(runs).toHaveLength(10);
  });

  it('settled() waits for the open window and its run', async () => {
    const { d, runs } = counting('window', 1000);
    expect(d.pending).toBe(false);
    await d.settled(); // idle: resolves at once
    d.trigger();
    let settled = false;
    void d.settled().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(runs).toHaveLength(1);
  });
});

describe('spacing bound and compact keys', () => {
  it('counts the most points a gap apart that fit in the spans', () => {
    expect(maxSpacedPoints([], 50)).toBe(0);
    // One long span of 200 ms: points at 0, 50, 100, 150, 200.
    expect(maxSpacedPoints([[0, 200]], 50)).toBe(5);
    // Overlapping spans merge; a point fits only inside a span.
    expect(
      maxSpacedPoints(
        [
          [0, 1],
          [0.5, 2],
          [30, 31],
          [60, 61],
          [200, 201],
        ],
        50,
      ),
    ).toBe(3);
    // An op whose outcome is unknown may land any time after its invoke: no bound from it.
    expect(maxSpacedPoints([[0, Infinity]], 50)).toBe(Infinity);
  });

  it('compact keys round-trip: every key it holds, none it does not', () => {
    const keys = ['a0-0', 'a0-1', 'a0-2', 'a0-5', 'a1-3', 'a10-7', 'odd key'];
    const compact = compactKeys(9, keys);
    expect(compact).toEqual({
      version: 9,
      count: 7,
      ranges: { a0: '0-2,5', a1: '3', a10: '7' },
      other: ['odd key'],
    });
    const seen = seenKeys(JSON.parse(JSON.stringify(compact)));
    for (const key of keys) expect(seen?.(key), key).toBe(true);
    for (const key of ['a0-3', 'a0-6', 'a1-2', 'a2-0', 'other']) expect(seen?.(key), key).toBe(false);
    expect(seenKeys({ nothing: true })).toBeNull();
  });
});

describe('exporter faults', () => {
  it("takes its own faults, passes the harness's nemeses by, refuses anything else", () => {
    expect([...parseExporterFaults('no-debounce, restart,kill,pause, slow-export')]).toEqual([
      'no-debounce',
      'slow-export',
    ]);
    expect(() => parseExporterFaults('no-debounce,typo')).toThrow(/^unknown fault "typo" in STAMPEDE_FAULTS/);
  });
});

describe('exporter checkers', () => {
  const stats = (over: Partial<ExporterState['stats']>): ExporterState['stats'] => ({
    mutations: 0,
    exports: 0,
    fsyncs: 0,
    records: 0,
    windowMs: 50,
    faults: [],
    pending: false,
    ...over,
  });
  const input = (ops: OpRecord[], s: ExporterState['stats']): CheckInput<ExporterState> => ({
    plan: unitPlan([0, 1]),
    ops,
    state: { version: 0, data: {}, stats: s },
    health: [healthyAgent(0), healthyAgent(1)],
    counters: [],
    maxUnknownRatio: 0.5,
  });
  // 100 sets, one every 2 ms over 200 ms: a 50 ms window allows at most 5 exports (0, 50, 100, 150, 200 - 1 ms each).
  const burst = Array.from({ length: 100 }, (_, i): OpRecord => ({
    agent: i % 2,
    seq: i,
    f: 'set',
    value: { key: `a${i % 2}-${i}`, value: 'v' },
    outcome: 'ok',
    result: { version: i + 1 },
    start: i * 2,
    end: i * 2 + 1,
  }));

  it('export-batching: passes a folded storm, fails one export per mutation, names the bound', () => {
    const ok = exportBatching().check(input(burst, stats({ mutations: 100, exports: 5 })));
    expect(ok.verdict, ok.details).toBe('pass');
    expect(ok.details).toBe('5 exports for 100 mutations; a 50 ms window allows at most 5');
    const storm = exportBatching().check(input(burst, stats({ mutations: 100, exports: 100 })));
    expect(storm.verdict).toBe('fail');
    expect(storm.details).toMatch(/^100 exports for 100 mutations; a 50 ms window allows at most 5: 95 too many/);
  });

  it('export-fsyncs: one per export passes, one per record fails', () => {
    expect(exportFsyncs.check(input([], stats({ exports: 4, fsyncs: 4, records: 40 }))).verdict).toBe('pass');
    const perRecord = exportFsyncs.check(input([], stats({ exports: 4, fsyncs: 44, records: 40 })));
    expect(perRecord.verdict).toBe('fail');
    expect(perRecord.details).toBe('44 fsyncs for 4 exports (40 records written): 40 more fsyncs than exports');
  });

  it('both are unknown when the daemon reported no counts', () => {
    const none = { ...input([], stats({})), state: {} as ExporterState };
    expect(exportBatching().check(none).verdict).toBe('unknown');
    expect(exportFsyncs.check(none).verdict).toBe('unknown');
  });
});

describe('the daemon, as a process', () => {
  const daemons: ResultPromise[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) {
      d.kill('SIGTERM');
      await d;
    }
  });

  /** Start the daemon with a window so long that a burst surely fits in it; resolves once it listens. */
  async function daemon(faults: string): Promise<{ conn: DaemonConnection; file: string; log: () => string }> {
    const dir = scratch('exporter');
    const port = await freePort();
    const file = join(dir, 'export.json');
    const child = execa(process.execPath, [DAEMON], {
      env: { EXPORTER_PORT: String(port), EXPORTER_FILE: file, EXPORTER_WINDOW_MS: '2000', STAMPEDE_FAULTS: faults },
      cwd: dir,
      reject: false,
    });
    daemons.push(child);
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('listening on')) resolve();
      });
      void child.then(() => reject(new Error(`the daemon exited before it listened: ${log}`)));
    });
    return { conn: await DaemonConnection.connect('127.0.0.1', port), file, log: () => log };
  }

  async function burst(conn: DaemonConnection, n: number): Promise<void> {
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) => conn.request({ op: 'set', key: `a0-${i}`, value: `"v${i}"\n` })),
    );
    expect(answers.every((a) => a.ok)).toBe(true);
  }

  it('writes an empty export before it listens, folds a burst into one export, one fsync', async () => {
    const { conn, file } = await daemon('');
    expect(existsSync(file)).toBe(true);
    expect(await readExport(file)).toEqual({ version: 0, count: 0, data: {} });
    await burst(conn, 100);
    const stats = await conn.settle();
    expect(stats).toMatchObject({ mutations: 100, exports: 1, fsyncs: 1, records: 100, pending: false });
    const exported = await readExport(file);
    expect(exported.version).toBe(100);
    expect(exported.count).toBe(100);
    expect(exported.data['a0-7']).toBe('"v7"\n');
    // One record per line, and no temp file left beside the export.
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(103);
    expect(readdirSync(dirname(file))).toEqual(['export.json']);
    conn.close();
  });

  it('no-debounce: one export per mutation', async () => {
    const { conn } = await daemon('no-debounce');
    await burst(conn, 50);
    expect(await conn.settle()).toMatchObject({ mutations: 50, exports: 50, fsyncs: 50 });
    conn.close();
  });

  it('fsync-per-record: an fsync after every record, and one at the end', async () => {
    const { conn } = await daemon('fsync-per-record');
    await burst(conn, 30);
    expect(await conn.settle()).toMatchObject({ mutations: 30, exports: 1, records: 30, fsyncs: 31 });
    conn.close();
  });

  it('refuses a malformed request without changing anything, and an unknown fault at start', async () => {
    const { conn } = await daemon('');
    expect(await conn.request({ op: 'set', key: '', value: 'v' })).toMatchObject({
      ok: false,
      error: 'set: key must be a non-empty string',
    });
    expect(await conn.request({ op: 'drop' })).toMatchObject({ ok: false });
    expect(await conn.settle()).toMatchObject({ mutations: 0, exports: 0 });
    conn.close();
    const bad = await execa(process.execPath, [DAEMON], {
      env: { EXPORTER_PORT: String(await freePort()), STAMPEDE_FAULTS: 'typo' },
      cwd: scratch('exporter-bad'),
      reject: false,
    });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('unknown fault "typo" in STAMPEDE_FAULTS (the exporter knows: slow-export, ');
  });
});

describe('export-visibility scenario, end to end', () => {
  async function runScenario(args: string[]) {
    const results = scratch('exporter-run');
    const run = await stampede(['run', SCENARIO, '--results', results, ...args]);
    const dir = onlyRunDir(results);
    return { run, dir, summary: readSummary(dir) };
  }
  const check = (summary: ReturnType<typeof readSummary>, name: string) => {
    const found = summary.checks.find((c) => c.name === name);
    if (!found) throw new Error(`no ${name} check in ${JSON.stringify(summary.checks.map((c) => c.name))}`);
    return found;
  };

  it('the correct daemon passes: writes visible well within the budget, the storm folded, one fsync per export', async () => {
    const { run, dir, summary } = await runScenario(['--seed', '7']);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const vis = check(summary, 'visibility');
    const data = vis.data as { p95: { low: number; high: number }; observed: number; lost: number };
    expect(data.lost).toBe(0);
    expect(data.observed).toBeGreaterThanOrEqual(10);
    expect(run.stdout).toMatch(/visibility\s+pass\s+p95 ack-to-visible \d+\.\.\d+ ms, within 1000 ms/);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ExporterState;
    expect(state.stats.fsyncs).toBe(state.stats.exports);
    expect(Object.keys(state.data)).toHaveLength(state.stats.mutations);
    expect(existsSync(join(dir, 'service', 'exporter.log'))).toBe(true);
  });

  it.each([
    ['slow-export', 'visibility'],
    ['no-debounce', 'export-batching'],
    ['fsync-per-record', 'export-fsyncs'],
  ])('%s is caught by %s (exit 1)', async (fault, checker) => {
    const { run, summary } = await runScenario(['--fault', fault, '--seed', '11']);
    expect(run.exitCode, run.stdout).toBe(1);
    expect(check(summary, checker).verdict).toBe('fail');
  });

  it('a restart of the daemon (SIGKILL) is survived: connections reset mid-op end unknown, never a harness crash', async () => {
    const { run, summary } = await runScenario(['--fault', 'restart', '--seed', '5']);
    expect(run.stderr).not.toContain('internal error');
    expect(summary.harnessError, run.stderr).toBeNull();
    expect(summary.service?.restarts).toBeGreaterThanOrEqual(1);
    // Writes acknowledged but not yet exported when it was killed are lost: visibility may say so, nothing else.
    for (const c of summary.checks) if (c.name !== 'visibility') expect(c.verdict, c.details).not.toBe('fail');
  });
});
