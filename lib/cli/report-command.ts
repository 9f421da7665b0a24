// `stampede report <run-dir>`: rebuild every report of a run folder from its history and final state,
// re-running the checkers (like Jepsen's `analyze`), so improved checkers and reports apply to old runs.
import { EXIT, exitCodeFor, judgedVerdict, type ExitCode } from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import { loadRun } from '../report/load-run.js';
import { rebuildSummary } from '../report/rebuild-summary.js';
import { recheckRun } from '../report/recheck.js';
import { parseReporters, writeReports } from '../report/write-reports.js';

export interface ReportCommandOptions {
  /** Reporters to write (`html`, `junit`, `markdown`, `json`; comma-separated or repeated). Default: all. */
  reporter?: string[] | string;
}

export async function reportCommand(runDir: string, options: ReportCommandOptions = {}): Promise<ExitCode> {
  try {
    const reporters = parseReporters(options.reporter);
    const loaded = await loadRun(runDir);
    const recheck = await recheckRun(loaded);
    const summary = rebuildSummary(loaded, recheck);
    const notes = [...loaded.notes, ...recheck.notes];
    const written = await writeReports(loaded.runDir, { plan: loaded.plan, ops: recheck.ops, summary, notes }, reporters);
    process.stdout.write(written.table);
    const old = loaded.summary;
    if (old && old.verdict !== summary.verdict) process.stdout.write(`  verdict changed on re-check: was ${old.verdict}, now ${summary.verdict}\n`);
    const names = Object.values(written.files).map((path) => path.slice(loaded.runDir.length + 1));
    process.stdout.write(`  wrote ${names.join(', ')}${written.stepSummary ? ' (and appended to GITHUB_STEP_SUMMARY)' : ''}\n`);
    return exitCodeFor(judgedVerdict(summary.verdict, summary.expect), summary.harnessError);
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    process.stderr.write(`stampede report: ${error.message}\n`);
    return EXIT.harness;
  }
}
