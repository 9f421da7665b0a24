// Service targets end to end, with real processes: started and ready-checked before the agents, named by
// harness-health when it crashes, restarted by the nemesis, and never left behind: not after a run, not
// after Ctrl-C, SIGTERM or a SIGKILL of the harness itself (its reaper takes the tree down).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allGone, FIXTURES, onlyRunDir, readSummary, servicePids, stampede, tempDir } from './helpers.js';

const SCENARIO = join(FIXTURES, 'service-scenario.ts');

/** Every pid the service (and its grandchild) wrote, across restarts. */
/** Resolves once the run folder holds the service's pid file: the service is up and the run under way. */
async function serviceStarted(results: string, child: { exitCode: number | null }): Promise<string> {
  for (;;) {
    if (child.exitCode !== null) throw new Error('the run ended before its service started');
    const dirs = existsSync(results) ? readdirSync(results) : [];
    const dir = dirs[0] ? join(results, dirs[0]) : null;
    if (dir && servicePids(dir).length >= 2) return dir;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('service targets', () => {
  it('runs the service for the run, names it in the summary and stops it with its tree', async () => {
    const results = tempDir('service-ok');
    const run = await stampede(['run', SCENARIO, '--seed', '3', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    expect(summary.service).toMatchObject({ exit: 'stopped', restarts: 0 });
    expect(summary.checks.find((c) => c.name === 'harness-health')?.details).toContain(
      'service counter-service up throughout',
    );
    expect(readFileSync(join(dir, 'service', 'counter-service.log'), 'utf8')).toContain('listening');
    expect(await allGone(servicePids(dir))).toEqual([]);
  });

  it('names a service that crashes mid-run in harness-health, with its exit code and last lines', async () => {
    const results = tempDir('service-crash');
    const run = await stampede([
      'run',
      SCENARIO,
      '--seed',
      '3',
      '--ops',
      '2000',
      '--param',
      'delay=5',
      '--param',
      'crash=1500',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const summary = readSummary(onlyRunDir(results));
    expect(summary.stopReason).toBe('the service crashed');
    const health = summary.checks.find((c) => c.name === 'harness-health');
    expect(health?.verdict).toBe('fail');
    expect(health?.details).toMatch(/service counter-service crashed at \+\d+ ms \(exit code 3\)/);
    expect(health?.details).toContain('crashing on purpose');
    expect(health?.details).not.toContain('without a scheduled kill');
  });

  it('a service that never gets ready is a harness error naming it, with a deadline', async () => {
    const results = tempDir('service-never');
    const run = await stampede(['run', SCENARIO, '--param', 'ready=never', '--results', results]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /target counter-service: its service did not start: .*not ready within 3000 ms \(waiting for 127\.0\.0\.1:\d+ to accept\)/,
    );
  });

  it('restarts the service at seeded moments (--fault restart): a new process each time, ready again, not a crash', async () => {
    const results = tempDir('service-restart');
    const run = await stampede([
      'run',
      SCENARIO,
      '--seed',
      '9',
      '--ops',
      '300',
      '--param',
      'delay=5',
      '--fault',
      'restart',
      '--results',
      results,
    ]);
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    expect(summary.service?.restarts, run.stdout + run.stderr).toBe(2);
    expect(summary.checks.find((c) => c.name === 'harness-health')?.verdict).toBe('pass');
    // The fixture keeps its counter in memory, as memcached does: a restart loses it, and the model says so.
    expect(summary.checks.find((c) => c.name === 'counters')?.details).toContain('lost update');
    // Three lives of the service, two pids each (service, grandchild), all gone now.
    expect(servicePids(dir)).toHaveLength(6);
    expect(await allGone(servicePids(dir))).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'pauses the service at seeded moments (--fault pause): ops wait or time out, nothing is lost',
    async () => {
      const results = tempDir('service-pause');
      const run = await stampede([
        'run',
        SCENARIO,
        '--seed',
        '9',
        '--ops',
        '300',
        '--param',
        'delay=5',
        '--fault',
        'pause',
        '--results',
        results,
      ]);
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      const summary = readSummary(onlyRunDir(results));
      expect(summary.service).toMatchObject({ exit: 'stopped', pauses: 2, planned: 2 });
    },
  );

  it('refuses a fault the target does not declare, listing what it can carry', async () => {
    const run = await stampede(['run', SCENARIO, '--fault', 'no-lock', '--results', tempDir('service-fault')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'unknown fault "no-lock" for target counter-service; its faults: kill, restart, pause',
    );
  });

  // Signals to another process are POSIX; on Windows the reaper's taskkill path is what stops the tree.
  describe.skipIf(process.platform === 'win32')('no service or grandchild left when the harness', () => {
    it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('gets %s', async (signal) => {
      const results = tempDir(`service-${signal}`);
      const child = stampede([
        'run',
        SCENARIO,
        '--seed',
        '4',
        '--ops',
        '100000',
        '--param',
        'delay=20',
        '--results',
        results,
      ]);
      // Mid-run: the service is ready and ops flow (a signal while it gets ready is tested in hardening.test.ts).
      const flowing = new Promise<void>((resolve) =>
        child.stderr?.on('data', (chunk: Buffer) => /\d+s: \d+\/\d+ ops/.test(chunk.toString()) && resolve()),
      );
      const dir = await serviceStarted(results, child);
      await flowing;
      const pids = servicePids(dir);
      child.kill(signal);
      const done = await child;
      if (signal !== 'SIGKILL') {
        expect(done.exitCode).toBe(2);
        expect(readSummary(dir).stopReason).toBe(signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated (SIGTERM)');
      }
      expect(await allGone(pids)).toEqual([]);
    });
  });
});
