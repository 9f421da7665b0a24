// `stampede hunt`: fresh seeds until one fails or the limits run out; a status line every few seconds.
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { makeResultsFolder } from '../run/results-folder.js';
import { budgetsFromConfig, loadConfig, scenarioRefs } from '../config.js';
import { runBudgets } from '../run/run-budgets.js';
import { loadScenario, type LoadedScenario } from '../scenarios/load.js';
import { hunt } from '../reproduce/hunt.js';
import { describeTally } from '../reproduce/rate.js';
import type { Tally } from '../reproduce/rate.js';
import { verdictLines } from './print.js';
import { withInterrupt } from './interrupt.js';
import { invoker } from './invoker.js';
import { Output, type OutputOptions } from './output.js';

export interface HuntOptions extends OutputOptions {
  runs: number;
  timeLimit: number;
  parallel: number;
  keepGoing?: boolean;
  agents?: number;
  ops?: number;
  timeout?: number;
  fault?: string[];
  threads?: number;
  /** Default: the config's, else `results`. */
  results?: string;
  /** A stampede.config.ts other than the current folder's. */
  config?: string;
}

export async function huntCommand(refs: string[], options: HuntOptions): Promise<ExitCode> {
  const out = new Output(options);
  const config = await loadConfig(options.config);
  const resultsDir = options.results ?? config?.results ?? 'results';
  const scenarios: LoadedScenario[] = [];
  for (const ref of await scenarioRefs(refs, config, 'hunt')) scenarios.push(await loadScenario(ref));
  // The config's budgets, as `run` judges them; a bad multiplier is exit 2 before the first run.
  const budgets = budgetsFromConfig(config);
  for (const loaded of scenarios) runBudgets(loaded.scenario, budgets);
  makeResultsFolder(resultsDir);
  const started = performance.now();
  let latest: Tally | null = null;
  const status = (): void => {
    const seconds = Math.round((performance.now() - started) / 1000);
    const tally = latest ? describeTally(latest) : 'no run finished yet';
    out.progress(`hunt ${seconds}s: ${latest?.runs ?? 0} runs, ${tally}`);
  };
  const ticker = setInterval(status, 5000);
  const overrides: Parameters<typeof hunt>[0]['overrides'] = {};
  if (options.agents !== undefined) overrides.agents = options.agents;
  if (options.ops !== undefined) overrides.ops = options.ops;
  if (options.timeout !== undefined) overrides.timeoutMs = options.timeout;
  if (options.fault !== undefined) overrides.faults = options.fault;
  if (options.threads !== undefined) overrides.threads = options.threads;
  let outcome;
  try {
    outcome = await withInterrupt((signal) =>
      hunt({
        scenarios,
        runs: options.runs,
        timeLimitMs: options.timeLimit,
        parallel: options.parallel,
        keepGoing: options.keepGoing ?? false,
        resultsDir,
        overrides,
        budgets,
        signal,
        invoker: invoker(),
        onRun: (result, tally) => {
          latest = tally;
          if (result.summary.verdict === 'pass' && !result.summary.harnessError) return;
          // A kept run: its summary for scripts, or its verdict for a person.
          out.data(result.summary);
          if (!out.json) out.text(verdictLines(result.summary, out.paint).join('\n'));
        },
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  const result = outcome.value;
  status();
  out.last(
    [
      `hunt stopped (${result.stoppedBecause}) after ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.tally.runs} runs, ${describeTally(result.tally)}`,
      ...result.failures.map((f) => `  ${f.summary.scenario} seed ${f.summary.seed}: ${f.summary.replay}`),
    ].join('\n'),
  );
  if (outcome.interrupted) return EXIT.harness;
  return result.failures.length > 0 ? EXIT.fail : EXIT.pass;
}
