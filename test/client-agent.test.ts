// Client agents end to end: a module loaded in the worker threads (here plain JS; the examples load .ts
// through tsx), one open client per agent. ok, fail (OpFailed) and unknown map as documented; an invoke
// that ignores its signal still ends at the deadline, and the connection is closed and reopened.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../dist/lib/index.js';
import { FIXTURES, onlyRunDir, readSummary, stampede, tempDir } from './helpers.js';

const SCENARIO = join(FIXTURES, 'client-scenario.ts');

function completions(runDir: string): HistoryEvent[] {
  return readFileSync(join(runDir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as HistoryEvent)
    .filter((e) => e.type !== 'invoke' && e.agent === 0);
}

describe('client agents', () => {
  it('map a value to ok, OpFailed to fail, any other throw to unknown, and reconnect after an unknown', async () => {
    const results = tempDir('client-map');
    const run = await stampede(['run', SCENARIO, '--seed', '1', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const dir = onlyRunDir(results);
    const events = completions(dir);
    expect(events.map((e) => e.type)).toEqual(['ok', 'fail', 'info', 'ok']);
    expect(events[0]?.value).toEqual({ echo: { n: 0 } });
    expect(events[1]?.error).toBe('refused on purpose');
    expect(events[2]?.error).toBe('connection reset on purpose');
    // Opened, dropped after the unknown outcome, reopened for the last op, closed at the end.
    expect(readFileSync(join(dir, 'workspace', 'client-0.log'), 'utf8')).toBe('open\nclose\nopen\nclose\n');
    expect(readSummary(dir).agents[0]).toMatchObject({ restarts: 1, exit: 'ok' });
  });

  it('end an op whose invoke ignores its signal at the deadline, as unknown', async () => {
    const results = tempDir('client-stuck');
    const run = await stampede(['run', SCENARIO, '--seed', '1', '--param', 'ops=ok,stuck,ok,ok', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const events = completions(onlyRunDir(results));
    expect(events.map((e) => e.type)).toEqual(['ok', 'info', 'ok', 'ok']);
    expect(events[1]?.error).toBe('deadline of 500 ms exceeded; connection closed and reopened');
  });

  it('a client that cannot open is a harness error naming the agent and the module (exit 2)', async () => {
    const run = await stampede(['run', SCENARIO, '--param', 'open=fail', '--results', tempDir('client-open')]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout + run.stderr).toMatch(
      /agent a[01]: open\(\) of \S+memory-client\.mjs failed: cannot reach the store \(open=fail\)/,
    );
  });

  it('a readState that throws is a harness error saying so; checks that need no state still run', async () => {
    const results = tempDir('client-state');
    const run = await stampede(['run', SCENARIO, '--seed', '1', '--param', 'state=throw', '--results', results]);
    expect(run.exitCode).toBe(2);
    const summary = readSummary(onlyRunDir(results));
    expect(summary.harnessError).toBe('target memory: readState failed: store unreadable (state=throw)');
    expect(summary.checks.find((c) => c.name === 'per-agent')?.verdict).toBe('pass');
    expect(summary.checks.find((c) => c.name === 'logs-kept')).toMatchObject({
      verdict: 'unknown',
      details: 'not checked: target memory: readState failed: store unreadable (state=throw)',
    });
  });
});
