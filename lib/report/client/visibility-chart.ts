// Visibility: each acknowledged write the visibility check measured, at its ack time, as a bar over the
// range its ack-to-visible time is known to lie in (from the last read by another agent that missed it to
// the first that saw it; log scale), against the budget. Green: within the budget whatever the truth in
// the range; red: over it; amber: the range straddles it. A write never seen runs to the top.
import { beginLogPlot, chart, endPlot, logY, sizeChart, xOf, type Chart } from './canvas.js';
import type { EmbeddedVisibility } from '../embedded.js';
import { html, type Html } from '../html-template.js';
import { fmtMs } from './format.js';
import { COLOR } from './palette.js';
import type { State } from './state.js';

export interface VisibilityChart {
  readonly chart: Chart;
  size(): void;
  draw(): void;
  /** The charted write nearest x (within 6 pixels), or -1: a position in the embedded columns. */
  hit(x: number): number;
  tipFor(write: number): Html;
  /** The write's op in the page's op columns, or -1 when it is not among them. */
  opOf(write: number): number;
}

/** Ack-to-visible bounds below this are drawn at it: a log axis has no zero. */
const FLOOR_MS = 0.1;

export function createVisibilityChart(state: State, vis: EmbeddedVisibility): VisibilityChart {
  const ch = chart('visibility-chart', state.view);
  const n = vis.ack.length;
  let hi = vis.budgetMs;
  let lo = vis.budgetMs;
  for (let i = 0; i < n; i++) {
    hi = Math.max(hi, vis.low[i], vis.high[i] ?? 0);
    const smallest = vis.low[i] > 0 ? vis.low[i] : (vis.high[i] ?? 0);
    if (smallest > 0) lo = Math.min(lo, smallest);
  }
  lo = Math.max(FLOOR_MS, lo / 2);
  hi = hi * 1.5;
  const byOp = new Map<string, number>();
  const O = state.run.ops;
  for (let op = 0; op < state.run.n; op++) byOp.set(O.agent[op] + ':' + O.seq[op], op);

  const top = 10;
  const bottom = (): number => ch.h - 24;
  const y = (v: number): number => logY(v, lo, hi, top, bottom());

  function colourOf(i: number): string {
    const high = vis.high[i];
    if (high !== null && high <= vis.budgetMs) return COLOR.o;
    if (vis.low[i] > vis.budgetMs || high === null) return COLOR.f;
    return COLOR.i;
  }

  function draw(): void {
    const { ctx } = ch;
    const b = bottom();
    beginLogPlot(ch, top, b, lo, hi, y);
    ctx.lineWidth = 2;
    for (let i = 0; i < n; i++) {
      const x = Math.round(xOf(ch, vis.ack[i])) + 0.5;
      if (x < 0 || x > ch.w) continue;
      const high = vis.high[i];
      const y0 = y(vis.low[i]);
      const y1 = high === null ? top : y(high);
      ctx.strokeStyle = colourOf(i);
      ctx.beginPath();
      ctx.moveTo(x, Math.max(y0, y1 + 2));
      ctx.lineTo(x, y1);
      ctx.stroke();
      // The first sighting's end: a cap, absent for a write never seen.
      if (high !== null) {
        ctx.fillStyle = ctx.strokeStyle;
        ctx.fillRect(x - 2.5, y1 - 1, 5, 2);
      }
    }
    const yb = Math.round(y(vis.budgetMs)) + 0.5;
    ctx.save();
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = COLOR.f;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, yb);
    ctx.lineTo(ch.w, yb);
    ctx.stroke();
    ctx.restore();
    endPlot(state, ch, top, b);
    ch.el.setAttribute('data-drawn', String(n));
  }

  function hit(x: number): number {
    let best = -1;
    let bestD = 6;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(xOf(ch, vis.ack[i]) - x);
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best;
  }

  function tipFor(i: number): Html {
    const high = vis.high[i];
    const range =
      high === null
        ? `never seen by another agent (at least ${fmtMs(vis.low[i])})`
        : vis.low[i] === high
          ? fmtMs(high)
          : `${fmtMs(vis.low[i])} to ${fmtMs(high)}`;
    return html`a${vis.agent[i]} seq ${vis.seq[i]}, acknowledged at ${fmtMs(vis.ack[i])}<br>visible to others after ${range}<br>budget ${fmtMs(vis.budgetMs)} (p${vis.percentile})`;
  }

  const opOf = (i: number): number => byOp.get(vis.agent[i] + ':' + vis.seq[i]) ?? -1;

  return { chart: ch, size: () => sizeChart(ch, 200), draw, hit, tipFor, opOf };
}
