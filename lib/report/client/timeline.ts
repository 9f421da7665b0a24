// The timeline: one lane per agent, one bar per op from invoke to completion, coloured by outcome, the
// ops a checker names outlined. Bars narrower than a pixel share a column, drawn once in its most
// alarming colour, so 100,000 ops draw in a few passes of Path2D fills.
import {
  AXIS_H,
  beginPlot,
  chart,
  drawTimeAxis,
  endPlot,
  GUTTER,
  plotW,
  sizeChart,
  tOf,
  xOf,
  type Chart,
} from './canvas.js';
import { lowerBound, outcomeOf } from './data.js';
import { COLOR, DRAW_ORDER, MARK, PRIO } from './palette.js';
import type { OutcomeCode } from '../embedded.js';
import type { State } from './state.js';

export interface Timeline {
  readonly chart: Chart;
  /** Fit the lanes to the number of agents and the canvas to its container. */
  size(): void;
  draw(): void;
  /** The op under (x, y) in CSS pixels, or -1. */
  hit(x: number, y: number): number;
}

export function createTimeline(state: State): Timeline {
  const { run } = state;
  const { ops: O, startArr, endArr, lanes, inFinding } = run;
  const D = run.report;
  const ch = chart('timeline', state.view);
  let laneH = 20;
  let barH = 14;
  let barPad = 3;

  function laneY(agent: number): number {
    return AXIS_H + agent * laneH;
  }

  /** An op's bar: [x, y, w, h], at least 3 pixels wide so a short op can still be pointed at. */
  function barRect(i: number): [number, number, number, number] {
    const x0 = xOf(ch, startArr[i]);
    const x1 = xOf(ch, endArr[i]);
    const w = Math.max(3, x1 - x0);
    return [x0 - (w - (x1 - x0)) / 2, laneY(O.agent[i]) + barPad, w, barH];
  }

  function size(): void {
    const lanesN = Math.max(1, D.lanes);
    laneH = Math.max(3, Math.min(22, Math.floor(640 / lanesN)));
    barPad = laneH >= 10 ? 3 : laneH >= 6 ? 1 : 0;
    barH = Math.max(2, laneH - 2 * barPad);
    sizeChart(ch, AXIS_H + lanesN * laneH + 6);
  }

  function draw(): void {
    const { ctx, view } = ch;
    const W = plotW(ch);
    ctx.clearRect(0, 0, ch.w, ch.h);
    const lanesN = D.lanes;
    for (let a = 0; a < lanesN; a++) {
      if (a % 2 === 1) {
        ctx.fillStyle = '#f8f9fa';
        ctx.fillRect(GUTTER, laneY(a), W, laneH);
      }
      if (a === state.flashLane) {
        ctx.fillStyle = 'rgba(112,72,232,0.18)';
        ctx.fillRect(0, laneY(a), ch.w, laneH);
      }
    }
    drawTimeAxis(ch, AXIS_H, ch.h, 12);
    // Lane labels: every lane when they fit, else every k-th.
    ctx.fillStyle = '#495057';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const fontPx = Math.min(12, Math.max(9, laneH - 4));
    ctx.font = fontPx + 'px ui-monospace, monospace';
    const every = Math.max(1, Math.ceil((fontPx + 2) / laneH));
    for (let a = 0; a < lanesN; a += every) ctx.fillText('a' + a, GUTTER - 8, laneY(a) + laneH / 2);

    beginPlot(ch);
    const scale = W / (view.t1 - view.t0);
    const paths: Record<OutcomeCode, Path2D> = { o: new Path2D(), f: new Path2D(), i: new Path2D(), p: new Path2D() };
    const marks: number[] = [];
    const labels: number[] = [];
    let drawn = 0;
    for (let a = 0; a < lanes.length; a++) {
      const idx = lanes[a];
      const y = laneY(a) + barPad;
      let k = lowerBound(startArr, idx, view.t0);
      while (k > 0 && endArr[idx[k - 1]] >= view.t0) k--;
      let lastCol = -1e9;
      let lastPrio = -1;
      for (; k < idx.length; k++) {
        const op = idx[k];
        const s = startArr[op];
        if (s > view.t1) break;
        const x0 = GUTTER + (s - view.t0) * scale;
        const w = (endArr[op] - s) * scale;
        const oc = outcomeOf(O, op);
        if (inFinding[op]) marks.push(op);
        if (w < 1) {
          // Many ops in one pixel column: draw the column once, in its most alarming colour.
          const col = Math.floor(x0);
          const pr = PRIO[oc];
          if (col === lastCol && pr <= lastPrio) continue;
          lastCol = col;
          lastPrio = pr;
          paths[oc].rect(col, y, 1, barH);
        } else {
          paths[oc].rect(x0, y, w > 3 ? w - 1 : w, barH);
          if (w > 44 && labels.length < 4000) labels.push(op);
          lastCol = Math.floor(x0 + w);
          lastPrio = PRIO[oc];
        }
        drawn++;
      }
    }
    for (const oc of DRAW_ORDER) {
      ctx.fillStyle = COLOR[oc];
      ctx.fill(paths[oc]);
    }
    // Zoomed in far enough, a bar has room for its op's name.
    if (barH >= 10) {
      ctx.fillStyle = '#fff';
      ctx.textAlign = 'left';
      ctx.font = Math.min(11, barH - 2) + 'px system-ui, sans-serif';
      const widths = new Map<string, number>();
      for (const op of labels) {
        const name = D.fs[O.f[op]];
        let width = widths.get(name);
        if (width === undefined) widths.set(name, (width = ctx.measureText(name).width));
        const x0 = Math.max(GUTTER, xOf(ch, startArr[op])) + 3;
        const x1 = Math.min(GUTTER + W, xOf(ch, endArr[op])) - 3;
        if (x1 - x0 >= width) ctx.fillText(name, x0, laneY(O.agent[op]) + laneH / 2);
      }
    }
    // Ops a checker names: outlined, and a tick on the axis band so they show at any zoom.
    ctx.strokeStyle = MARK;
    ctx.fillStyle = MARK;
    ctx.lineWidth = 1.5;
    const rug = new Path2D();
    const outlines = new Path2D();
    for (const op of marks) {
      const r = barRect(op);
      outlines.rect(r[0] - 1, r[1] - 1, r[2] + 2, r[3] + 2);
      rug.rect(Math.round(xOf(ch, startArr[op])) - 1, AXIS_H - 10, 2, 8);
    }
    ctx.stroke(outlines);
    ctx.fill(rug);
    for (const op of state.highlight) {
      const r = barRect(op);
      ctx.lineWidth = 3;
      ctx.strokeStyle = MARK;
      ctx.strokeRect(r[0] - 2, r[1] - 2, r[2] + 4, r[3] + 4);
    }
    if (state.hoverOp >= 0) {
      const h = barRect(state.hoverOp);
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#343a40';
      ctx.strokeRect(h[0] - 0.5, h[1] - 0.5, h[2] + 1, h[3] + 1);
    }
    if (state.selected >= 0) {
      const r = barRect(state.selected);
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#000';
      ctx.strokeRect(r[0] - 1, r[1] - 1, r[2] + 2, r[3] + 2);
    }
    endPlot(state, ch, AXIS_H, ch.h);
    // Read by the tests: how many ops this frame drew, and how many of them a checker names.
    ch.el.setAttribute('data-drawn', String(drawn));
    ch.el.setAttribute('data-marked', String(marks.length));
  }

  function hit(x: number, y: number): number {
    const lane = Math.floor((y - AXIS_H) / laneH);
    if (lane < 0 || lane >= lanes.length || x < GUTTER) return -1;
    const { view } = ch;
    const idx = lanes[lane];
    const t = tOf(ch, x);
    const tol = (4 * (view.t1 - view.t0)) / plotW(ch);
    const k = lowerBound(startArr, idx, t + tol);
    let best = -1;
    let bestD = Infinity;
    for (let j = Math.max(0, k - 4); j < Math.min(idx.length, k + 1); j++) {
      const op = idx[j];
      const s = startArr[op];
      const e = endArr[op];
      const d = t < s ? s - t : t > e ? t - e : 0;
      if (d <= tol && d < bestD) {
        best = op;
        bestD = d;
      }
    }
    return best;
  }

  return { chart: ch, size, draw, hit };
}
