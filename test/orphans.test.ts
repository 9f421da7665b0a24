// No agent process outlives the harness when the harness starts them itself with execa (exec agents on the
// `node` spawner, session agents): killed outright (SIGKILL, no handler runs), its agent reaper
// (lib/reaper/) kills every process group it was watching; terminated (SIGTERM), it stops them itself.
// And a run that ends normally leaves no reaper behind either. Real processes, found with `ps`: the
// harness's children at the moment it is killed, and the grandchildren the fixture agents name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type Result, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../dist/lib/index.js';
import { HANGING_SEQ } from '../dist/stress/timeouts.js';
import { FIXTURES, onlyRunDir, readSummary, runDirs, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();
/** How long the dead harness's processes may take to go (the reaper only has to start and kill). */
const GONE_WITHIN_MS = 5_000;
const POLL_MS = 20;

interface Proc {
  pid: number;
  ppid: number;
  /** `ps` state: Z is a zombie, dead and waiting for its parent (init, now) to reap it. */
  state: string;
  command: string;
}

async function processes(): Promise<Proc[]> {
  const { stdout } = await execa('ps', ['-A', '-o', 'pid=,ppid=,stat=,command='], { shell: false });
  return stdout.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), state: m[3] as string, command: m[4] as string }] : [];
  });
}

