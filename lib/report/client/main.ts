// The script inside report.html (bundled into one IIFE at build time by scripts/build-client.mjs; no
// libraries, no network). It reads the embedded JSON once and draws canvases that share one time window:
// the timeline (one lane per agent, one bar per op), latency over time, throughput and, when the run
// measured it, visibility. Canvas,
// not DOM nodes, so 100,000 ops stay responsive; hover and click are answered by binary search over
// each lane's ops, which are sorted by invoke time.
import { indexRun, readReport } from './data.js';
import { createDetails, createTooltip } from './details.js';
import { wireFindings } from './findings.js';
import { fmtMs } from './format.js';
import { wireInteraction } from './interaction.js';
import { createLatencyChart } from './latency-chart.js';
import { createState } from './state.js';
import { createThroughputChart } from './throughput-chart.js';
import { createTimeline } from './timeline.js';
import { createVisibilityChart } from './visibility-chart.js';

function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`report.html: its element #${id} is missing`);
  return el;
}

const started = performance.now();
const report = readReport(document);
const parsedAt = performance.now();
const run = indexRun(report);
const state = createState(run, drawAll);
const timeline = createTimeline(state);
const latency = createLatencyChart(state);
const throughput = createThroughputChart(state);
const visibility = report.visibility ? createVisibilityChart(state, report.visibility) : null;
const rangeEl = element('range');
const details = createDetails(state, element('details'));

function drawAll(): void {
  timeline.draw();
  latency.draw();
  throughput.draw();
  visibility?.draw();
  const { view } = state;
  rangeEl.textContent = `showing ${fmtMs(Math.max(view.t0, run.full0))} to ${fmtMs(Math.min(view.t1, run.full1))} of ${fmtMs(run.full0)} to ${fmtMs(run.full1)} (ms since the run started)`;
}

function layout(): void {
  timeline.size();
  latency.size();
  throughput.size();
  visibility?.size();
  drawAll();
}

wireFindings(state, details, timeline.chart.el);
wireInteraction(
  state,
  { timeline, latency, throughput, visibility, tooltip: createTooltip(element('tooltip')), details },
  layout,
);

details.render();
const indexedAt = performance.now();
layout();
const drawnAt = performance.now();
// Read by the tests (and handy in devtools): where the first render's time went.
const root = document.documentElement;
const ms = (from: number, to: number): string => `${(to - from).toFixed(0)} ms`;
root.setAttribute(
  'data-timing',
  `parse ${ms(started, parsedAt)}, index ${ms(parsedAt, indexedAt)}, draw ${ms(indexedAt, drawnAt)}`,
);
root.setAttribute('data-render-ms', (drawnAt - started).toFixed(1));
root.setAttribute('data-ready', '1');
