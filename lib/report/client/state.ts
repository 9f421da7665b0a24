// What the page shows: the time window the three canvases share, the op selected and hovered, the
// finding highlighted, a range being brushed or a drag under way. Changes redraw on the next frame.
import type { Chart } from './canvas.js';
import type { Run } from './data.js';

/** A time window in ms since the run started. */
export interface TimeWindow {
  t0: number;
  t1: number;
}

/** A range being chosen by dragging, to zoom to. */
export interface Brush {
  ch: Chart;
  t0: number;
  t1: number;
}

/** A mouse button held down on a canvas: a pan, a brush, or (when it never moves) a click. */
export interface Drag {
  ch: Chart;
  x: number;
  y: number;
  moved: boolean;
  brush: boolean;
  /** The window when it started. */
  t0: number;
  t1: number;
  /** The time under the mouse when it started. */
  ts: number;
}

export interface State {
  readonly run: Run;
  /** Shared with every chart, changed in place. */
  readonly view: TimeWindow;
  selected: number;
  hoverOp: number;
  /** The ops of the finding last clicked. */
  highlight: number[];
  /** The lane of the finding last clicked, when it names an agent. */
  flashLane: number;
  brush: Brush | null;
  drag: Drag | null;
  /** Redraw on the next animation frame (once, however often asked before it). */
  schedule(): void;
}

export function createState(run: Run, draw: () => void): State {
  let pending = false;
  return {
    run,
    view: { t0: run.full0 - run.span0 * 0.01, t1: run.full1 + run.span0 * 0.01 },
    selected: -1,
    hoverOp: -1,
    highlight: [],
    flashLane: -1,
    brush: null,
    drag: null,
    schedule() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    },
  };
}

/** Show t0..t1, kept within sane bounds: not narrower than a microsecond's worth, not far off the run. */
export function setView(state: State, t0: number, t1: number): void {
  const { span0, full0, full1 } = state.run;
  const minSpan = Math.max(span0 * 1e-6, 0.01);
  const maxSpan = span0 * 1.5;
  const span = Math.min(Math.max(t1 - t0, minSpan), maxSpan);
  let mid = (t0 + t1) / 2;
  mid = Math.min(Math.max(mid, full0 - span0 * 0.25), full1 + span0 * 0.25);
  state.view.t0 = mid - span / 2;
  state.view.t1 = mid + span / 2;
  state.schedule();
}

export function resetView(state: State): void {
  const { span0, full0, full1 } = state.run;
  setView(state, full0 - span0 * 0.01, full1 + span0 * 0.01);
}

/** Zoom by `factor` (below 1: in) keeping time `t` where it is. */
export function zoomAt(state: State, t: number, factor: number): void {
  const { view } = state;
  setView(state, t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
}
