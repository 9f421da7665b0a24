// `stampede repro <run-dir>`: run exactly the plan a results folder recorded, --repeat times.
import { wasInterrupted } from '../run/summary.js';
import { dirname } from 'node:path';
import { EXIT, worstExitCode, type ExitCode } from '../run/exit-codes.js';
import { run } from '../run/run.js';
import { reportRun } from '../report/report-run.js';
import { readRecordedRun } from '../reproduce/run-folder.js';
import { count, describeTally, emptyTally } from '../reproduce/rate.js';
import { progressFor } from '../progress/terminal.js';
import { withInterrupt } from './interrupt.js';
import { invoker } from './invoker.js';
import { Output, type OutputOptions } from './output.js';

export interface ReproOptions extends OutputOptions {
  repeat?: number;
  results?: string;
}

export async function reproCommand(runDir: string, options: ReproOptions): Promise<ExitCode> {
  const out = new Output(options);
  const recorded = await readRecordedRun(runDir);
  if (recorded.codeWarning) process.stderr.write(`stampede: warning: ${recorded.codeWarning}\n`);
  const { scenario, source } = recorded.loaded;
  const tally = emptyTally();
  const { value: codes, interrupted } = await withInterrupt(async (signal) => {
    const codes: ExitCode[] = [];
    for (let i = 0; i < (options.repeat ?? 1) && !signal.aborted; i++) {
      const result = await run({
        scenario,
        scenarioSource: source,
        plan: recorded.plan,
        ...recorded.budgets,
        resultsDir: options.results ?? dirname(recorded.runDir),
        ...(out.quiet ? {} : { progress: progressFor(scenario.name, (line) => out.progress(line)) }),
        signal,
        invoker: invoker(),
      });
      if (!wasInterrupted(result.summary.stopReason)) count(tally, result.summary.verdict, result.summary.harnessError);
      out.data(result.summary);
      out.table(await reportRun(result, undefined, { stepSummary: true }));
      codes.push(result.exitCode);
    }
    return codes;
  });
  out.last(`repro of ${recorded.runDir} (seed ${recorded.plan.seed}): ${describeTally(tally)}`);
  if (interrupted) codes.push(EXIT.harness);
  return worstExitCode(codes);
}
