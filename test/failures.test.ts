// Never silent: a missing target binary and an agent that exits before the barrier each fail the run
// loudly (exit 2), naming what is wrong, before any op runs; the harness's own input failing mid-run
// stops every agent and says so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, FIXTURES, onlyRunDir, readSummary, runDirs, stampede, tempDir } from './helpers.js';

describe('harness errors', () => {
  it('reports a missing target binary in one line before any agent starts', async () => {
    const results = tempDir('missing');
    const run = await stampede(['run', join(FIXTURES, 'missing-binary-scenario.ts'), '--results', results]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/target ghost: program \/nonexistent\/bin\/ghost-tracker does not exist/);
    expect(runDirs(results)).toHaveLength(0);
  });

  it('fails the run naming the agent that exits before the barrier', async () => {
    const results = tempDir('early');
    const run = await stampede([
      'run',
      'concurrent-creates',
      '--agents',
      '4',
      '--ops',
      '5',
      '--fault',
      'exit-early',
      '--seed',
      '11',
      '--results',
      results,
    ]);
    expect(run.exitCode).toBe(2);
    const summary = readSummary(onlyRunDir(results));
    const early = summary.agents.filter((a) => a.exit === 'early-exit');
    expect(early).toHaveLength(1);
    const name = early[0]?.name as string;
    expect(summary.harnessError).toContain(`agent ${name}`);
    expect(summary.harnessError).toMatch(/exited before reaching the barrier/);
    expect(run.stdout).toContain(`agent ${name}`);
    // No op ran: the barrier never opened.
    expect(summary.totals.attempted).toBe(0);
    expect(readFileSync(join(onlyRunDir(results), 'history.jsonl'), 'utf8')).toBe('');
  });

  it('stops the run loudly, naming the agent, when plan.json is cut short under it, and leaves no agent behind', async () => {
    const results = tempDir('cut-plan');
    const run = await stampede(['run', join(FIXTURES, 'cut-plan-scenario.ts'), '--seed', '2', '--results', results]);
    expect(run.exitCode).toBe(2);
    const dir = onlyRunDir(results);
    const summary = readSummary(dir);
    expect(summary.stopReason).toBe('harness error in a worker thread');
    expect(summary.harnessError).toMatch(
      /^agent (a\d): .*plan\.json, agent \1's ops .*the file ends at byte \d+.*plan\.json must not change while its run reads it; replay the run from its seed/,
    );
    expect(run.stdout).toContain(summary.harnessError);
    const workspace = join(dir, 'workspace');
    const pids = [0, 1, 2].flatMap((agent) => {
      const file = join(workspace, `times-${agent}.json`);
      return existsSync(file) ? [(JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid] : [];
    });
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(alive(pid), `agent pid ${pid}`).toBe(false);
  });

  it('rejects bad flags and unknown scenarios with one line and exit 2', async () => {
    for (const args of [
      ['run', 'concurrent-creates', '--agents', 'zero'],
      ['run', 'concurrent-creates', '--seed', '-5'],
      ['run', 'concurrent-creates', '--fault', 'gremlins'],
      ['run', 'no-such-scenario'],
      ['run', 'concurrent-creates', '--bogus'],
      ['frobnicate'],
      // Near misses, where commander adds "(Did you mean ...?)": still one line.
      ['run', 'concurrent-creates', '--seeds', '3'],
      ['lst'],
    ]) {
      const results = tempDir('usage');
      const run = await stampede([...args, '--results', results]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^stampede: .*(unknown|must be|invalid)/i);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(existsSync(results) ? runDirs(results) : []).toHaveLength(0);
    }
  });

  it("carries on when the reader of its output goes away (`| head`), and exits with the run's own code", async () => {
    const results = tempDir('epipe');
    const run = stampede(['run', 'mixed-ops', '--seed', '1', '--ops', '3', '--results', results], { buffer: false });
    // Both pipes closed before the CLI has started writing: every write it makes meets EPIPE.
    run.stdout?.destroy();
    run.stderr?.destroy();
    const done = await run;
    expect(done.exitCode).toBe(0);
    expect(readSummary(onlyRunDir(results)).verdict).toBe('pass');
  });
});
