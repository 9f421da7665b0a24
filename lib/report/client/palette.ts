// Colours and outcome words of the page's canvases; the same colours as the stylesheet (html-style.ts).
import type { OutcomeCode } from '../embedded.js';

export const COLOR: Readonly<Record<OutcomeCode, string>> = { o: '#2f9e44', f: '#e03131', i: '#f59f00', p: '#adb5bd' };
/** COLOR as bytes, for the latency chart's points written straight into pixels. */
export const RGB: Readonly<Record<OutcomeCode, readonly [number, number, number]>> = {
  o: [47, 158, 68],
  f: [224, 49, 49],
  i: [245, 159, 0],
  p: [173, 181, 189],
};
export const WORD: Readonly<Record<OutcomeCode, string>> = { o: 'ok', f: 'fail', i: 'info', p: 'pending' };
/** Where ops overlap, the more alarming outcome is the one drawn. */
export const PRIO: Readonly<Record<OutcomeCode, number>> = { o: 0, p: 1, i: 2, f: 3 };
export const DRAW_ORDER: readonly OutcomeCode[] = ['o', 'p', 'i', 'f'];
/** Ops a checker names. */
export const MARK = '#7048e8';
