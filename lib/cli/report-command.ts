// `stampede report <run-dir>`: rebuild every report of a run folder from its history and final state,
// re-running the checkers (like Jepsen's `analyze`), so improved checkers and reports apply to old runs.
import { EXIT, exitCodeFor, judgedVerdict, type ExitCode } from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import { describeFsError } from '../run/fs-errors.js';
import { loadRun, type LoadedRun } from '../report/load-run.js';
import { rebuildSummary } from '../report/rebuild-summary.js';
import { loadRunScenario, recheckRun, type RunScenario } from '../report/recheck.js';
import { parseReporters, writeReports } from '../report/write-reports.js';
import { verdictMark } from '../report/model.js';
import { toneOf } from '../report/colour.js';
import { Output, type OutputOptions } from './output.js';

export interface ReportCommandOptions extends OutputOptions {
  /** Reporters to write (`html`, `junit`, `markdown`, `json`; comma-separated or repeated). Default: all. */
  reporter?: string[] | string;
}

export async function reportCommand(runDir: string, options: ReportCommandOptions = {}): Promise<ExitCode> {
  const out = new Output(options);
  try {
    const reporters = parseReporters(options.reporter);
    const loaded = await loadRun(runDir);
    const found = await loadRunScenario(loaded.plan);
    refuseWithoutScenario(loaded, found);
    const recheck = await recheckRun(loaded, found);
    const summary = rebuildSummary(loaded, recheck);
    const notes = [...loaded.notes, ...recheck.notes];
    const written = await writeReports(
      loaded.runDir,
      { plan: loaded.plan, ops: recheck.ops, summary, notes },
      reporters,
      { stepSummary: true },
    );
    out.data(summary);
    out.table(written, '');
    const old = loaded.summary;
    const changed = old && old.verdict !== summary.verdict;
    if (changed) out.text(`  verdict changed on re-check: was ${old.verdict}, now ${summary.verdict}`);
    const names = Object.values(written.files).map((path) => path.slice(loaded.runDir.length + 1));
    out.text(`  wrote ${names.join(', ')}${written.stepSummary ? ' (and appended to GITHUB_STEP_SUMMARY)' : ''}`);
    // --quiet: one line per run folder, so a loop over many of them reads as a list.
    if (out.quiet) {
      const mark = out.paint(toneOf(summary.verdict, summary.harnessError), verdictMark(summary));
      const was = !old ? 'rebuilt (no summary.json before)' : changed ? `changed: was ${old.verdict}` : 'unchanged';
      out.last(`${mark}  ${summary.scenario}  seed ${summary.seed}  ${loaded.runDir}: verdict ${was}`);
    }
    return exitCodeFor(judgedVerdict(summary.verdict, summary.expect), summary.harnessError);
  } catch (error) {
    // A harness error, or a file that cannot be read or written (a full disk, no permission): one line.
    const line = error instanceof HarnessError ? error.message : describeFsError(error);
    if (line === null) throw error;
    process.stderr.write(`stampede report: ${line}\n`);
    return EXIT.harness;
  }
}

/**
 * A finished run's summary.json is the report of record. Without the scenario its own checkers cannot
 * run again, and a verdict rebuilt from the built-in ones alone could turn a recorded `pass` into
 * `unknown` (or worse) for no reason in the run itself: so nothing is rewritten, and the user is told
 * how to get the scenario back. (A run with no summary.json is still rebuilt from the built-in checkers.)
 */
function refuseWithoutScenario(loaded: LoadedRun, found: RunScenario): void {
  if (found.scenario || !loaded.summary) return;
  throw new HarnessError(
    `cannot re-check ${loaded.runDir}: its ${found.problem}; summary.json (verdict ${loaded.summary.verdict}) and the reports are left as they were. ` +
      'Restore the scenario file (or run `stampede report` where it loads) and run it again',
  );
}
