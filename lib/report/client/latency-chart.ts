// Latency over time: each answered op a point at its invoke time (log scale), with the rolling p50 and
// p95. 100,000 points as Path2D rects take a tenth of a second; written straight into pixels they take
// a few ms. Where points overlap, the more alarming outcome wins the pixel.
import { beginLogPlot, chart, endPlot, GUTTER, logY, plotW, RIGHT, sizeChart, tOf, xOf, type Chart } from './canvas.js';
import { lowerBound, outcomeOf } from './data.js';
import { PRIO, RGB } from './palette.js';
import type { State } from './state.js';

export interface LatencyChart {
  readonly chart: Chart;
  size(): void;
  draw(): void;
  /** The answered op whose point is nearest (x, y), within 7 pixels, or -1. */
  hit(x: number, y: number): number;
}

/** Rolling quantiles drawn, with their colours. */
const QUANTILES: readonly (readonly [number, string])[] = [
  [0.5, '#1c7ed6'],
  [0.95, '#212529'],
];

export function createLatencyChart(state: State): LatencyChart {
  const { run } = state;
  const { ops: O, startArr, byStart, latLo, latHi } = run;
  const ch = chart('latency-chart', state.view);
  // The points are drawn into this canvas's pixels, then copied onto the chart in one go.
  const pointCanvas = document.createElement('canvas');

  function latY(lat: number): number {
    return logY(lat, latLo, latHi, 12, ch.h - 24);
  }

  function draw(): void {
    const { ctx, view } = ch;
    const top = 12;
    const bottom = ch.h - 24;
    beginLogPlot(ch, top, bottom, latLo, latHi, latY);
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.round(ch.w * dpr);
    const ph = Math.round(ch.h * dpr);
    const img = ctx.createImageData(pw, ph);
    const px = img.data;
    const prio = new Uint8Array(pw * ph);
    const rad = Math.max(1, Math.round(1.5 * dpr));
    const xMin = Math.ceil(GUTTER * dpr);
    const xMax = Math.floor((ch.w - RIGHT) * dpr);
    const k0 = lowerBound(startArr, byStart, view.t0);
    const k1 = lowerBound(startArr, byStart, view.t1 + 1e-9);
    // Rolling quantiles from a small log-scale histogram per time bucket: O(ops), no sorting,
    // and exact to within a bin (a few pixels on this chart).
    const B = Math.max(8, Math.min(60, Math.floor(plotW(ch) / 20)));
    const BINS = 96;
    const logLo = Math.log(latLo);
    const logSpan = Math.log(latHi) - logLo || 1;
    const hist = new Uint32Array(B * BINS);
    const bucketN = new Uint32Array(B);
    const bw = (view.t1 - view.t0) / B;
    for (let k = k0; k < k1; k++) {
      const op = byStart[k];
      if (O.end[op] < 0) continue;
      const lat = O.end[op] - O.start[op];
      const oc = outcomeOf(O, op);
      const cx = Math.round(xOf(ch, startArr[op]) * dpr);
      const cy = Math.round(latY(lat) * dpr);
      const pr = PRIO[oc] + 1;
      const rgb = RGB[oc];
      for (let yy = Math.max(0, cy - rad); yy < Math.min(ph, cy + rad); yy++) {
        for (let xx = Math.max(xMin, cx - rad); xx < Math.min(xMax, cx + rad); xx++) {
          const p = yy * pw + xx;
          if (prio[p] >= pr) continue;
          prio[p] = pr;
          px[p * 4] = rgb[0];
          px[p * 4 + 1] = rgb[1];
          px[p * 4 + 2] = rgb[2];
          px[p * 4 + 3] = 255;
        }
      }
      if (oc === 'o' || oc === 'f') {
        const bk = Math.min(B - 1, Math.max(0, Math.floor((startArr[op] - view.t0) / bw)));
        const bin = Math.min(
          BINS - 1,
          Math.max(0, Math.floor(((Math.log(Math.max(lat, latLo)) - logLo) / logSpan) * BINS)),
        );
        hist[bk * BINS + bin]++;
        bucketN[bk]++;
      }
    }
    pointCanvas.width = pw;
    pointCanvas.height = ph;
    pointCanvas.getContext('2d')?.putImageData(img, 0, 0);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(pointCanvas, 0, 0);
    ctx.restore();
    // Rolling p50 and p95 of answered ops, per bucket of invoke time; a bucket with too few ops
    // to say anything breaks the line rather than drawing a quantile of two points.
    for (const [q, colour] of QUANTILES) {
      ctx.beginPath();
      let joined = false;
      for (let bi = 0; bi < B; bi++) {
        if (bucketN[bi] < 5) {
          joined = false;
          continue;
        }
        const want = Math.ceil(q * bucketN[bi]);
        let seen = 0;
        let bin = 0;
        for (; bin < BINS; bin++) {
          seen += hist[bi * BINS + bin];
          if (seen >= want) break;
        }
        const v = Math.exp(logLo + ((bin + 0.5) / BINS) * logSpan);
        const x = xOf(ch, view.t0 + (bi + 0.5) * bw);
        const y = latY(v);
        if (joined) ctx.lineTo(x, y);
        else {
          ctx.moveTo(x, y);
          joined = true;
        }
      }
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    const { selected } = state;
    if (selected >= 0 && O.end[selected] >= 0) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.strokeRect(xOf(ch, startArr[selected]) - 4, latY(O.end[selected] - O.start[selected]) - 4, 8, 8);
    }
    endPlot(state, ch, top, bottom);
  }

  function hit(x: number, y: number): number {
    const t0 = tOf(ch, x - 8);
    const t1 = tOf(ch, x + 8);
    const k0 = lowerBound(startArr, byStart, t0);
    const k1 = lowerBound(startArr, byStart, t1);
    let best = -1;
    let bestD = 49;
    for (let k = k0; k < k1; k++) {
      const op = byStart[k];
      if (O.end[op] < 0) continue;
      const dx = xOf(ch, startArr[op]) - x;
      const dy = latY(O.end[op] - O.start[op]) - y;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        best = op;
        bestD = d;
      }
    }
    return best;
  }

  return { chart: ch, size: () => sizeChart(ch, 240), draw, hit };
}
