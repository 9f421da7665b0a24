// What the canvases share: their size in CSS pixels (drawn at the screen's pixel ratio), the
// time axis and its scale, the brushed range and the selected op's guides.
import { fmtMs, fmtTick, niceStep } from './format.js';
import { MARK } from './palette.js';
import type { State, TimeWindow } from './state.js';

/** Room left of the plot (lane names, axis labels), right of it, and above the timeline's lanes. */
export const GUTTER = 64;
export const RIGHT = 14;
export const AXIS_H = 30;

export interface Chart {
  readonly el: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  /** The shared window (State.view): every chart shows the same time range. */
  readonly view: TimeWindow;
  /** Size in CSS pixels. */
  w: number;
  h: number;
}

export function chart(id: string, view: TimeWindow): Chart {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLCanvasElement)) throw new Error(`report.html: its <canvas id="${id}"> is missing`);
  const ctx = el.getContext('2d');
  if (!ctx) throw new Error('report.html: this browser gives no 2d canvas to draw on');
  return { el, ctx, view, w: 0, h: 0 };
}

/** As wide as its container, `h` high, sharp on a high-density screen. */
export function sizeChart(ch: Chart, h: number): void {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(320, ch.el.parentElement?.clientWidth ?? 0);
  ch.w = w;
  ch.h = h;
  ch.el.width = Math.round(w * dpr);
  ch.el.height = Math.round(h * dpr);
  ch.el.style.width = w + 'px';
  ch.el.style.height = h + 'px';
  ch.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
}

export function plotW(ch: Chart): number {
  return ch.w - GUTTER - RIGHT;
}

/** Time to x (CSS pixels) and back. */
export function xOf(ch: Chart, t: number): number {
  return GUTTER + ((t - ch.view.t0) / (ch.view.t1 - ch.view.t0)) * plotW(ch);
}
export function tOf(ch: Chart, x: number): number {
  return ch.view.t0 + ((x - GUTTER) / plotW(ch)) * (ch.view.t1 - ch.view.t0);
}

/** Vertical grid lines at round times from top to bottom, labelled at labelY (null: unlabelled). */
export function drawTimeAxis(ch: Chart, top: number, bottom: number, labelY: number | null): void {
  const { ctx, view } = ch;
  const step = niceStep((view.t1 - view.t0) / Math.max(2, plotW(ch) / 110));
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
    const x = xOf(ch, t);
    ctx.fillStyle = '#e9ecef';
    ctx.fillRect(Math.round(x), top, 1, bottom - top);
    if (labelY !== null) {
      ctx.fillStyle = '#495057';
      ctx.fillText(fmtTick(t, step), x, labelY);
    }
  }
}

/** Horizontal grid lines at the given heights, each labelled left of the plot. */
export function drawValueAxis(ch: Chart, ticks: readonly { y: number; label: string }[]): void {
  const { ctx } = ch;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const { y, label } of ticks) {
    const yy = Math.round(y) + 0.5;
    ctx.fillStyle = '#e9ecef';
    ctx.fillRect(GUTTER, yy, plotW(ch), 1);
    ctx.fillStyle = '#495057';
    ctx.fillText(label, GUTTER - 6, yy);
  }
}

/** Round values for a log axis from lo to hi: decades, with 2 and 5 when there are few of them. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const mults = Math.log10(hi) - Math.log10(lo) < 3 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of mults) {
      const v = m * Math.pow(10, e);
      if (v >= lo && v <= hi) ticks.push(v);
    }
  return ticks;
}

/** y of `v` on a log axis from lo (at bottom) to hi (at top); below lo sits on the bottom. */
export function logY(v: number, lo: number, hi: number, top: number, bottom: number): number {
  const f = (Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return bottom - f * (bottom - top);
}

/**
 * A chart of durations over time, cleared and ready for its data: the time axis, a log axis of ms from lo
 * to hi (`y` maps a duration to its height), and the plot's clip (`endPlot` undoes it).
 */
export function beginLogPlot(
  ch: Chart,
  top: number,
  bottom: number,
  lo: number,
  hi: number,
  y: (ms: number) => number,
): void {
  ch.ctx.clearRect(0, 0, ch.w, ch.h);
  drawTimeAxis(ch, top, bottom, ch.h - 8);
  drawValueAxis(
    ch,
    logTicks(lo, hi).map((v) => ({ y: y(v), label: fmtMs(v) })),
  );
  beginPlot(ch);
}

/** Start drawing the data: clipped to the plot, right of the gutter. `endPlot` undoes it. */
export function beginPlot(ch: Chart): void {
  const { ctx } = ch;
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, 0, plotW(ch), ch.h);
  ctx.clip();
}

/** The selected op's guides and the brush over the data, then the plot's clip undone. */
export function endPlot(state: State, ch: Chart, top: number, bottom: number): void {
  drawSelectionGuides(state, ch, top, bottom);
  drawBrush(state, ch, top, bottom);
  ch.ctx.restore();
}

/** The range being brushed on this chart, if any. */
export function drawBrush(state: State, ch: Chart, top: number, bottom: number): void {
  const { brush } = state;
  if (!brush || brush.ch !== ch) return;
  const x0 = xOf(ch, Math.min(brush.t0, brush.t1));
  const x1 = xOf(ch, Math.max(brush.t0, brush.t1));
  ch.ctx.fillStyle = 'rgba(112,72,232,0.15)';
  ch.ctx.fillRect(x0, top, x1 - x0, bottom - top);
  ch.ctx.strokeStyle = MARK;
  ch.ctx.strokeRect(x0 + 0.5, top + 0.5, x1 - x0, bottom - top - 1);
}

/** Dashed lines at the selected op's invoke and completion, on every chart. */
export function drawSelectionGuides(state: State, ch: Chart, top: number, bottom: number): void {
  const { selected } = state;
  if (selected < 0) return;
  const { ctx } = ch;
  ctx.save();
  ctx.setLineDash([4, 3]);
  ctx.strokeStyle = '#212529';
  ctx.lineWidth = 1;
  for (const t of [state.run.startArr[selected], state.run.endArr[selected]]) {
    const x = Math.round(xOf(ch, t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
  }
  ctx.restore();
}
