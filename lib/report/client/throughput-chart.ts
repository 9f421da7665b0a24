// Throughput: ops completed per second of the window, in buckets stacked by outcome.
import {
  beginPlot,
  chart,
  drawTimeAxis,
  drawValueAxis,
  endPlot,
  plotW,
  sizeChart,
  tOf,
  xOf,
  type Chart,
} from './canvas.js';
import { fmtMs, niceStep } from './format.js';
import { html, type Html } from '../html-template.js';
import { COLOR } from './palette.js';
import type { State } from './state.js';

export interface ThroughputChart {
  readonly chart: Chart;
  size(): void;
  draw(): void;
  /** What the bucket under x says, or null off the buckets. */
  tipAt(x: number): Html | null;
}

/** Each bucket's counts: ok, info, fail (stacked in that order). */
const SLOT = { o: 0, i: 1, f: 2 } as const;
const SLOT_COLORS = [COLOR.o, COLOR.i, COLOR.f];

interface Buckets {
  counts: Float64Array;
  B: number;
  /** Bucket width in ms. */
  bw: number;
  perSec: number;
}

export function createThroughputChart(state: State): ThroughputChart {
  const { ops: O, n: N } = state.run;
  const ch = chart('throughput-chart', state.view);
  /** As last drawn, for the tooltip. */
  let buckets: Buckets | null = null;

  function draw(): void {
    const { ctx, view } = ch;
    const top = 10;
    const bottom = ch.h - 24;
    ctx.clearRect(0, 0, ch.w, ch.h);
    drawTimeAxis(ch, top, bottom, ch.h - 8);
    const B = Math.max(10, Math.min(200, Math.floor(plotW(ch) / 6)));
    const bw = (view.t1 - view.t0) / B;
    const counts = new Float64Array(B * 3);
    for (let op = 0; op < N; op++) {
      if (O.end[op] < 0) continue;
      const t = O.end[op];
      if (t < view.t0 || t >= view.t1) continue;
      counts[Math.floor((t - view.t0) / bw) * 3 + SLOT[O.outcome[op] as keyof typeof SLOT]]++;
    }
    const perSec = 1000 / bw;
    let maxRate = 0;
    for (let b = 0; b < B; b++)
      maxRate = Math.max(maxRate, (counts[b * 3] + counts[b * 3 + 1] + counts[b * 3 + 2]) * perSec);
    if (maxRate <= 0) maxRate = 1;
    const step = niceStep(maxRate / 4);
    const yMax = Math.ceil(maxRate / step) * step;
    const y = (v: number): number => bottom - (v / yMax) * (bottom - top);
    const ticks: { y: number; label: string }[] = [];
    for (let v = 0; v <= yMax + 1e-9; v += step)
      ticks.push({ y: y(v), label: v >= 1000 ? (v / 1000).toFixed(v % 1000 ? 1 : 0) + 'k/s' : Math.round(v) + '/s' });
    drawValueAxis(ch, ticks);
    for (let b = 0; b < B; b++) {
      const x = xOf(ch, view.t0 + b * bw);
      const w = Math.max(1, plotW(ch) / B - 1);
      let base = 0;
      for (let s = 0; s < 3; s++) {
        const rate = counts[b * 3 + s] * perSec;
        if (rate <= 0) continue;
        ctx.fillStyle = SLOT_COLORS[s];
        ctx.fillRect(x, y(base + rate), w, y(base) - y(base + rate));
        base += rate;
      }
    }
    buckets = { counts, B, bw, perSec };
    beginPlot(ch);
    endPlot(state, ch, top, bottom);
  }

  function tipAt(x: number): Html | null {
    if (!buckets) return null;
    const { view } = ch;
    const b = Math.floor((tOf(ch, x) - view.t0) / buckets.bw);
    if (b < 0 || b >= buckets.B) return null;
    const c = buckets.counts;
    const bt = view.t0 + b * buckets.bw;
    const rate = Math.round((c[b * 3] + c[b * 3 + 1] + c[b * 3 + 2]) * buckets.perSec);
    return html`${fmtMs(bt)} to ${fmtMs(bt + buckets.bw)}<br>${c[b * 3]} ok, ${c[b * 3 + 2]} fail, ${c[b * 3 + 1]} info completed<br>${rate} ops/s`;
  }

  return { chart: ch, size: () => sizeChart(ch, 170), draw, tipAt };
}
