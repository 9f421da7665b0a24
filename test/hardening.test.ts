// The ways a new user breaks a run (bounds, broken targets, deadlines, impure plans, empty shards), each
// answered with one clear line and the right exit code, nothing left half made, nothing left running.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allGone, FIXTURES, onlyRunDir, readSummary, runDirs, scratchDirs, servicePids, stampede } from './helpers.js';

const scratch = scratchDirs();
const BROKEN = join(FIXTURES, 'broken-scenario.ts');

/** One line on stderr, no stack trace, no "internal error". */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

function folders(results: string): string[] {
  return existsSync(results) ? runDirs(results) : [];
}

describe('inputs are bounded before anything is written', () => {
  it.each([
    [['--agents', '1', '--ops', '9007199254740991'], /--ops must be a whole number from 1 to 10,000,000/],
    [['--agents', '1000000', '--ops', '1'], /--agents must be a whole number from 1 to 4,096/],
    [['--threads', '100000'], /--threads must be a whole number from 1 to 64/],
    [['--threads', '64', '--agents', '2'], /--threads 64 is more than the 2 agents/],
    [['--timeout', '3000000000'], /--timeout must be from 1ms to 2147483647ms/],
    [['--run-timeout', '30d'], /--run-timeout must be a duration like 500ms, 30s, 10m or 2h/],
    [['--run-timeout', '0'], /--run-timeout must be from 1ms/],
    [['--repeat', '999999999999'], /--repeat must be a whole number from 1 to 100,000/],
    [['--shard', '2/2'], /--shard 2\/2 has nothing to run: there is 1 run/],
  ])('run concurrent-creates %j: one line, exit 2', async (args, said) => {
    const results = scratch('bounds');
    const run = await stampede(['run', 'concurrent-creates', ...args, '--results', results]);
    expect(run.exitCode, run.stderr).toBe(2);
    expectOneLine(run.stderr, said);
    expect(folders(results)).toHaveLength(0);
  });

  it('refuses a plan too big to write, saying its size, and leaves no folder', async () => {
    const results = scratch('plan-size');
    const run = await stampede([
      'run',
      'concurrent-creates',
      '--agents',
      '4096',
      '--ops',
      '10000000',
      '--results',
      results,
    ]);
    expect(run.exitCode).toBe(2);
    expectOneLine(
      run.stderr,
      /the plan \(4,096 agents x 10,000,000 ops = 40,960,000,000 ops\) would take about [\d.]+ TB in plan\.json, more than the 1\.0 GB a plan may take; lower --ops or --agents/,
    );
    expect(folders(results)).toHaveLength(0);
  });

  it('takes durations as 500ms, 30s or 10m (a bare number of ms) for the deadlines', async () => {
    const results = scratch('durations');
    const run = await stampede([
      'run',
      'concurrent-creates',
      '--agents',
      '1',
      '--ops',
      '1',
      '--timeout',
      '30s',
      '--run-timeout',
      '10m',
      '--reporter',
      'json',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readSummary(onlyRunDir(results)).options).toMatchObject({ timeoutMs: 30_000, runTimeoutMs: 600_000 });
  });

  it('refuses a --results that is a file, in one line', async () => {
    const file = join(scratch('results-file'), 'not-a-folder');
    writeFileSync(file, 'x');
    const run = await stampede(['run', 'concurrent-creates', '--agents', '1', '--ops', '1', '--results', file]);
    expect(run.exitCode).toBe(2);
    expectOneLine(
      run.stderr,
      /cannot make a run folder in --results .*not-a-folder: .*not-a-folder is a file; point --results at a folder you can write to/,
    );
  });
});

describe('a broken target is a harness error naming the step, exit 2', () => {
  it('setup that throws: its message, and no half-made run folder', async () => {
    const results = scratch('setup-throws');
    const run = await stampede(['run', BROKEN, '--param', 'break=setup', '--results', results]);
    expect(run.exitCode).toBe(2);
    expectOneLine(run.stderr, /^stampede: target broken: setup failed: setup exploded: the store could not be made$/);
    expect(folders(results)).toHaveLength(0);
  });

  it('readState that throws: the run is an error saying so, never a pass', async () => {
    const results = scratch('read-state-throws');
    const run = await stampede([
      'run',
      BROKEN,
      '--param',
      'break=read-state',
      '--reporter',
      'json',
      '--results',
      results,
    ]);
    expect(run.exitCode).toBe(2);
    const summary = readSummary(onlyRunDir(results));
    expect(summary.harnessError).toBe('target broken: readState failed: store unreachable: connection refused');
    expect(run.stdout).toContain('harness error: target broken: readState failed: store unreachable');
  });

  it('a generate that calls Math.random is refused at plan time, naming the scenario', async () => {
    const results = scratch('impure');
    const run = await stampede(['run', BROKEN, '--param', 'break=impure', '--results', results]);
    expect(run.exitCode).toBe(2);
    expectOneLine(
      run.stderr,
      /scenario broken-fixture: workload\.generate is not deterministic: with seed \d+, agent a0 op #0 came out .* once and .* the next time; draw every random choice from its rng argument/,
    );
    expect(folders(results)).toHaveLength(0);
  });
});

describe('a run deadline is its own stop reason', () => {
  it('is unknown (exit 3), not an invariant failure, and its replay keeps --run-timeout', async () => {
    const results = scratch('run-deadline');
    // 50 ms per op x 400 ops per agent: far more than the 3 s deadline allows.
    const run = await stampede([
      'run',
      BROKEN,
      '--param',
      'break=slow',
      '--ops',
      '400',
      '--run-timeout',
      '3s',
      '--seed',
      '7',
      '--reporter',
      'json',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(3);
    const summary = readSummary(onlyRunDir(results));
    expect(summary.stopReason).toBe('run deadline reached');
    expect(summary.harnessError).toBeNull();
    expect(summary.verdict).toBe('unknown');
    const health = summary.checks.find((c) => c.name === 'harness-health');
    expect(health?.verdict).toBe('unknown');
    expect(health?.details).toMatch(
      /^the plan was not finished: run deadline reached \(3000 ms\) with \d+ of 800 ops attempted; every agent behaved until then; raise --run-timeout/,
    );
    expect(summary.checks.filter((c) => c.verdict === 'fail')).toEqual([]);
    expect(summary.replay).toContain('--run-timeout 3000');
    // A scenario file under the current folder is replayed by its relative path (the same on every machine).
    expect(summary.replay).toContain(` ${join('test', 'fixtures', 'broken-scenario.ts')} --seed 7 `);
    expect(readdirSync(onlyRunDir(results))).toContain('history.jsonl');
  });
});

describe('signals during planning', () => {
  // Sending SIGINT to a child is a POSIX notion; on Windows Ctrl-C reaches the console group instead.
  it.skipIf(process.platform === 'win32')(
    'Ctrl-C stops the wait for a service that is not ready: one line, exit 2, not at its 60 s deadline',
    async () => {
      const results = scratch('service-interrupt');
      const child = stampede([
        'run',
        join(FIXTURES, 'service-scenario.ts'),
        '--param',
        'ready=never',
        '--param',
        'readyTimeout=60000',
        '--results',
        results,
      ]);
      // The service writes its pids once started: from then on the harness waits for it to be ready.
      const waiting = (): boolean => folders(results).some((dir) => servicePids(dir).length >= 2);
      while (!waiting()) {
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const signalled = performance.now();
      child.kill('SIGINT');
      const done = await child;
      expect(done.exitCode, done.stderr).toBe(2);
      expect(done.stderr).toMatch(
        /its service did not start: .*stopped while waiting for it to be ready: interrupted \(Ctrl-C\)/,
      );
      expect(done.stderr).not.toMatch(/internal error|\n\s+at /);
      // Far below the 60 s readiness deadline it would otherwise have waited out, and nothing of it left.
      expect(performance.now() - signalled).toBeLessThan(30_000);
      expect(await allGone(servicePids(onlyRunDir(results)))).toEqual([]);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'Ctrl-C stops a large plan while it is being written: one line, exit 2, no folder left',
    async () => {
      const results = scratch('plan-interrupt');
      // About 3 million ops: seconds of writing plan.json, well inside the size limit.
      const child = stampede(['run', 'concurrent-creates', '--agents', '32', '--ops', '100000', '--results', results]);
      // Wait (by polling the disk, not by a fixed sleep) until plan.json is being written.
      const started = (): boolean => folders(results).some((dir) => existsSync(join(dir, 'plan.json')));
      while (!started()) {
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGINT');
      const done = await child;
      expect(done.exitCode, done.stderr).toBe(2);
      expect(done.stderr).toContain('stampede: interrupted (Ctrl-C): killing agents and writing partial results');
      expect(done.stderr).toMatch(
        /stampede: concurrent-creates seed \d+: planning stopped: interrupted \(Ctrl-C\); nothing ran/,
      );
      expect(done.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(folders(results)).toHaveLength(0);
    },
  );
});

describe('a session agent that breaks the protocol is a harness error naming the agent and the line, exit 2', () => {
  it.each([
    [
      'not-json',
      /^agent a0: broke the session protocol: stdout line is not JSON: "hello from a debug print" \(stdout carries protocol lines only: write logs to stderr\)$/,
    ],
    [
      'wrong-id',
      /^agent a0: broke the session protocol: unexpected stdout line: "\{\\"type\\":\\"ok\\",\\"id\\":1001\}" \(expected an answer to op 1\)$/,
    ],
    // The second answer comes in the same write as the first, so before the next op is sent (a pipe write this small is atomic).
    [
      'two-answers',
      /^agent a0: broke the session protocol: unexpected stdout line: .*"id\\":1.* \(expected no line \(no op was waiting for an answer\)\)$/,
    ],
    [
      'close-stdout',
      /^agent a0: broke the session protocol: closed its stdout but kept running \(pid \d+\): it can answer no op$/,
    ],
  ])('%s', async (how, said) => {
    const results = scratch(`protocol-${how}`);
    // A 60 s op deadline: the violation must be seen at once, not when an op times out.
    const run = await stampede([
      'run',
      BROKEN,
      '--param',
      `break=${how}`,
      '--timeout',
      '60s',
      '--reporter',
      'json',
      '--results',
      results,
    ]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(2);
    const summary = readSummary(onlyRunDir(results));
    expect(summary.harnessError).toMatch(said);
    expect(summary.agents[0]?.exit).toBe('protocol-error');
    expect(summary.durationMs).toBeLessThan(60_000);
    for (const agent of summary.agents)
      expect(agent.exit === 'ok' || agent.id === 0, `a${agent.id} ${agent.exit}`).toBe(true);
  });
});
