// The whole default suite passes end to end, through the CLI, and writes the results folder as documented.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../dist/lib/index.js';
import { readSeedsFile } from '../dist/lib/reproduce/seeds-file.js';
import { TRACKER_FAULTS } from '../dist/stress/tracker/faults.js';
import { readSummary, runDirs, stampede, tempDir } from './helpers.js';

const SUITE = ['batch-ops', 'concurrent-creates', 'mixed-ops', 'spawn-per-op', 'timeouts', 'unique-ids'];

describe('default suite', () => {
  it('lists its six scenarios', async () => {
    const list = await stampede(['list']);
    expect(list.exitCode).toBe(0);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(SUITE);
  });

  it("lists the tracker's faults and the harness's, one line each with its target and scope", async () => {
    const list = await stampede(['list', '--faults']);
    expect(list.exitCode).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual([...TRACKER_FAULTS, 'kill']);
    for (const line of lines)
      expect(line.split(/\s{2,}/).slice(0, 3), line).toEqual([
        line.split(/\s+/)[0],
        'tracker',
        expect.stringMatching(/^(process|op|one-agent|harness)$/),
      ]);
  });

  it("in another project, a bare `run` asks for the user's scenarios instead of running stampede's self-test", async () => {
    const run = await stampede(['run'], { cwd: tempDir('elsewhere') });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^stampede: no scenario named and no stampede.config.ts here: give your scenario files or folders/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("refuses a fault the scenario's target does not declare, listing its faults (exit 2)", async () => {
    const run = await stampede(['run', 'concurrent-creates', '--fault', 'my-bug', '--results', tempDir('bad-fault')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown fault "my-bug" for target tracker; its faults: no-lock, tmp-collision');
    const restart = await stampede([
      'run',
      'concurrent-creates',
      '--fault',
      'restart',
      '--results',
      tempDir('bad-fault'),
    ]);
    expect(restart.exitCode).toBe(2);
    expect(restart.stderr).toContain('needs a service, and target tracker has none');
  });

  it('passes end to end and writes every run folder', async () => {
    const results = tempDir('suite');
    const run = await stampede(['run', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const kept = readSeedsFile();
    const all = runDirs(results);
    // One folder per suite scenario, then one per kept seed (stress/seeds.json), in that order.
    expect(all).toHaveLength(SUITE.length + kept.length);
    // One last line over the whole suite, so a kept seed's FAIL table is not read as the suite failing.
    expect(run.stdout).toMatch(
      new RegExp(`${SUITE.length + kept.length} runs in [\\d.]+ m?s: all as expected; exit 0$`),
    );
    const dirs = all.filter((dir) => {
      const s = readSummary(dir);
      return !kept.some((k) => k.scenario === s.scenario && k.seed === s.seed);
    });
    expect(dirs.map((d) => readSummary(d).scenario).sort()).toEqual(SUITE);
    // Kept seeds conclude what they promise: `expect: fail` ones still fail, and the suite still exits 0.
    for (const entry of kept) {
      const dir = all.find((d) => readSummary(d).scenario === entry.scenario && readSummary(d).seed === entry.seed);
      expect(dir, `${entry.scenario} seed ${entry.seed}`).toBeDefined();
      const summary = readSummary(dir as string);
      expect(summary.verdict, entry.note).toBe(entry.expect);
      expect(summary.expect).toBe(entry.expect);
      expect(run.stdout).toContain(`kept seed (expect ${entry.expect}): ${entry.note}`);
      if (entry.expect === 'fail') failingRunReports(dir as string, summary);
    }
    for (const dir of dirs) {
      const summary = readSummary(dir);
      expect(summary.verdict, `${summary.scenario}: ${JSON.stringify(summary.checks)}`).toBe('pass');
      expect(summary.harnessError).toBeNull();
      // One verdict line per scenario with its seed, and the command that replays it.
      expect(run.stdout).toMatch(new RegExp(`PASS\\s+${summary.scenario}\\s+seed ${summary.seed}`));
      expect(run.stdout).toContain(summary.replay);
      expect(summary.replay).toContain(`--seed ${summary.seed}`);
      // Fields documented in the README.
      expect(Object.keys(summary)).toEqual(
        expect.arrayContaining(['scenario', 'seed', 'verdict', 'checks', 'agents', 'startSkewMs', 'durationMs']),
      );
      for (const agent of summary.agents) {
        expect(Object.keys(agent)).toEqual(expect.arrayContaining(['id', 'attempted', 'ok', 'fail', 'info']));
        expect(agent.ok, `${summary.scenario} a${agent.id}`).toBeGreaterThan(0);
      }
      for (const file of [
        'plan.json',
        'history.jsonl',
        'state.json',
        'health.json',
        'agents/a0.stdout.log',
        'agents/a0.stderr.log',
      ]) {
        expect(existsSync(join(dir, file)), `${summary.scenario}: ${file}`).toBe(true);
      }
      // Per-agent counters agree with the history, op by op.
      const events = readFileSync(join(dir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as HistoryEvent);
      for (const agent of summary.agents) {
        const mine = events.filter((e) => e.agent === agent.id);
        expect(mine.filter((e) => e.type === 'invoke')).toHaveLength(agent.attempted);
        expect(mine.filter((e) => e.type === 'ok')).toHaveLength(agent.ok);
        expect(mine.filter((e) => e.type === 'info')).toHaveLength(agent.info);
      }
    }
    // The timeouts scenario really did cut ops off at their deadline.
    const timeouts = dirs.map(readSummary).find((s) => s.scenario === 'timeouts');
    expect(timeouts?.totals.info).toBeGreaterThanOrEqual(4);
  });
});

/**
 * A failing run writes all four reports: summary.json, summary.md, junit.xml and report.html, and the HTML
 * lists what the checkers found. A seed kept to fail is not a CI failure: its junit.xml has no <failure>.
 */
function failingRunReports(dir: string, summary: ReturnType<typeof readSummary>): void {
  for (const file of ['summary.json', 'summary.md', 'junit.xml', 'report.html'])
    expect(existsSync(join(dir, file)), file).toBe(true);
  const failed = summary.checks.filter((c) => c.verdict === 'fail');
  expect(failed.length).toBeGreaterThan(0);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const md = readFileSync(join(dir, 'summary.md'), 'utf8');
  for (const check of failed) {
    expect(html).toContain(check.name);
    expect(md).toContain(`| ${check.name} | ❌ FAIL |`);
  }
  // The lost items are named in the report, as they are in the checker's words.
  for (const id of new Set(
    [
      ...failed
        .map((c) => c.details)
        .join(' ')
        .matchAll(/\bt-\d+\b/g),
    ].map((m) => m[0]),
  ))
    expect(html).toContain(id);
  expect(md).toContain('(kept seed, expected to fail: as expected)');
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(junit).toMatch(/<testsuites name="stampede" tests="\d+" failures="0" errors="0"/);
  expect(junit).toContain('<testcase name="expected to fail"');
}