/** Waits (on the condition, bounded) until `ready()` returns a value; fails if the harness ends first. */
async function until<T>(
  what: string,
  harness: ResultPromise,
  ready: () => Promise<T | null> | T | null,
  boundMs = 60_000,
): Promise<T> {
  const deadline = performance.now() + boundMs;
  let ended = false;
  void harness.finally(() => (ended = true));
  for (;;) {
    const value = await ready();
    if (value !== null) return value;
    if (ended) throw new Error(`the harness ended before ${what}: ${String((await harness).stderr)}`);
    if (performance.now() > deadline) throw new Error(`no ${what} within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Waits (bounded) until none of these processes runs; returns those still running at the deadline. */
async function stillRunningAfter(pids: number[]): Promise<Proc[]> {
  const deadline = performance.now() + GONE_WITHIN_MS;
  for (;;) {
    const running = (await processes()).filter((p) => pids.includes(p.pid) && !p.state.startsWith('Z'));
    if (running.length === 0 || performance.now() > deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function historyEvents(runDir: string): HistoryEvent[] {
  return (
    readdirSync(runDir)
      .filter((name) => name.startsWith('history.part-'))
      // Whole lines only: the run may be writing the last one as it is read.
      .flatMap((name) => readFileSync(join(runDir, name), 'utf8').split('\n').slice(0, -1))
      .map((line) => JSON.parse(line) as HistoryEvent)
  );
}

function onlyRunDirSoFar(results: string): string | null {
  return existsSync(results) ? (runDirs(results)[0] ?? null) : null;
}

const isReaper = (p: Proc): boolean => p.command.includes('agent-reaper-process.js');

// Signals to another process and `ps` are POSIX; the reaper's Windows path (taskkill) is not exercised here.
describe.skipIf(process.platform === 'win32')('no agent process outlives the harness', () => {
  // 'group': a SIGKILL of the harness's whole process group (a CI job cancelled, `kill -9 -PGID`), which the
  // reaper, in a group of its own, survives to clean up.
  describe.each(['SIGKILL', 'SIGTERM', 'group'] as const)('%s of the harness', (how) => {
    /** The harness, in a group of its own when the whole group is to be killed (not the test runner's). */
    const start = (args: string[]): ResultPromise => stampede(args, how === 'group' ? { detached: true } : {});
    const kill = (harness: ResultPromise): void => {
      if (how === 'group') process.kill(-(harness.pid as number), 'SIGKILL');
      else harness.kill(how);
    };
    const expectEnded = (done: Result): void => {
      if (how === 'SIGTERM') expect(done.exitCode, String(done.stderr)).toBe(2);
      else expect(done.signal).toBe('SIGKILL');
    };

    it("exec agents on --spawner node: the hung ops' processes are gone", async () => {
      const results = scratch(`orphans-exec-${how}`);
      // Each of the 4 agents hangs at its op #HANGING_SEQ; with a 10-minute deadline only a kill ends it.
      const harness = start([
        'run',
        'timeouts',
        '--spawner',
        'node',
        '--seed',
        '1',
        '--timeout',
        '600000',
        '--results',
        results,
      ]);
      // Every agent inside its hanging op, and one tracker process each: nothing more will be spawned.
      const children = await until('every agent in its hanging op', harness, async () => {
        const runDir = onlyRunDirSoFar(results);
        if (!runDir) return null;
        const hanging = new Set(
          historyEvents(runDir).flatMap((e) => (e.type === 'invoke' && e.seq === HANGING_SEQ ? [e.agent] : [])),
        );
        if (hanging.size < 4) return null;
        const kids = (await processes()).filter((p) => p.ppid === harness.pid);
        return kids.filter((p) => p.command.includes('tracker.js')).length === 4 ? kids : null;
      });
      // One reaper per worker thread that starts agents itself.
      expect(children.filter(isReaper).length).toBeGreaterThan(0);
      kill(harness);
      expectEnded(await harness);
      expect(await stillRunningAfter(children.map((p) => p.pid))).toEqual([]);
    });

    it('a session agent that ignores the end of its stdin and SIGTERM is gone, with its child', async () => {
      const results = scratch(`orphans-session-${how}`);
      const harness = start(['run', join(FIXTURES, 'deaf-session-scenario.ts'), '--seed', '1', '--results', results]);
      // Each agent names itself and its child once its op has arrived: the barrier is open, the run under way.
      const named = await until('both agents named their processes', harness, () => {
        const runDir = onlyRunDirSoFar(results);
        const files = runDir ? [0, 1].map((agent) => join(runDir, 'workspace', `deaf-${agent}.pids`)) : [];
        if (files.length === 0 || !files.every(existsSync)) return null;
        const texts = files.map((file) => readFileSync(file, 'utf8'));
        // Whole lines only: an agent may be writing its file as it is read.
        if (!texts.every((text) => text.endsWith('\n'))) return null;
        return texts.flatMap((text) => text.trim().split(' ').map(Number));
      });
      const children = (await processes()).filter((p) => p.ppid === harness.pid);
      // One reaper per worker thread that starts agents itself.
      expect(children.filter(isReaper).length).toBeGreaterThan(0);
      expect(children.map((p) => p.pid)).toEqual(expect.arrayContaining([named[0], named[2]]));
      kill(harness);
      expectEnded(await harness);
      expect(await stillRunningAfter([...named, ...children.map((p) => p.pid)])).toEqual([]);
    });
  });

  it.each([
    ['exec agents on --spawner node', ['timeouts', '--spawner', 'node', '--seed', '2']],
    ['session agents', ['unique-ids', '--agents', '2', '--ops', '200', '--seed', '2']],
  ])('the agent reaper of a run that ends normally (%s) exits by itself', async (_, args) => {
    const results = scratch('orphans-normal');
    const harness = stampede(['run', ...args, '--results', results]);
    const reaper = await until(
      'an agent reaper',
      harness,
      async () => (await processes()).find((p) => p.ppid === harness.pid && isReaper(p)) ?? null,
    );
    const done = await harness;
    expect(done.exitCode, `${String(done.stdout)}${String(done.stderr)}`).toBe(0);
    expect(await stillRunningAfter([reaper.pid])).toEqual([]);
  });

  it('an agent reaper killed mid-run makes the run a harness error, with its results written', async () => {
    const results = scratch('orphans-lost');
    const harness = stampede(['run', 'timeouts', '--spawner', 'node', '--seed', '3', '--results', results]);
    const reaper = await until(
      'an agent reaper',
      harness,
      async () => (await processes()).find((p) => p.ppid === harness.pid && isReaper(p)) ?? null,
    );
    process.kill(reaper.pid, 'SIGKILL');
    const done = await harness;
    expect(done.exitCode, String(done.stderr)).toBe(2);
    expect(String(done.stderr)).not.toMatch(/internal error/);
    expect(readSummary(onlyRunDir(results)).harnessError).toMatch(
      /the agent reaper .*: agent processes were no longer guarded against the harness being killed/,
    );
  });
});

describe('the agent reaper started without its channel', () => {
  const REAPER = join(import.meta.dirname, '..', 'dist', 'lib', 'reaper', 'agent-reaper-process.js');

  it('run by hand: says it is forked by the harness, exit 2', async () => {
    const run = await execa(process.execPath, [REAPER], { reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'stampede agent reaper: started without an IPC channel; it is forked by the harness, not run by hand',
    );
  });

  it('forked, its channel already closed (a run stopped at once): exits 0 without a word', async () => {
    const run = await execa(process.execPath, [REAPER, '--forked-by-harness'], { reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
  });

  it.skipIf(process.platform === 'win32')(
    'forked by the harness: listens before start() resolves, and kills what it holds when the channel closes',
    async () => {
      const { AgentReaper } = await import('../dist/lib/reaper/agent-reaper.js');
      const reaper = new AgentReaper();
      const started = reaper.start();
      expect(reaper.start()).toBe(started);
      await started;
      // A process group the thread never took back, as if its agent were still running when the run ended.
      const sleeper = execa('sleep', ['30'], { detached: true, reject: false });
      reaper.watch(sleeper.pid as number);
      await reaper.close();
      const ended = await sleeper;
      expect(ended.signal).toBe('SIGKILL');
    },
  );
});
