// One summary over many runs: CI shards, `--repeat`, nightly matrices. Reads each run's summary.json
// (the report of record; `stampede report` refreshes it) and writes a merged summary.json, a junit.xml
// with one testsuite per run, and a summary.md with the runs, the reproduction rate of each plan
// (scenario + seed), and the replay command of every failure.
import { describePlatform } from '../run/environment.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  combineVerdicts,
  EXIT,
  exitCodeFor,
  judgedVerdict,
  worstExitCode,
  type ExitCode,
  type Expectation,
} from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import { failedChecks, type Summary } from '../run/summary.js';
import type { AgentCounters, CheckResult, Verdict } from '../types.js';
import { writeAtomic } from './files.js';
import { junitDocument, junitSuite, type JunitSuite } from './junit.js';
import { appendStepSummary, mdCell, mdCode, mdTable, verdictIcon } from './markdown.js';
import { formatMs } from './model.js';
import type { Reporter } from './write-reports.js';
import { escapeXml, xmlAttr } from './xml.js';

export interface MergedRun {
  runDir: string;
  scenario: string;
  seed: number | null;
  verdict: Verdict;
  /** `fail` for a seed kept to fail (stress/seeds.json): failing is what it must conclude. */
  expect: Expectation;
  harnessError: string | null;
  /** Judged against `expect`: a kept seed that failed as expected exits 0. */
  exitCode: ExitCode;
  replay: string | null;
  durationMs: number;
  opsPerSec: number;
  startSkewMs: number | null;
  totals: Omit<AgentCounters, 'agent'>;
  /** Checks that did not pass, with what they found. */
  failedChecks: Pick<CheckResult, 'name' | 'verdict' | 'details'>[];
  /** `linux x64, Node v20.20.2, 2 CPUs`; null for older folders. */
  platform: string | null;
}

export interface PlanGroup {
  scenario: string;
  seed: number | null;
  runs: number;
  /** Runs that did not pass (fail, unknown or harness error), whatever they were expected to conclude. */
  failed: number;
  /** e.g. `failed 7/20 (35%)`. */
  rate: string;
}

export interface MergedSummary {
  format: 1;
  kind: 'merge';
  verdict: Verdict;
  /** The exit code `stampede merge` returns: the worst over the runs. */
  exitCode: ExitCode;
  createdAt: string;
  totals: {
    runs: number;
    /** Runs that concluded as expected (exit 0): passes, and kept seeds that failed as they must. */
    pass: number;
    /** Of those, kept seeds (`expect: fail`) that failed as expected. */
    expectedFail: number;
    /** Runs judged to fail: a check failed, or a kept seed's checks all passed. */
    fail: number;
    unknown: number;
    harnessErrors: number;
    ops: Omit<AgentCounters, 'agent'>;
    durationMs: number;
  };
  groups: PlanGroup[];
  runs: MergedRun[];
}

export interface MergeResult {
  merged: MergedSummary;
  files: Partial<Record<Reporter, string>>;
  stepSummary: string | null;
}

/** A folder with plan.json is a run; a folder without one (a results folder, a CI artifact) stands for the runs inside it. */
export function expandRunDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const abs = resolve(dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new HarnessError(`${dir} is not a run folder (no such directory)`);
    if (existsSync(join(abs, 'plan.json'))) {
      out.push(abs);
      continue;
    }
    const inner = readdirSync(abs)
      .map((name) => join(abs, name))
      .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'plan.json')))
      .sort();
    if (inner.length === 0)
      throw new HarnessError(
        `${dir} is neither a run folder nor a folder of runs (no plan.json in it or its subfolders)`,
      );
    out.push(...inner);
  }
  return [...new Set(out)];
}

function readSummary(runDir: string): { summary: Summary | null; problem: string | null } {
  const path = join(runDir, 'summary.json');
  if (!existsSync(path))
    return { summary: null, problem: 'no summary.json (the run did not finish; `stampede report` can rebuild it)' };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { summary: null, problem: `summary.json does not parse: ${(error as Error).message}` };
  }
  const s = value as Partial<Summary> | null;
  if (!s || s.format !== 1 || !Array.isArray(s.checks) || typeof s.scenario !== 'string')
    return { summary: null, problem: 'summary.json is not a stampede summary (format 1)' };
  return { summary: s as Summary, problem: null };
}

/** Which scenario and seed a run without a summary was: from its plan.json, which a run killed while planning leaves cut short. */
function planScenario(runDir: string): { scenario: string; seed: number | null; problem: string | null } {
  let plan: { scenario?: unknown; seed?: unknown };
  try {
    plan = JSON.parse(readFileSync(join(runDir, 'plan.json'), 'utf8')) as typeof plan;
  } catch (error) {
    return { scenario: '?', seed: null, problem: `plan.json does not parse either: ${(error as Error).message}` };
  }
  return {
    scenario: typeof plan.scenario === 'string' ? plan.scenario : '?',
    seed: typeof plan.seed === 'number' ? plan.seed : null,
    problem: null,
  };
}

