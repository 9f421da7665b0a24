// `stampede gate <scenario>`: a perf gate. The same plan runs --runs times; each gated figure's trimmed mean
// (--trim runs dropped from each end) is held to its budget times the multiplier. Prints every run's figure,
// then each gate's line, then one last line; exit 0 when every gate holds, 1 on a miss (a budget) or a broken
// invariant in any run (said as such), 2 on usage or harness errors, 3 when a figure could not be measured.
import { join, relative } from 'node:path';
import { figureText, unitOf } from '../checkers/budgets.js';
import { budgetsFromConfig, expandScenarioRefs, loadConfig } from '../config.js';
import { planGate, runGate, gateMultiplierWords } from '../gate/run-gate.js';
import { freshSeed } from '../plan/rng.js';
import { progressFor } from '../progress/terminal.js';
import { parseReporters } from '../report/write-reports.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import { loadScenario } from '../scenarios/load.js';
import { withInterrupt } from './interrupt.js';
import { invoker } from './invoker.js';
import type { RunFlags } from './options.js';
import { Output, type OutputOptions } from './output.js';
import { verdictLines } from './print.js';

export interface GateCommandOptions extends OutputOptions, RunFlags {
  runs: number;
  trim: number;
  figure?: string[];
}

export async function gateCommand(ref: string, options: GateCommandOptions): Promise<ExitCode> {
  const output = new Output(options);
  const config = await loadConfig(options.config);
  const resultsDir = options.results ?? config?.results ?? 'results';
  const reporters = parseReporters(options.reporter ?? config?.reporters ?? undefined);
  const files = await expandScenarioRefs([ref]);
  if (files.length !== 1)
    throw new HarnessError(
      `gate runs one scenario; ${ref} names ${files.length}: ${files.map((f) => relative(process.cwd(), f)).join(', ')}`,
    );
  const loaded = await loadScenario(files[0] as string);
  const request = {
    agents: options.agents,
    ops: options.ops,
    timeoutMs: options.timeout,
    runTimeoutMs: options.runTimeout,
    faults: options.fault,
    threads: options.threads,
    spawner: options.spawner,
    invoker: invoker(),
    ...(options.param ? { params: options.param } : {}),
    ...budgetsFromConfig(config),
  };
  const gate = {
    loaded,
    runs: options.runs,
    trim: options.trim,
    request,
    ...(options.figure ? { figures: options.figure } : {}),
  };
  // Everything that can be refused is refused before the first run (exit 2).
  const planned = planGate(gate);
  const seed = options.seed ?? freshSeed();
  const name = loaded.scenario.name;
  // The gate's own lines: what a person reads of the gate even under --quiet (stderr under --json).
  const out = (line: string): void => output.last(line);
  out(
    `gate ${name} seed ${seed}: ${options.runs} runs, trimmed mean dropping ${options.trim} from each end, budget multiplier ${gateMultiplierWords(planned)}; gating ${planned.gates.map((g) => `${g.name} ${g.condition}`).join(', ')}`,
  );
  const { value: report, interrupted } = await withInterrupt((signal) =>
    runGate({
      ...gate,
      seed,
      request: { ...request, signal },
      resultsDir,
      reporters,
      ...(output.quiet
        ? {}
        : { progress: (i: number) => progressFor(`${name} ${i}/${options.runs}`, (line) => output.progress(line)) }),
      onRun: (record, result) => {
        if (output.quiet) return;
        const figures = planned.gates
          .map((g) => {
            const value = record.figures[g.name];
            return `${g.name} ${value === null || value === undefined ? '-' : figureText(value, unitOf(g))}`;
          })
          .join('  ');
        const mark = record.harnessError ? 'ERROR' : record.verdict.toUpperCase();
        output.text(`run ${record.run}/${options.runs}  ${mark}  ${figures}  ${shown(record.runDir)}`);
        // A broken invariant is not hidden behind the figures: the run's verdict lines, with its replay.
        if (record.verdict !== 'pass' || record.harnessError)
          output.text(verdictLines(result.summary, output.paint).join('\n'));
      },
    }),
  );
  for (const g of report.gates) out(`  ${g.line}`);
  if (report.stoppedEarly) out(`  stopped early: ${report.stoppedEarly}`);
  out(`  gate.json: ${shown(join(report.gateDir, 'gate.json'))}`);
  const exitCode = interrupted ? EXIT.harness : report.exitCode;
  // For scripts: gate.json's content, as one line.
  output.data({ ...report, exitCode });
  out(
    `${report.words}  gate ${name} seed ${seed}, ${report.runResults.length} of ${options.runs} runs, trim ${options.trim}; exit ${exitCode}`,
  );
  return exitCode;
}

/** A path relative to the working folder when under it (short), absolute otherwise (unambiguous). */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
