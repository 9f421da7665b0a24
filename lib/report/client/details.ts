// An op in words: the tooltip's summary on hover, and the details panel beside the timeline on click
// (its value and result in full, the findings that name it, its agent's previous and next op).
import { html, type Html } from '../html-template.js';
import { opName, outcomeOf, type Run } from './data.js';
import { fmtMs, pretty } from './format.js';
import { WORD } from './palette.js';
import { setView, type State } from './state.js';

/** Text shown in the tooltip per value, result or error; the details panel shows it whole. */
const TIP_TEXT = 160;

/** The tooltip's summary of an op. */
export function opSummary(run: Run, op: number): Html {
  const O = run.ops;
  const oc = outcomeOf(O, op);
  const start = O.start[op];
  const end = O.end[op];
  const named = run.opFindings.get(op);
  const done = end < 0 ? ', never completed' : `, done ${fmtMs(end)} (${fmtMs(end - start)})`;
  const text = (label: string, value: string) => value && html`<br>${label}: <code>${value.slice(0, TIP_TEXT)}</code>`;
  const namedBy =
    named && html`<br><b class="mark">named by ${named.map(([ci]) => run.report.checks[ci].name).join(', ')}</b>`;
  return html`<b>${opName(run, op)}</b> ${run.report.fs[O.f[op]]} <span class="pill ${oc}">${WORD[oc]}</span><br>invoke ${fmtMs(start)}${done}${text('value', O.value[op])}${text('result', O.result[op])}${text('error', O.error[op])}${namedBy}`;
}

export interface Tooltip {
  /** Show `content` by the mouse, or hide the tooltip when there is none. */
  show(content: Html | null, ev: MouseEvent | null): void;
}

export function createTooltip(tip: HTMLElement): Tooltip {
  return {
    show(content, ev) {
      if (!content || !ev) {
        tip.hidden = true;
        return;
      }
      tip.innerHTML = content.toString();
      tip.hidden = false;
      let x = ev.clientX + 14;
      let y = ev.clientY + 14;
      const r = tip.getBoundingClientRect();
      if (x + r.width > window.innerWidth - 8) x = ev.clientX - r.width - 14;
      if (y + r.height > window.innerHeight - 8) y = ev.clientY - r.height - 14;
      tip.style.left = Math.max(4, x) + 'px';
      tip.style.top = Math.max(4, y) + 'px';
    },
  };
}

export interface Details {
  /** Select an op (-1: none): the panel shows it, the charts mark it. */
  select(op: number): void;
  /** The panel for the selected op. */
  render(): void;
  /** The panel with other words than an op's, until the next selection. */
  showMessage(content: Html): void;
}

export function createDetails(state: State, panel: HTMLElement): Details {
  const { run } = state;
  const O = run.ops;
  const D = run.report;

  function render(): void {
    const op = state.selected;
    if (op < 0) {
      panel.innerHTML =
        '<p class="muted">Hover over an op for its summary; click it for the details here. Wheel to zoom, drag to pan, shift-drag (or drag on a chart) to zoom to a range.</p>';
      return;
    }
    const oc = outcomeOf(O, op);
    const end = O.end[op];
    const row = (k: string, v: string): Html => html`<dt>${k}</dt><dd>${v}</dd>`;
    const named = run.opFindings.get(op);
    const agent = O.agent[op];
    const rows = [
      row('op', D.fs[O.f[op]]),
      row('agent', 'a' + agent),
      row('invoked', fmtMs(O.start[op])),
      row('completed', end < 0 ? 'never (pending)' : fmtMs(end)),
      end >= 0 && row('latency', fmtMs(end - O.start[op])),
    ];
    const link = ([ci, fi]: readonly [number, number]): Html =>
      html`<li><a href="#timeline" class="finding" data-check="${ci}" data-finding="${fi}">${D.checks[ci].name + ': ' + D.checks[ci].findings[fi].label}</a></li>`;
    const result = O.result[op] && html`<h4>result</h4><pre>${pretty(O.result[op])}</pre>`;
    const error = O.error[op] && html`<h4>error</h4><pre>${O.error[op]}</pre>`;
    const namedBy = named && html`<h4>named by</h4><ul>${named.map(link)}</ul>`;
    const nav = html`<p class="nav"><button type="button" data-step="-1">previous op of a${agent}</button> <button type="button" data-step="1">next op of a${agent}</button></p>`;
    panel.innerHTML =
      html`<h3>${opName(run, op)} <span class="pill ${oc}">${WORD[oc]}</span></h3><dl>${rows}</dl><h4>value</h4><pre>${pretty(O.value[op]) || 'null'}</pre>${result}${error}${namedBy}${nav}`.toString();
  }

  function select(op: number): void {
    state.selected = op;
    render();
    state.schedule();
  }

  // Previous and next op of the selected op's agent, brought into view when outside it.
  panel.addEventListener('click', (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest('button[data-step]') : null;
    if (!b || state.selected < 0) return;
    const idx = run.lanes[O.agent[state.selected]];
    const pos = idx.indexOf(state.selected) + Number(b.getAttribute('data-step'));
    if (pos < 0 || pos >= idx.length) return;
    const op = idx[pos];
    const { view } = state;
    const span = view.t1 - view.t0;
    if (run.startArr[op] < view.t0 || run.endArr[op] > view.t1)
      setView(state, run.startArr[op] - span / 2, run.startArr[op] + span / 2);
    select(op);
  });

  return {
    select,
    render,
    showMessage(content) {
      panel.innerHTML = content.toString();
    },
  };
}
