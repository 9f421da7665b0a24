// What a person reads at the end of a run: one verdict line, what failed in words, the seed and the replay command.
import { relative } from 'node:path';
import type { Summary } from '../run/summary.js';
import { verdictWords } from '../report/model.js';
import { plain, toneOf, type Paint } from '../report/colour.js';

export function verdictLines(summary: Summary, paint: Paint = plain): string[] {
  const t = summary.totals;
  const mark = verdictWords(summary);
  const skew = summary.startSkewMs === null ? 'n/a' : `${summary.startSkewMs.toFixed(1)} ms`;
  const lines = [
    `${paint(toneOf(summary.verdict, summary.harnessError), mark)}${' '.repeat(Math.max(1, 8 - mark.length))}${summary.scenario}  seed ${summary.seed}  ${summary.options.agents}x${summary.options.ops}  ${t.ok} ok / ${t.fail} fail / ${t.info} info  ${(summary.durationMs / 1000).toFixed(1)} s  ${summary.opsPerSec} ops/s  start skew ${skew}`,
  ];
  if (summary.harnessError) lines.push(`        harness error: ${summary.harnessError}`);
  for (const check of summary.checks) {
    if (check.verdict !== 'pass') lines.push(`        ${check.verdict} ${check.name}: ${check.details}`);
  }
  lines.push(`        results: ${relative(process.cwd(), summary.runDir) || '.'}`);
  lines.push(`        replay:  ${summary.replay}`);
  return lines;
}
