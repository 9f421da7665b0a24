// `stampede run`: load every scenario first (a typo fails before anything starts), then run them in turn,
// each `--repeat` times. With no scenario named: the default suite, then the seeds kept in stress/seeds.json.
import { HarnessError } from '../run/errors.js';
import { wasInterrupted } from '../run/summary.js';
import { EXIT, worstExitCode, type ExitCode, type Expectation } from '../run/exit-codes.js';
import { run } from '../run/run.js';
import { loadScenario, type LoadedScenario } from '../scenarios/load.js';
import { progressFor } from '../progress/terminal.js';
import { readSeedsFile } from '../reproduce/seeds-file.js';
import { count, describeTally, emptyTally } from '../reproduce/rate.js';
import { freshSeed } from '../plan/rng.js';
import { parseReporters } from '../report/write-reports.js';
import { budgetMissWords, formatMs, verdictMark } from '../report/model.js';
import { runBudgets } from '../run/run-budgets.js';
import { plural } from '../checkers/words.js';
import { reportRun } from '../report/report-run.js';
import { budgetsFromConfig, loadConfig, scenarioRefs, type LoadedConfig } from '../config.js';
import { withInterrupt } from './interrupt.js';
import { invoker } from './invoker.js';
import type { RunFlags, Shard } from './options.js';
import { Output, type OutputOptions } from './output.js';
import { plain, type Paint } from '../report/colour.js';

export interface RunCommandOptions extends RunFlags, OutputOptions {
  repeat?: number;
  shard?: Shard;
}

interface Job {
  loaded: LoadedScenario;
  seed: number | undefined;
  overrides: { agents?: number; ops?: number; faults?: string[] };
  /** Seeds-file entries say what the run must conclude. */
  expect: Expectation;
  note?: string;
}

export async function runCommand(refs: string[], given: RunCommandOptions): Promise<ExitCode> {
  const config = await loadConfig(given.config);
  const out = new Output(given);
  const options = { ...given, results: given.results ?? config?.results ?? 'results' };
  const reporters = parseReporters(options.reporter ?? config?.reporters ?? undefined);
  const jobs = await planJobs(refs, options, config);
  // Budgets settled before anything runs: a bad STAMPEDE_BUDGET_MULTIPLIER is exit 2 up front.
  const budgets = budgetsFromConfig(config);
  for (const job of jobs) runBudgets(job.loaded.scenario, budgets);
  const repeat = options.repeat ?? 1;
  checkShard(options.shard, jobs.length * repeat);
  const started = performance.now();
  const missed: string[] = [];
  const { value: codes, interrupted } = await withInterrupt(async (signal) => {
    const codes: ExitCode[] = [];
    // Every (job, repeat) is one unit; `--shard i/n` keeps every n-th unit from the i-th, round robin.
    let unit = 0;
    const mine = (): boolean => !options.shard || unit++ % options.shard.count === options.shard.index - 1;
    for (const job of jobs) {
      // With --repeat and no --seed, one fresh seed for all repeats: the point is to replay one plan.
      const seed = job.seed ?? (repeat > 1 ? freshSeed() : undefined);
      const tally = emptyTally();
      for (let i = 0; i < repeat && !signal.aborted; i++) {
        if (!mine()) continue;
        const { scenario, source } = job.loaded;
        const result = await run({
          scenario,
          scenarioSource: source,
          seed,
          agents: job.overrides.agents ?? options.agents,
          ops: job.overrides.ops ?? options.ops,
          timeoutMs: options.timeout,
          runTimeoutMs: options.runTimeout,
          faults: job.overrides.faults ?? options.fault,
          threads: options.threads,
          spawner: options.spawner,
          resultsDir: options.results,
          ...(out.quiet ? {} : { progress: progressFor(scenario.name, (line) => out.progress(line)) }),
          signal,
          invoker: invoker(),
          ...(options.param ? { params: options.param } : {}),
          ...budgets,
          expect: job.expect,
        });
        if (!wasInterrupted(result.summary.stopReason))
          count(tally, result.summary.verdict, result.summary.harnessError);
        const written = await reportRun(result, reporters, { stepSummary: true });
        out.data(result.summary);
        if (job.note && !out.json) out.text(`kept seed (expect ${job.expect}): ${job.note}`);
        out.table(written);
        const code = result.exitCode;
        if (code !== EXIT.pass) {
          const miss = budgetMissWords(result.summary);
          missed.push(
            `${scenario.name} seed ${result.summary.seed} (${verdictMark(result.summary)}${miss ? `, ${miss}` : ''}, expected ${job.expect})`,
          );
        }
        codes.push(code);
      }
      if (repeat > 1 && tally.runs > 0 && !out.json)
        out.text(`${job.loaded.scenario.name} seed ${seed}: ${describeTally(tally)}`);
    }
    return codes;
  });
  const runs = codes.length;
  if (interrupted) codes.push(EXIT.harness);
  const exitCode = worstExitCode(codes);
  // --json keeps stdout pure JSON Lines (the suite line goes to stderr); --quiet prints that line alone, even for one run.
  if (runs > 1 || interrupted || out.quiet || out.json)
    out.last(suiteLine(runs, missed, performance.now() - started, interrupted, exitCode, out.paint));
  return exitCode;
}

