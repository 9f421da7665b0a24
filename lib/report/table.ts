// The summary a person reads in the terminal at the end of a run: plain text, aligned columns.
// Scenario and shape, outcomes, latency per op kind, throughput, start skew, each checker's
// verdict with what it found in words, then the seed and the replay command.
import { relative } from 'node:path';
import type { LatencyRow } from '../history/latency.js';
import { describeReasons } from '../run/reasons.js';
import { plain, toneOf, type Paint } from './colour.js';
import {
  BUDGET_HEADER,
  budgetCells,
  expectWords,
  formatMs,
  multiplierWords,
  shapeWords,
  threadWords,
  verdictWords,
  type ReportModel,
} from './model.js';

type Align = 'l' | 'r';

/** Dresses a cell (colour) after its width is measured: what it adds takes no room on screen. */
export type CellStyle = (cell: string, row: number, column: number) => string;

/** Pad every column to its widest cell; the last column is never padded (it may be long prose). */
export function alignColumns(
  rows: readonly string[][],
  align: readonly Align[],
  gap = '  ',
  style: CellStyle = (cell) => cell,
): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row, r) =>
    row
      .map((cell, i) => {
        const styled = style(cell, r, i);
        if (i === row.length - 1 && align[i] !== 'r') return styled;
        const padding = ' '.repeat((widths[i] ?? 0) - cell.length);
        return align[i] === 'r' ? padding + styled : styled + padding;
      })
      .join(gap)
      .trimEnd(),
  );
}

const num = (value: number | null): string =>
  value === null ? '-' : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2);

export function latencyCells(row: LatencyRow): string[] {
  return [
    row.f,
    String(row.count),
    String(row.ok),
    String(row.fail),
    String(row.info + row.pending),
    num(row.p50),
    num(row.p95),
    num(row.p99),
    num(row.max),
    row.opsPerSec.toFixed(1),
  ];
}

export const LATENCY_HEADER = ['op', 'count', 'ok', 'fail', 'info', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ops/s'];

/** `paint` colours the verdicts for a terminal; the table that goes into files (junit.xml) has none. */
export function summaryTable(model: ReportModel, cwd = process.cwd(), paint: Paint = plain): string {
  const { summary: s, latency } = model;
  const t = s.totals;
  const faults = s.options.faults.length > 0 ? s.options.faults.join(', ') : 'none';
  const skew = s.startSkewMs === null ? 'n/a' : formatMs(s.startSkewMs);
  const lines: string[] = [];
  lines.push(
    `${paint(toneOf(s.verdict, s.harnessError), verdictWords(s))}  ${s.scenario}  seed ${s.seed}${expectWords(s)}`,
  );
  lines.push(
    ...alignColumns(
      [
        ['scenario', `${s.scenario}: ${shapeWords(model)}, ${threadWords(s)}, faults: ${faults}`],
        ['ops', `${t.attempted} attempted: ${t.ok} ok, ${t.fail} fail, ${t.info} info (unknown outcome)`],
        [
          'throughput',
          `${s.opsPerSec} ops/s over the run (${formatMs(s.durationMs)}); ${latency.all.opsPerSec} ops/s while ops ran (${formatMs(latency.windowMs)})`,
        ],
        ['start skew', `${skew} between the first and the last agent's first op`],
        ...(s.reasons && s.reasons.fail.length > 0 ? [['fail reasons', describeReasons(s.reasons.fail)]] : []),
        ...(s.reasons && s.reasons.info.length > 0 ? [['unknown reasons', describeReasons(s.reasons.info)]] : []),
        ...(s.service ? [['service', serviceWords(s.service)]] : []),
      ],
      ['l', 'l'],
    ).map((line) => `  ${line}`),
  );
  if (s.harnessError) lines.push(`  harness error: ${s.harnessError}`);
  if (s.stopReason && s.stopReason !== s.harnessError) lines.push(`  stopped: ${s.stopReason}`);

  if (latency.rows.length > 0) {
    lines.push('');
    const rows = [LATENCY_HEADER, ...latency.rows.map(latencyCells)];
    if (latency.rows.length > 1) rows.push(latencyCells(latency.all));
    lines.push(...alignColumns(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']).map((line) => `  ${line}`));
  }

  const budgets = budgetCells(s);
  if (budgets.length > 0) {
    lines.push('');
    lines.push(...alignColumns([BUDGET_HEADER, ...budgets], ['l', 'r', 'l', 'l']).map((line) => `  ${line}`));
    if (s.budgets) lines.push(`  budget multiplier ${multiplierWords(s.budgets)}`);
  }

  lines.push('');
  const checkRows = [
    ['check', 'verdict', 'found'],
    ...s.checks.map((c) => [c.name, c.verdict === 'pass' ? 'pass' : c.verdict.toUpperCase(), oneLine(c.details)]),
  ];
  const checkVerdict: CellStyle = (cell, row, column) => {
    const check = s.checks[row - 1];
    return column === 1 && check ? paint(check.verdict, cell) : cell;
  };
  lines.push(...alignColumns(checkRows, ['l', 'l', 'l'], '  ', checkVerdict).map((line) => `  ${line}`));

  lines.push('');
  // Relative when under the working directory (short), absolute otherwise (unambiguous).
  const rel = relative(cwd, s.runDir);
  const where = rel === '' ? '.' : rel.startsWith('..') ? s.runDir : rel;
  lines.push(
    ...alignColumns(
      [
        ['seed', String(s.seed)],
        ['replay', s.replay],
        ['results', where],
      ],
      ['l', 'l'],
    ).map((line) => `  ${line}`),
  );
  for (const note of model.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** `stopped; 1 of 2 planned restarts and pauses landed (the run ended first); log ...` */
function serviceWords(service: NonNullable<ReportModel['summary']['service']>): string {
  const landed = service.restarts + service.pauses;
  const planned = service.planned ?? landed;
  const faults =
    planned === 0
      ? 'no restarts or pauses'
      : `${landed} of ${planned} planned restarts and pauses landed${landed < planned ? ' (the run ended first)' : ''}`;
  return `${service.exit}; ${faults}; log ${service.logFile}`;
}

/** Checker details are one line by contract; a stack trace (a checker that threw) is cut to its first line here. */
function oneLine(text: string): string {
  const first = text.split('\n')[0] ?? '';
  return first.length < text.length ? `${first} ...` : first;
}
