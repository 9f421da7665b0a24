// summary.md: the terminal summary as Markdown, for CI job summaries (GitHub's GITHUB_STEP_SUMMARY)
// and pull requests.
import { appendFileSync } from 'node:fs';
import type { Summary } from '../run/summary.js';
import { LATENCY_HEADER, latencyCells } from './table.js';
import {
  BUDGET_HEADER,
  budgetCells,
  expectWords,
  formatMs,
  multiplierWords,
  shapeWords,
  threadWords,
  verdictMark,
  verdictWords,
  type ReportModel,
} from './model.js';

/** One table cell: no line breaks, no column breaks, no raw HTML (checker details quote target data). */
export function mdCell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

export function mdTable(
  header: readonly string[],
  rows: readonly string[][],
  align: readonly ('l' | 'r')[] = [],
): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(mdCell).join(' | ')} |`;
  const rule = `|${header.map((_, i) => (align[i] === 'r' ? '---:' : '---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A fenced code block whose fence is longer than any backtick run inside it. */
export function mdCode(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

const ICON: Record<string, string> = { PASS: '✅', FAIL: '❌', UNKNOWN: '❔', ERROR: '💥' };

export function verdictIcon(summary: Pick<Summary, 'verdict' | 'harnessError'>): string {
  const mark = verdictMark(summary);
  return `${ICON[mark] ?? ''} ${mark}`.trim();
}

export function summaryMarkdown(model: ReportModel): string {
  const { summary: s, latency } = model;
  const t = s.totals;
  const parts: string[] = [];
  // `FAIL (budget: ...)`: a budget miss is said in the heading, never left to read as a lost update.
  const words = verdictWords(s).slice(verdictMark(s).length);
  parts.push(`### ${verdictIcon(s)}${mdCell(words)}: ${mdCell(s.scenario)} (seed ${s.seed})${expectWords(s)}`);
  const facts: string[][] = [
    [
      'scenario',
      `${s.scenario}: ${shapeWords(model)}, ${threadWords(s)}, faults: ${s.options.faults.join(', ') || 'none'}`,
    ],
    ['ops', `${t.attempted} attempted: ${t.ok} ok, ${t.fail} fail, ${t.info} info`],
    [
      'throughput',
      `${s.opsPerSec} ops/s over the run (${formatMs(s.durationMs)}); ${latency.all.opsPerSec} ops/s while ops ran`,
    ],
    ['start skew', s.startSkewMs === null ? 'n/a' : formatMs(s.startSkewMs)],
  ];
  if (s.harnessError) facts.push(['harness error', s.harnessError]);
  parts.push(mdTable(['', ''], facts));
  if (latency.rows.length > 0) {
    const rows = latency.rows.map(latencyCells);
    if (latency.rows.length > 1) rows.push(latencyCells(latency.all));
    parts.push(mdTable(LATENCY_HEADER, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  }
  const budgets = budgetCells(s);
  if (budgets.length > 0) {
    parts.push(mdTable(BUDGET_HEADER, budgets, ['l', 'r', 'l', 'l']));
    if (s.budgets) parts.push(`Budget multiplier: ${mdCell(multiplierWords(s.budgets))}`);
  }
  parts.push(
    mdTable(
      ['check', 'verdict', 'found'],
      s.checks.map((c) => [
        c.name,
        c.verdict === 'pass'
          ? '✅ pass'
          : `❌ ${c.verdict.toUpperCase()}${c.kind === 'budget' && c.verdict === 'fail' ? ' (budget miss)' : ''}`,
        c.details.split('\n')[0] ?? '',
      ]),
    ),
  );
  parts.push(`Replay (seed ${s.seed}):\n\n${mdCode(s.replay)}`);
  if (model.notes.length > 0) parts.push(model.notes.map((n) => `> note: ${mdCell(n)}`).join('\n>\n'));
  return `${parts.join('\n\n')}\n`;
}

/** GitHub Actions shows this file on the job's page; several runs append one after another. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return null;
  appendFileSync(path, `${markdown}\n`);
  return path;
}
