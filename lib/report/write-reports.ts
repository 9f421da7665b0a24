// Write the chosen reports into a run folder: report.html, junit.xml, summary.md and summary.json; the
// Markdown is also appended to GITHUB_STEP_SUMMARY when the caller asks (the CLI does; a library call or a
// user's test does not write into a CI job's page behind its back).
import { join } from 'node:path';
import type { OpLog } from '../history/op-log.js';
import { HarnessError } from '../run/errors.js';
import type { Summary } from '../run/summary.js';
import { writeAtomic } from './files.js';
import { writeReportHtml } from './html.js';
import { junitXml } from './junit.js';
import type { LatencyRow } from '../history/latency.js';
import { appendStepSummary, summaryMarkdown } from './markdown.js';
import { buildModel, type ReportInput, type ReportModel } from './model.js';
import { summaryTable } from './table.js';

export type Reporter = 'html' | 'junit' | 'markdown' | 'json';
export const REPORTERS: readonly Reporter[] = ['html', 'junit', 'markdown', 'json'];

export const REPORT_FILES: Record<Reporter, string> = {
  html: 'report.html',
  junit: 'junit.xml',
  markdown: 'summary.md',
  json: 'summary.json',
};

/** summary.json as the json reporter writes it: the run's Summary plus latency per op kind. */
export interface SummaryWithLatency extends Summary {
  latency: LatencyRow[];
}

/** `--reporter html,junit` (repeatable or comma-separated); throws a usage error naming the known ones. */
export function parseReporters(values: readonly string[] | string | undefined): Reporter[] {
  const list = (typeof values === 'string' ? [values] : (values ?? []))
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (list.length === 0) return [...REPORTERS];
  const out: Reporter[] = [];
  for (const name of list) {
    if (!(REPORTERS as readonly string[]).includes(name))
      throw new HarnessError(`unknown reporter ${JSON.stringify(name)}; known: ${REPORTERS.join(', ')}`);
    if (!out.includes(name as Reporter)) out.push(name as Reporter);
  }
  return out;
}

export interface WrittenReports {
  /** Absolute paths, by reporter. */
  files: Partial<Record<Reporter, string>>;
  /** GITHUB_STEP_SUMMARY, when the Markdown was appended to it. */
  stepSummary: string | null;
  /** The terminal summary table (always built: it is what the CLI prints). */
  table: string;
  model: ReportModel;
}

export interface WriteReportsOptions {
  /** Append summary.md to $GITHUB_STEP_SUMMARY when that is set (default false). */
  stepSummary?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Writes the chosen reports, and summary.json whatever was chosen: it is the report of record (merge, repro, report). */
export async function writeReports(
  runDir: string,
  input: ReportInput,
  reporters: readonly Reporter[] = REPORTERS,
  options: WriteReportsOptions = {},
): Promise<WrittenReports> {
  const model = buildModel(input);
  const table = summaryTable(model);
  const files: Partial<Record<Reporter, string>> = {};
  let stepSummary: string | null = null;
  for (const reporter of new Set<Reporter>([...reporters, 'json'])) {
    const path = join(runDir, REPORT_FILES[reporter]);
    switch (reporter) {
      case 'html':
        writeReportHtml(path, model);
        break;
      case 'junit':
        writeAtomic(path, junitXml(model.summary, table));
        break;
      case 'markdown': {
        const md = summaryMarkdown(model);
        writeAtomic(path, md);
        if (options.stepSummary) stepSummary = appendStepSummary(md, options.env ?? process.env);
        break;
      }
      case 'json': {
        const json: SummaryWithLatency = {
          ...model.summary,
          latency: [...model.latency.rows, ...(model.latency.rows.length > 1 ? [model.latency.all] : [])],
        };
        writeAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
        break;
      }
    }
    files[reporter] = path;
  }
  return { files, stepSummary, table, model };
}

export async function completeReports(run: {
  runDir: string;
  plan: ReportInput['plan'];
  ops: OpLog;
  summary: Summary;
  notes: string[];
}): Promise<WrittenReports> {
  return writeReports(run.runDir, { plan: run.plan, ops: run.ops, summary: run.summary, notes: run.notes });
}
