// `stampede merge <run-dir ...> --out DIR`: one summary.json, junit.xml and summary.md over many runs
// (CI shards, --repeat). Exit code: the worst of the runs' (harness error, then fail, then unknown), each judged
// against what it must conclude: a seed kept to fail (stress/seeds.json) that failed counts as passing.
import { relative } from 'node:path';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import { describeFsError } from '../run/fs-errors.js';
import { mergeRuns, slippedWords } from '../report/merge.js';
import { parseReporters } from '../report/write-reports.js';
import { toneOf } from '../report/colour.js';
import { Output } from './output.js';

export interface MergeCommandOptions {
  /** The merged summary.json as one line on stdout; the words go to stderr. */
  json?: boolean;
  /** Where the merged files go. */
  out: string;
  /** `json`, `junit`, `markdown` (html has no merged form and is skipped). Default: all. */
  reporter?: string[] | string;
}

export async function mergeCommand(runDirs: readonly string[], options: MergeCommandOptions): Promise<ExitCode> {
  const out = new Output({ json: options.json === true });
  try {
    const reporters = parseReporters(options.reporter);
    if (options.reporter !== undefined && reporters.includes('html'))
      process.stderr.write('stampede merge: no merged html report; each run folder keeps its own report.html\n');
    const { merged, files, stepSummary } = mergeRuns(runDirs, options.out, reporters);
    const t = merged.totals;
    const kept = t.expectedFail > 0 ? ` (${t.expectedFail} of them kept seeds that failed, as they must)` : '';
    out.data(merged);
    const mark = out.paint(merged.verdict, merged.verdict.toUpperCase());
    out.text(
      `${mark}  ${t.runs} runs: ${t.pass} passed${kept}, ${t.fail} failed, ${t.unknown} unknown, ${t.harnessErrors} harness errors`,
    );
    for (const g of merged.groups) if (g.runs > 1) out.text(`  ${g.scenario} seed ${g.seed ?? '?'}: ${g.rate}`);
    for (const r of merged.runs) {
      if (r.exitCode === EXIT.pass) continue;
      const what = r.harnessError ?? slippedWords(r) ?? r.failedChecks.map((c) => c.name).join(', ');
      const runMark = out.paint(toneOf(r.verdict, r.harnessError), r.harnessError ? 'ERROR' : r.verdict.toUpperCase());
      out.text(`  ${runMark} ${r.scenario} seed ${r.seed ?? '?'}: ${what}`);
      if (r.replay) out.text(`    replay: ${r.replay}`);
    }
    const names = Object.values(files).map((path) => relative(process.cwd(), path) || path);
    out.text(`  wrote ${names.join(', ')}${stepSummary ? ' (and appended to GITHUB_STEP_SUMMARY)' : ''}`);
    return merged.exitCode;
  } catch (error) {
    // A harness error, or a file that cannot be read or written (a full disk, no permission): one line.
    const line = error instanceof HarnessError ? error.message : describeFsError(error);
    if (line === null) throw error;
    process.stderr.write(`stampede merge: ${line}\n`);
    return EXIT.harness;
  }
}
