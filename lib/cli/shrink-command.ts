// `stampede shrink <run-dir>`: the smallest plan (agents, ops, faults) that still fails at least as often.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { replayCommand, replayDefaults } from '../run/replay.js';
import { makeResultsFolder } from '../run/results-folder.js';
import { readRecordedRun } from '../reproduce/run-folder.js';
import { shrink, type Attempt } from '../reproduce/shrink.js';
import { withInterrupt } from './interrupt.js';
import { invoker } from './invoker.js';
import { Output, type OutputOptions } from './output.js';

const describe = (a: Attempt): string =>
  `${a.size.agents} agents x ${a.size.ops} ops${a.size.faults.length > 0 ? ` + ${a.size.faults.join(',')}` : ''}: failed ${a.failures}/${a.tries}`;

export interface ShrinkOptions extends OutputOptions {
  tries: number;
  results?: string;
}

export async function shrinkCommand(runDir: string, options: ShrinkOptions): Promise<ExitCode> {
  const out = new Output(options);
  const recorded = await readRecordedRun(runDir);
  if (recorded.codeWarning) process.stderr.write(`stampede: warning: ${recorded.codeWarning}\n`);
  const { scenario } = recorded.loaded;
  const resultsDir = options.results ?? join(dirname(recorded.runDir), 'shrink');
  makeResultsFolder(resultsDir, options.results ?? resultsDir);
  out.progress(`shrink: measuring the original plan ${options.tries} times, then trying smaller ones`);
  const { value: result, interrupted } = await withInterrupt((signal) =>
    shrink({
      scenario,
      plan: recorded.plan,
      budgets: recorded.budgets,
      tries: options.tries,
      resultsDir,
      signal,
      onAttempt: (a) => out.progress(`shrink: tried ${describe(a)}${a.accepted ? '  <- kept' : ''}`),
    }),
  );
  writeFileSync(join(recorded.runDir, 'shrink.json'), `${JSON.stringify(result, null, 2)}\n`);
  out.data(result);
  if (result.original.failures === 0) {
    out.last(
      `shrink: the original plan did not fail in ${result.original.tries} tries, so there is nothing to shrink (try --tries, or hunt for a seed that fails more often)`,
    );
    return interrupted ? EXIT.harness : EXIT.unknown;
  }
  const s = result.smallest;
  out.last(
    [
      `shrink: original ${describe(result.original)}`,
      `shrink: smallest ${describe(s)} (same failing checker: ${result.checkers.join(', ')})`,
      `        replay: ${replayCommand(result.plan, replayDefaults(scenario), invoker())}`,
      s.failingRunDir ? `        a failing run of it: ${s.failingRunDir}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return interrupted ? EXIT.harness : EXIT.fail;
}
