// report.html: one self-contained page (inline CSS and JS, data embedded as JSON, no network) that
// opens from disk. The verdicts, findings and tables are written here as HTML, through html`...`
// templates that escape what they interpolate; the timeline and the charts are drawn by the page's
// script (client/, bundled at build time: client-script.ts) on canvases from the embedded data.
// The page is written as a stream, so the ops are never all in memory.
import { rmSync } from 'node:fs';
import { clientScript } from './client-script.js';
import type { EmbeddedCheck, EmbeddedVisibility } from './embedded.js';
import { writeAtomicStream } from './files.js';
import { findingItem } from './finding-item.js';
import { checkFindings, type CheckFindings } from './findings.js';
import { embedChecks, embedVisibility, OpColumns, writeEmbeddedReport } from './html-data.js';
import { STYLE_CSS } from './html-style.js';
import { html, raw, type Html } from './html-template.js';
import {
  BUDGET_HEADER,
  budgetCells,
  expectWords,
  formatMs,
  multiplierWords,
  shapeWords,
  verdictMark,
  type ReportModel,
} from './model.js';
import { LATENCY_HEADER, latencyCells } from './table.js';

/** Findings written into the page per check; the page's "show more" adds the rest from the embedded data. */
const FINDINGS_IN_PAGE = 100;

/**
 * Write report.html to `path`. The op data goes from the op stream into column files beside it (one
 * pass) and from there into the page, so a report of a million ops is written in little memory.
 */
export function writeReportHtml(
  path: string,
  model: ReportModel,
  findings: readonly CheckFindings[] = checkFindings(model.summary.checks, model.ops),
): string {
  // Read first: a missing script fails before any op is copied.
  const script = clientScript();
  const columnsDir = `${path}.ops.tmp`;
  try {
    const ops = OpColumns.write(model.ops, model.plan.agents.length, columnsDir);
    const checks = embedChecks(model, findings);
    const visibility = embedVisibility(model.summary.checks);
    return writeAtomicStream(path, (sink) => {
      sink.write(pageStart(model, checks, visibility).toString());
      writeEmbeddedReport(sink, model, ops, checks, visibility);
      sink.write(html`</script>\n<script>${raw(script)}</script>\n</body>\n</html>\n`.toString());
    });
  } finally {
    rmSync(columnsDir, { recursive: true, force: true });
  }
}

/** The page up to the start of its embedded data. */
function pageStart(
  model: ReportModel,
  checks: readonly EmbeddedCheck[],
  visibility: EmbeddedVisibility | undefined,
): Html {
  const s = model.summary;
  const mark = verdictMark(s);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stampede: ${s.scenario} seed ${s.seed}: ${mark}</title>
<style>${raw(STYLE_CSS)}</style>
</head>
<body>
${header(model, mark)}
<main>
${checksSection(model, checks)}
<section id="timeline-section">
<h2>Timeline</h2>
<div class="toolbar">
<button type="button" id="zoom-in" aria-keyshortcuts="+">zoom in (+)</button>
<button type="button" id="zoom-out" aria-keyshortcuts="-">zoom out (-)</button>
<button type="button" id="zoom-reset" aria-keyshortcuts="0">whole run (0)</button>
<span class="legend"><span><i style="background:var(--ok)"></i>ok</span><span><i style="background:var(--fail)"></i>fail</span><span><i style="background:var(--info)"></i>info (unknown)</span><span><i style="background:var(--pending)"></i>pending</span><span><i style="border:2px solid var(--mark)"></i>named by a checker</span></span>
<span id="range"></span>
</div>
<div class="timeline-layout">
<div class="canvas-wrap">
<canvas id="timeline" tabindex="0" aria-label="timeline: one lane per agent, one bar per op from invoke to completion"></canvas>
<div class="chart-head">Latency over time (each op at its invoke time, log scale; lines: p50 blue, p95 black)</div>
<canvas id="latency-chart" aria-label="latency over time"></canvas>
<div class="chart-head">Throughput (ops completed per second, by outcome)</div>
<canvas id="throughput-chart" aria-label="throughput over time"></canvas>
${visibility && visibilityChart(visibility)}
</div>
<aside id="details"></aside>
</div>
</section>
${latencySection(model)}
${budgetsSection(model)}
${agentsSection(model)}
${notesSection(model)}
</main>
<div id="tooltip" hidden></div>
<script type="application/json" id="stampede-data">`;
}

function header(model: ReportModel, mark: string): Html {
  const s = model.summary;
  const t = s.totals;
  const facts = [
    shapeWords(model),
    `${t.attempted} ops: ${t.ok} ok, ${t.fail} fail, ${t.info} info`,
    `${s.opsPerSec} ops/s over ${formatMs(s.durationMs)}`,
    `start skew ${s.startSkewMs === null ? 'n/a' : formatMs(s.startSkewMs)}`,
    `faults: ${s.options.faults.join(', ') || 'none'}`,
    `started ${s.startedAt}`,
    `code ${s.code.version}${s.code.commit ? ` (${s.code.commit.slice(0, 10)})` : ''}`,
  ];
  const verdict = mark.toLowerCase();
  return html`<header class="v-${verdict}">
<h1><span class="badge ${verdict}">${mark}</span> ${s.scenario} <span class="muted">seed ${s.seed}${expectWords(s)}</span></h1>
<p class="facts">${facts.map((f) => html`<span>${f}</span>`)}</p>
${s.harnessError && html`<p><b>harness error:</b> ${s.harnessError}</p>`}
<p class="replay">replay: <code>${s.replay}</code></p>
</header>`;
}

function checksSection(model: ReportModel, checks: readonly EmbeddedCheck[]): Html {
  const items = model.summary.checks.map((check, ci) => {
    const list = checks[ci]?.findings ?? [];
    const shown = list.slice(0, FINDINGS_IN_PAGE).map((f, fi) => findingItem(ci, fi, f, formatMs));
    const left = list.length - FINDINGS_IN_PAGE;
    const more =
      left > 0 &&
      html`<button type="button" class="more" data-check="${ci}" data-shown="${FINDINGS_IN_PAGE}">show more (${left} left)</button>`;
    const undrawn = (checks[ci]?.total ?? 0) - list.length;
    const undrawnNote =
      undrawn > 0 &&
      html`<p class="muted undrawn">and ${undrawn} more ${undrawn === 1 ? 'finding' : 'findings'} not drawn (the report draws a check's first ${list.length})</p>`;
    const verdict = check.verdict;
    return html`<li class="check ${verdict}"><span class="badge ${verdict}">${verdict.toUpperCase()}</span><span class="name">${check.name}</span>
<p>${check.details}</p>
${shown.length > 0 && html`<ul class="findings" id="findings-${ci}">${shown}</ul>${more}${undrawnNote}`}</li>\n`;
  });
  return html`<section id="checks">
<h2>Checks</h2>
<ol class="checks">
${items}</ol>
</section>`;
}