async function planJobs(refs: string[], options: RunCommandOptions, config: LoadedConfig | null): Promise<Job[]> {
  const suite = await scenarioRefs(refs, config, 'run');
  const jobs: Job[] = [];
  for (const ref of suite) {
    jobs.push({ loaded: await loadScenario(ref), seed: options.seed, overrides: {}, expect: 'pass' });
  }
  if (refs.length === 0 && (!config || config.seeds)) {
    for (const entry of readSeedsFile(config?.seeds ?? undefined)) {
      const overrides: Job['overrides'] = {};
      if (entry.agents !== undefined) overrides.agents = entry.agents;
      if (entry.ops !== undefined) overrides.ops = entry.ops;
      if (entry.faults !== undefined) overrides.faults = entry.faults;
      jobs.push({
        loaded: await loadScenario(entry.scenario),
        seed: entry.seed,
        overrides,
        expect: entry.expect,
        note: entry.note,
      });
    }
  }
  return jobs;
}

/** A shard with no run of its own would pass in CI having checked nothing: refuse it. */
function checkShard(shard: Shard | undefined, units: number): void {
  if (!shard || shard.index <= units) return;
  throw new HarnessError(
    `--shard ${shard.index}/${shard.count} has nothing to run: there ${units === 1 ? 'is 1 run' : `are ${units} runs`} (scenarios x --repeat) to split ${shard.count} ways; use at most --shard ${units}/${units}, or more runs (--repeat)`,
  );
}

/** `8 runs in 36.4 s: all as expected; exit 0`: one line to read after many tables. */
function suiteLine(
  runs: number,
  missed: readonly string[],
  ms: number,
  interrupted: boolean,
  exitCode: ExitCode,
  paint: Paint = plain,
): string {
  const head = `${plural(runs, 'run')} in ${formatMs(ms)}${interrupted ? ', interrupted' : ''}`;
  // Repeats of one plan miss the same way: `concurrent-creates seed 7 (FAIL, expected pass) x18`, not 18 copies.
  const counts = new Map<string, number>();
  for (const m of missed) counts.set(m, (counts.get(m) ?? 0) + 1);
  const listed = [...counts].map(([m, n]) => (n > 1 ? `${m} x${n}` : m)).join('; ');
  const verdict =
    missed.length === 0
      ? paint('pass', 'all as expected')
      : `${paint(exitCode === EXIT.unknown ? 'unknown' : 'fail', `${missed.length} not as expected`)}: ${listed}`;
  return `${head}: ${verdict}; exit ${exitCode}`;
}
