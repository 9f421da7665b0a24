// Mouse, wheel and keys on the canvases, and the toolbar: hover for a tooltip, click to select, wheel to
// zoom, drag to pan, shift-drag (or drag on a chart) to zoom to a range; +, -, 0 and the arrows on the
// focused timeline.
import { GUTTER, plotW, tOf, type Chart } from './canvas.js';
import type { Details, Tooltip } from './details.js';
import { opSummary } from './details.js';
import type { LatencyChart } from './latency-chart.js';
import { resetView, setView, zoomAt, type State } from './state.js';
import type { ThroughputChart } from './throughput-chart.js';
import type { Timeline } from './timeline.js';
import type { VisibilityChart } from './visibility-chart.js';

export interface Views {
  timeline: Timeline;
  latency: LatencyChart;
  throughput: ThroughputChart;
  /** Only when the run had a visibility check that measured some write. */
  visibility: VisibilityChart | null;
  tooltip: Tooltip;
  details: Details;
}

function local(ch: Chart, ev: MouseEvent): { x: number; y: number } {
  const r = ch.el.getBoundingClientRect();
  return { x: ev.clientX - r.left, y: ev.clientY - r.top };
}

function button(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`report.html: its button #${id} is missing`);
  return el;
}

export function wireInteraction(state: State, views: Views, layout: () => void): void {
  const { timeline, latency, throughput, visibility, tooltip, details } = views;
  const TL = timeline.chart;
  const LAT = latency.chart;
  const VIS = visibility?.chart ?? null;
  const { view } = state;
  /** The op under a click on a chart other than the timeline, or -1. */
  const opAt = (ch: Chart, p: { x: number; y: number }): number => {
    if (ch === LAT) return latency.hit(p.x, p.y);
    if (visibility && ch === VIS) {
      const write = visibility.hit(p.x);
      return write >= 0 ? visibility.opOf(write) : -1;
    }
    return -1;
  };

  for (const ch of [TL, LAT, throughput.chart, ...(VIS ? [VIS] : [])]) {
    ch.el.addEventListener('mousedown', (ev) => {
      if (ev.button !== 0) return;
      const p = local(ch, ev);
      state.drag = {
        ch,
        x: p.x,
        y: p.y,
        moved: false,
        brush: ev.shiftKey || ch !== TL,
        t0: view.t0,
        t1: view.t1,
        ts: tOf(ch, p.x),
      };
      ev.preventDefault();
    });
    ch.el.addEventListener(
      'wheel',
      (ev) => {
        ev.preventDefault();
        const p = local(ch, ev);
        zoomAt(state, tOf(ch, p.x), Math.exp(ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)));
      },
      { passive: false },
    );
    ch.el.addEventListener('mousemove', (ev) => {
      if (state.drag) return;
      const p = local(ch, ev);
      if (ch === TL) {
        const op = timeline.hit(p.x, p.y);
        if (op !== state.hoverOp) {
          state.hoverOp = op;
          state.schedule();
        }
        tooltip.show(op >= 0 ? opSummary(state.run, op) : null, ev);
      } else if (ch === LAT) {
        const op = latency.hit(p.x, p.y);
        tooltip.show(op >= 0 ? opSummary(state.run, op) : null, ev);
      } else if (visibility && ch === VIS) {
        const write = visibility.hit(p.x);
        tooltip.show(write >= 0 ? visibility.tipFor(write) : null, ev);
      } else if (p.x >= GUTTER) {
        tooltip.show(throughput.tipAt(p.x), ev);
      }
    });
    ch.el.addEventListener('mouseleave', () => {
      tooltip.show(null, null);
      if (state.hoverOp >= 0) {
        state.hoverOp = -1;
        state.schedule();
      }
    });
  }

  window.addEventListener('mousemove', (ev) => {
    const { drag } = state;
    if (!drag) return;
    const p = local(drag.ch, ev);
    if (Math.abs(p.x - drag.x) > 3 || Math.abs(p.y - drag.y) > 3) drag.moved = true;
    if (!drag.moved) return;
    if (drag.brush) {
      state.brush = { ch: drag.ch, t0: drag.ts, t1: tOf(drag.ch, p.x) };
      state.schedule();
    } else {
      const dt = ((p.x - drag.x) / plotW(drag.ch)) * (drag.t1 - drag.t0);
      setView(state, drag.t0 - dt, drag.t1 - dt);
    }
  });
  window.addEventListener('mouseup', (ev) => {
    const d = state.drag;
    if (!d) return;
    state.drag = null;
    if (!d.moved) {
      // A click: select the op under it; on the timeline, a click on nothing clears the selection.
      const p = local(d.ch, ev);
      const op = d.ch === TL ? timeline.hit(p.x, p.y) : opAt(d.ch, p);
      if (op >= 0 || d.ch === TL) {
        state.highlight = [];
        state.flashLane = -1;
        details.select(op);
      }
      return;
    }
    const { brush } = state;
    if (brush) {
      const b0 = Math.min(brush.t0, brush.t1);
      const b1 = Math.max(brush.t0, brush.t1);
      state.brush = null;
      if (b1 > b0) setView(state, b0, b1);
      else state.schedule();
    }
  });

  TL.el.addEventListener('keydown', (ev) => {
    const span = view.t1 - view.t0;
    const mid = (view.t0 + view.t1) / 2;
    if (ev.key === '+' || ev.key === '=') zoomAt(state, mid, 0.5);
    else if (ev.key === '-') zoomAt(state, mid, 2);
    else if (ev.key === '0') resetView(state);
    else if (ev.key === 'ArrowLeft') setView(state, view.t0 - span * 0.2, view.t1 - span * 0.2);
    else if (ev.key === 'ArrowRight') setView(state, view.t0 + span * 0.2, view.t1 + span * 0.2);
    else return;
    ev.preventDefault();
  });
  button('zoom-in').addEventListener('click', () => zoomAt(state, (view.t0 + view.t1) / 2, 0.5));
  button('zoom-out').addEventListener('click', () => zoomAt(state, (view.t0 + view.t1) / 2, 2));
  // The whole run, keeping the selection and the highlighted finding: where it sits in the run.
  button('zoom-reset').addEventListener('click', () => resetView(state));

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(layout, 100);
  });
}