function toMergedRun(runDir: string, summary: Summary | null, problem: string | null): MergedRun {
  if (!summary) {
    const { scenario, seed, problem: planProblem } = planScenario(runDir);
    const harnessError = [problem ?? 'no summary', planProblem].filter(Boolean).join('; ');
    return {
      runDir,
      scenario,
      seed,
      verdict: 'unknown',
      expect: 'pass',
      harnessError,
      exitCode: exitCodeFor('unknown', harnessError),
      replay: null,
      durationMs: 0,
      opsPerSec: 0,
      startSkewMs: null,
      totals: { attempted: 0, ok: 0, fail: 0, info: 0 },
      failedChecks: [],
      platform: null,
    };
  }
  return {
    runDir,
    scenario: summary.scenario,
    seed: summary.seed,
    verdict: summary.verdict,
    expect: summary.expect ?? 'pass',
    harnessError: summary.harnessError,
    exitCode: exitCodeFor(judgedVerdict(summary.verdict, summary.expect), summary.harnessError),
    replay: summary.replay,
    durationMs: summary.durationMs,
    opsPerSec: summary.opsPerSec,
    startSkewMs: summary.startSkewMs,
    totals: summary.totals,
    failedChecks: failedChecks(summary.checks),
    platform: summary.platform ? describePlatform(summary.platform) : null,
  };
}

/** Concluded what it must: exit 0. */
const asExpected = (run: MergedRun): boolean => run.exitCode === EXIT.pass;
/** Passed every check (for reproduction rates, which count failures whatever was expected). */
const passedChecks = (run: MergedRun): boolean => run.verdict === 'pass' && !run.harnessError;
const judged = (run: MergedRun): Verdict => judgedVerdict(run.verdict, run.expect);

