// Ctrl-C, SIGTERM and SIGHUP: every agent is stopped, no process is left behind, and the partial results are written.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../dist/lib/index.js';
import { alive, onlyRunDir, readSummary, stampede, tempDir } from './helpers.js';

// Sending SIGINT to a child is a POSIX notion; on Windows Ctrl-C reaches the console group instead.
describe.skipIf(process.platform === 'win32')('interrupt', () => {
  it.each([
    ['SIGINT', 'interrupted (Ctrl-C)'],
    ['SIGTERM', 'terminated (SIGTERM)'],
    ['SIGHUP', 'hung up (SIGHUP)'],
  ] as const)('%s kills every agent and writes partial results', async (signal, stopReason) => {
    const results = tempDir(signal);
    const child = stampede(['run', 'unique-ids', '--ops', '2000', '--seed', '5', '--results', results]);
    // Wait (by event, not by clock) for the first plain progress line: the barrier is open, ops are flowing.
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (/\d+s: \d+\/\d+ ops/.test(chunk.toString())) resolve();
      });
    });
    child.kill(signal);
    const done = await child;
    expect(done.exitCode).toBe(2);
    expect(done.stderr).toContain(`stampede: ${stopReason}: killing agents and writing partial results`);
    expect(done.stdout).toMatch(
      /1 run in [\d.]+ m?s, interrupted: 1 not as expected: unique-ids seed 5 \(ERROR, expected pass\); exit 2$/,
    );
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    expect(summary.stopReason).toBe(stopReason);
    expect(summary.harnessError).toContain(stopReason);
    expect(summary.totals.attempted).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'history.jsonl'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('history.part-'))).toHaveLength(0);
    // No orphans: every agent process that served an op is gone.
    const events = readFileSync(join(dir, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HistoryEvent);
    const pids = new Set(events.flatMap((e) => (e.pid === undefined ? [] : [e.pid])));
    expect(pids.size).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  });
});