function latencySection(model: ReportModel): Html | null {
  const { latency } = model;
  if (latency.rows.length === 0) return null;
  const rows = latency.rows.map((r) => ({ cells: latencyCells(r), all: false }));
  if (latency.rows.length > 1) rows.push({ cells: latencyCells(latency.all), all: true });
  return html`<section id="latency">
<h2>Latency per op kind</h2>
<p class="muted">Of ops that got an answer (ok or fail); info ops were cut off by a deadline or a kill. Throughput is per second of the window in which ops ran (${formatMs(latency.windowMs)}).</p>
<table class="data"><thead><tr>${LATENCY_HEADER.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => html`<tr${r.all && raw(' class="all"')}>${r.cells.map((c) => html`<td>${c}</td>`)}</tr>\n`)}</tbody></table>
</section>`;
}

/** The visibility chart's heading and canvas, when the run measured visibility (the page's script draws it). */
function visibilityChart(vis: EmbeddedVisibility): Html {
  const sample = vis.every > 1 ? `; one write in ${vis.every} shown` : '';
  return html`<div class="chart-head">Visibility to other agents (each acknowledged write at its ack time, a bar from the last read by another agent that missed it to the first that saw it, log scale; dashed: the p${vis.percentile} budget of ${formatMs(vis.budgetMs)}${sample})</div>
<canvas id="visibility-chart" aria-label="ack-to-visible time per write"></canvas>`;
}

/** Each budget with its measured figure and the limit it was held to, when the run had budgets. */
function budgetsSection(model: ReportModel): Html | null {
  const rows = budgetCells(model.summary);
  if (rows.length === 0) return null;
  const { budgets } = model.summary;
  return html`<section id="budgets">
<h2>Budgets</h2>
${budgets && html`<p class="muted">Budget multiplier ${multiplierWords(budgets)}: latency limits are multiplied by it, throughput limits divided.</p>`}
<table class="data"><thead><tr>${BUDGET_HEADER.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => html`<tr class="${r[3] === 'pass' ? 'pass' : r[3] === 'UNKNOWN' ? 'unknown' : 'fail'}">${r.map((c, i) => html`<td${i !== 1 && raw(' class="text"')}>${c}</td>`)}</tr>\n`)}</tbody></table>
</section>`;
}

function agentsSection(model: ReportModel): Html {
  const head = [
    'agent',
    'attempted',
    'ok',
    'fail',
    'info',
    'exit',
    'processes',
    'restarts',
    'stdout',
    'stderr',
    'error',
  ];
  /** Columns of words, aligned left like text rather than right like numbers. */
  const TEXT = new Set(['exit', 'error']);
  const rows = model.summary.agents.map((a) => [
    a.name,
    a.attempted,
    a.ok,
    a.fail,
    a.info,
    a.exit,
    a.processes,
    a.restarts,
    bytes(a.stdoutBytes),
    bytes(a.stderrBytes),
    a.error ?? '',
  ]);
  const cell = (v: string | number, i: number): Html =>
    html`<td${TEXT.has(head[i] ?? '') && raw(' class="text"')}>${v}</td>`;
  return html`<section id="agents">
<h2>Agents</h2>
<table class="data"><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => html`<tr>${r.map(cell)}</tr>\n`)}</tbody></table>
</section>`;
}

function notesSection(model: ReportModel): Html {
  const notes = [...model.notes, `results folder: ${model.summary.runDir}`];
  return html`<section id="notes" class="notes">
<h2>Notes</h2>
<ul>${notes.map((n) => html`<li>${n}</li>`)}</ul>
</section>`;
}

function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} kB`;
  return `${n} B`;
}