/** What went wrong with a seed kept to fail that passed; null for every other run. */
export function slippedWords(run: Pick<MergedRun, 'expect' | 'verdict'>): string | null {
  return run.expect === 'fail' && run.verdict === 'pass'
    ? 'kept to fail (stress/seeds.json), but every check passed: the checkers no longer catch it'
    : null;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`;
}

export function mergeSummaries(runs: readonly MergedRun[], now = new Date()): MergedSummary {
  const ops = { attempted: 0, ok: 0, fail: 0, info: 0 };
  for (const r of runs) {
    ops.attempted += r.totals.attempted;
    ops.ok += r.totals.ok;
    ops.fail += r.totals.fail;
    ops.info += r.totals.info;
  }
  const groups = new Map<string, PlanGroup>();
  for (const r of runs) {
    const key = `${r.scenario}\u0000${r.seed}`;
    const g = groups.get(key) ?? { scenario: r.scenario, seed: r.seed, runs: 0, failed: 0, rate: '' };
    g.runs++;
    if (!passedChecks(r)) g.failed++;
    groups.set(key, g);
  }
  for (const g of groups.values()) g.rate = `failed ${g.failed}/${g.runs} (${percent(g.failed, g.runs)})`;
  return {
    format: 1,
    kind: 'merge',
    verdict: combineVerdicts(runs.map(judged)),
    exitCode: worstExitCode(runs.map((r) => r.exitCode)),
    createdAt: now.toISOString(),
    totals: {
      runs: runs.length,
      pass: runs.filter(asExpected).length,
      expectedFail: runs.filter((r) => asExpected(r) && r.expect === 'fail').length,
      fail: runs.filter((r) => judged(r) === 'fail' && !r.harnessError).length,
      unknown: runs.filter((r) => judged(r) === 'unknown' && !r.harnessError).length,
      harnessErrors: runs.filter((r) => r.harnessError).length,
      ops,
      durationMs: runs.reduce((sum, r) => sum + r.durationMs, 0),
    },
    groups: [...groups.values()],
    runs: [...runs],
  };
}

export function mergedMarkdown(merged: MergedSummary): string {
  const t = merged.totals;
  const mark = verdictIcon({ verdict: merged.verdict, harnessError: t.harnessErrors > 0 ? 'harness errors' : null });
  const parts: string[] = [];
  parts.push(`### ${mark}: ${t.runs} run${t.runs === 1 ? '' : 's'} merged`);
  parts.push(
    `${t.pass} passed${t.expectedFail > 0 ? ` (${t.expectedFail} of them kept seeds that failed, as they must)` : ''}, ${t.fail} failed, ${t.unknown} unknown, ${t.harnessErrors} harness errors; ${t.ops.attempted} ops (${t.ops.ok} ok, ${t.ops.fail} fail, ${t.ops.info} info) in ${formatMs(t.durationMs)} of runs.`,
  );
  parts.push(
    mdTable(
      ['verdict', 'scenario', 'seed', 'platform', 'ops', 'ok / fail / info', 'ops/s', 'start skew', 'not passing'],
      merged.runs.map((r) => [
        `${verdictIcon(r)}${r.expect === 'fail' ? (asExpected(r) ? ' (expected)' : ' (expected fail)') : ''}`,
        r.scenario,
        String(r.seed ?? '?'),
        r.platform ?? '?',
        String(r.totals.attempted),
        `${r.totals.ok} / ${r.totals.fail} / ${r.totals.info}`,
        String(r.opsPerSec),
        r.startSkewMs === null ? 'n/a' : formatMs(r.startSkewMs),
        [r.harnessError ? 'harness error' : '', ...r.failedChecks.map((c) => c.name)].filter(Boolean).join(', ') || '-',
      ]),
      ['l', 'l', 'r', 'l', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  if (merged.groups.some((g) => g.runs > 1)) {
    parts.push(
      `Reproduction per plan:\n\n${mdTable(
        ['scenario', 'seed', 'runs', 'result'],
        merged.groups.map((g) => [g.scenario, String(g.seed ?? '?'), String(g.runs), g.rate]),
        ['l', 'r', 'r', 'l'],
      )}`,
    );
  }
  const failing = merged.runs.filter((r) => !asExpected(r));
  if (failing.length > 0) {
    const lines = failing.map((r) => {
      const what = [
        r.harnessError ? `harness error: ${r.harnessError}` : '',
        slippedWords(r) ?? '',
        ...r.failedChecks.map((c) => `${c.name} (${c.verdict}): ${c.details.split('\n')[0] ?? ''}`),
      ].filter(Boolean);
      const body = what.map((w) => `- ${mdCell(w)}`).join('\n');
      return `**${mdCell(r.scenario)} seed ${r.seed ?? '?'}**\n\n${body}${r.replay ? `\n\n${mdCode(r.replay)}` : ''}`;
    });
    parts.push(`#### Failures\n\n${lines.join('\n\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/** One testsuite per run; a run without a usable summary is a suite with one <error>. */
export function mergedJunit(merged: MergedSummary, summaries: ReadonlyMap<string, Summary>): string {
  const counts = new Map<string, number>();
  for (const r of merged.runs) counts.set(r.scenario, (counts.get(r.scenario) ?? 0) + 1);
  const seen = new Map<string, number>();
  const suites: JunitSuite[] = merged.runs.map((r) => {
    const nth = (seen.get(r.scenario) ?? 0) + 1;
    seen.set(r.scenario, nth);
    // Several runs of one scenario: name them apart (seed and position), or CI folds them together.
    const name = (counts.get(r.scenario) ?? 0) > 1 ? `${r.scenario} (seed ${r.seed ?? '?'}, run ${nth})` : r.scenario;
    const summary = summaries.get(r.runDir);
    if (summary) return junitSuite(summary, { name });
    const error = r.harnessError ?? 'no summary';
    const xml =
      `  <testsuite name="${xmlAttr(name)}" tests="1" failures="0" errors="1" skipped="0" time="0">\n` +
      `    <testcase name="harness" classname="stampede.${xmlAttr(r.scenario)}" time="0">\n` +
      `      <error message="${xmlAttr(error)}" type="harness-error">${escapeXml(`${error}\n\nresults: ${r.runDir}`)}</error>\n` +
      `    </testcase>\n  </testsuite>\n`;
    return { xml, counts: { tests: 1, failures: 0, errors: 1, time: 0 } };
  });
  return junitDocument(suites, 'stampede merge');
}

const MERGE_REPORTERS: readonly Reporter[] = ['json', 'junit', 'markdown'];

export function mergeRuns(
  runDirs: readonly string[],
  outDir: string,
  reporters: readonly Reporter[] = MERGE_REPORTERS,
  env: NodeJS.ProcessEnv = process.env,
): MergeResult {
  const dirs = expandRunDirs(runDirs);
  if (dirs.length === 0) throw new HarnessError('merge: no run folders given');
  const summaries = new Map<string, Summary>();
  const runs = dirs.map((dir) => {
    const { summary, problem } = readSummary(dir);
    if (summary) summaries.set(dir, summary);
    return toMergedRun(dir, summary, problem);
  });
  const merged = mergeSummaries(runs);
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const files: Partial<Record<Reporter, string>> = {};
  let stepSummary: string | null = null;
  for (const reporter of reporters) {
    if (reporter === 'json')
      files.json = writeAtomic(join(out, 'summary.json'), `${JSON.stringify(merged, null, 2)}\n`);
    else if (reporter === 'junit') files.junit = writeAtomic(join(out, 'junit.xml'), mergedJunit(merged, summaries));
    else if (reporter === 'markdown') {
      const md = mergedMarkdown(merged);
      files.markdown = writeAtomic(join(out, 'summary.md'), md);
      stepSummary = appendStepSummary(md, env);
    }
    // 'html' has no merged form: each run folder keeps its own report.html.
  }
  return { merged, files, stepSummary };
}
