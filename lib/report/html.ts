// report.html: one self-contained page (inline CSS and JS, data embedded as JSON, no network) that
// opens from disk. The verdicts, findings and tables are written here as HTML; the timeline and
// the charts are drawn by the embedded script (html-client.ts) on canvases from the embedded data.
// The page is written as a stream, so the ops are never all in memory.
import { rmSync } from 'node:fs';
import { writeAtomicStream } from './files.js';
import { checkFindings, type CheckFindings } from './findings.js';
import { CLIENT_JS } from './html-client.js';
import type { EmbeddedCheck } from './embedded.js';
import { embedChecks, micro, OpColumns, writeEmbeddedReport } from './html-data.js';
import { STYLE_CSS } from './html-style.js';
import { expectWords, formatMs, shapeWords, verdictMark, type ReportModel } from './model.js';
import { LATENCY_HEADER, latencyCells } from './table.js';

/** Findings written into the page per check; the page's "show more" adds the rest from the embedded data. */
const FINDINGS_IN_PAGE = 100;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/**
 * Write report.html to `path`. The op data goes from the op stream into column files beside it (one
 * pass) and from there into the page, so a report of a million ops is written in little memory.
 */
export function writeReportHtml(
  path: string,
  model: ReportModel,
  findings: readonly CheckFindings[] = checkFindings(model.summary.checks, model.ops),
): string {
  const columnsDir = `${path}.ops.tmp`;
  try {
    const ops = OpColumns.write(model.ops, model.plan.agents.length, columnsDir);
    const checks = embedChecks(model, findings);
    return writeAtomicStream(path, (sink) => {
      sink.write(pageStart(model, checks, findings));
      writeEmbeddedReport(sink, model, ops, checks);
      sink.write(`</script>\n<script>${CLIENT_JS}</script>\n</body>\n</html>\n`);
    });
  } finally {
    rmSync(columnsDir, { recursive: true, force: true });
  }
}

/** The page up to the start of its embedded data. */
function pageStart(model: ReportModel, checks: readonly EmbeddedCheck[], findings: readonly CheckFindings[]): string {
  const s = model.summary;
  const mark = verdictMark(s);
  const heading = `stampede: ${s.scenario} seed ${s.seed}: ${mark}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)}</title>
<style>${STYLE_CSS}</style>
</head>
<body>
${header(model, mark)}
<main>
${checksSection(model, checks, findings)}
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
</div>
<aside id="details"></aside>
</div>
</section>
${latencySection(model)}
${agentsSection(model)}
${notesSection(model)}
</main>
<div id="tooltip" hidden></div>
<script type="application/json" id="stampede-data">`;
}

function header(model: ReportModel, mark: string): string {
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
  return `<header class="v-${mark.toLowerCase()}">
<h1><span class="badge ${mark.toLowerCase()}">${mark}</span> ${escapeHtml(s.scenario)} <span class="muted">seed ${s.seed}${escapeHtml(expectWords(s))}</span></h1>
<p class="facts">${facts.map((f) => `<span>${escapeHtml(f)}</span>`).join('')}</p>
${s.harnessError ? `<p><b>harness error:</b> ${escapeHtml(s.harnessError)}</p>` : ''}
<p class="replay">replay: <code>${escapeHtml(s.replay)}</code></p>
</header>`;
}

function checksSection(model: ReportModel, checks: readonly EmbeddedCheck[], found: readonly CheckFindings[]): string {
  const items = model.summary.checks.map((check, ci) => {
    const list = checks[ci]?.findings ?? [];
    const shown = list.slice(0, FINDINGS_IN_PAGE).map((f, fi) => {
      const start = found[ci]?.findings[fi]?.at;
      const at = start === undefined || start === null ? '' : ` at ${formatMs(micro(start))}`;
      // Said, so a finding that names more ops than it links is not read as being about those alone.
      const cut = f.opCount > f.ops.length ? ` (${f.ops.length} of ${f.opCount} ops linked)` : '';
      return `<li class="kind-${escapeHtml(f.kind)}"><span class="kind">${escapeHtml(f.kind)}</span> <a href="#timeline" class="finding" data-check="${ci}" data-finding="${fi}">${escapeHtml(f.label)}</a><span class="muted">${escapeHtml(at + cut)}</span></li>`;
    });
    const more =
      list.length > FINDINGS_IN_PAGE
        ? `<button type="button" class="more" data-check="${ci}" data-shown="${FINDINGS_IN_PAGE}">show more (${list.length - FINDINGS_IN_PAGE} left)</button>`
        : '';
    const total = checks[ci]?.total ?? 0;
    const undrawn =
      total > list.length
        ? `<p class="muted undrawn">and ${total - list.length} more ${total - list.length === 1 ? 'finding' : 'findings'} not drawn (the report draws a check's first ${list.length})</p>`
        : '';
    const verdict = check.verdict;
    return `<li class="check ${verdict}"><span class="badge ${verdict}">${verdict.toUpperCase()}</span><span class="name">${escapeHtml(check.name)}</span>
<p>${escapeHtml(check.details)}</p>
${shown.length > 0 ? `<ul class="findings" id="findings-${ci}">${shown.join('')}</ul>${more}${undrawn}` : ''}</li>`;
  });
  return `<section id="checks">
<h2>Checks</h2>
<ol class="checks">
${items.join('\n')}
</ol>
</section>`;
}

function latencySection(model: ReportModel): string {
  const { latency } = model;
  if (latency.rows.length === 0) return '';
  const rows = latency.rows.map((r) => ({ cells: latencyCells(r), all: false }));
  if (latency.rows.length > 1) rows.push({ cells: latencyCells(latency.all), all: true });
  const body = rows
    .map((r) => `<tr${r.all ? ' class="all"' : ''}>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<section id="latency">
<h2>Latency per op kind</h2>
<p class="muted">Of ops that got an answer (ok or fail); info ops were cut off by a deadline or a kill. Throughput is per second of the window in which ops ran (${escapeHtml(formatMs(latency.windowMs))}).</p>
<table class="data"><thead><tr>${LATENCY_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
</section>`;
}

function agentsSection(model: ReportModel): string {
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
  const rows = model.summary.agents.map((a) =>
    [
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
    ]
      .map((v, i) => `<td${i === 5 || i === 10 ? ' class="text"' : ''}>${escapeHtml(String(v))}</td>`)
      .join(''),
  );
  return `<section id="agents">
<h2>Agents</h2>
<table class="data"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r}</tr>`).join('\n')}
</tbody></table>
</section>`;
}

function notesSection(model: ReportModel): string {
  const notes = [...model.notes, `results folder: ${model.summary.runDir}`];
  return `<section id="notes" class="notes">
<h2>Notes</h2>
<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
</section>`;
}

function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} kB`;
  return `${n} B`;
}
