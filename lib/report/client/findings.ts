// The checks' findings and the timeline, linked: clicking a finding brings its ops into view, outlines
// them and selects the first; "show more" adds a check's further findings from the embedded data.
import { findingItem } from '../finding-item.js';
import { html } from '../html-template.js';
import type { Details } from './details.js';
import { fmtMs } from './format.js';
import { setView, type State } from './state.js';

/** Findings added per click of "show more". */
const MORE = 200;

export function wireFindings(state: State, details: Details, timelineEl: HTMLElement): void {
  const { run } = state;
  const D = run.report;

  function focusFinding(ci: number, fi: number, link: Element | null): void {
    const f = D.checks[ci]?.findings[fi];
    if (!f) return;
    document.querySelectorAll('a.finding.active').forEach((el) => el.classList.remove('active'));
    if (link) link.classList.add('active');
    state.highlight = f.ops.slice();
    state.flashLane = f.agent === undefined ? -1 : f.agent;
    if (f.ops.length > 0) {
      let t0 = Infinity;
      let t1 = -Infinity;
      for (const op of f.ops) {
        t0 = Math.min(t0, run.startArr[op]);
        t1 = Math.max(t1, run.endArr[op]);
      }
      // Enough of the run around it to see what else was going on at the time.
      const w = Math.max(t1 - t0, run.span0 * 0.08);
      setView(state, t0 - w * 0.5, t1 + w * 0.5);
      details.select(f.ops[0]);
    } else {
      details.select(-1);
      details.showMessage(
        html`<p>${D.checks[ci].name + ': ' + f.label}</p><p class="muted">No op in the history is linked to this finding${f.agent === undefined ? '' : "; its agent's lane is highlighted"}.</p>`,
      );
    }
    timelineEl.scrollIntoView({ block: 'center' });
    state.schedule();
  }

  function showMore(button: Element): void {
    const ci = Number(button.getAttribute('data-check'));
    const shown = Number(button.getAttribute('data-shown'));
    const list = document.getElementById(`findings-${ci}`);
    const all = D.checks[ci].findings;
    const next = Math.min(all.length, shown + MORE);
    const items = [];
    for (let fi = shown; fi < next; fi++) items.push(findingItem(ci, fi, all[fi], fmtMs));
    list?.insertAdjacentHTML('beforeend', html`${items}`.toString());
    button.setAttribute('data-shown', String(next));
    if (next >= all.length) button.remove();
    else button.textContent = `show more (${all.length - next} left)`;
  }

  document.addEventListener('click', (ev) => {
    if (!(ev.target instanceof Element)) return;
    const link = ev.target.closest('a.finding');
    if (link) {
      ev.preventDefault();
      focusFinding(Number(link.getAttribute('data-check')), Number(link.getAttribute('data-finding')), link);
      return;
    }
    const more = ev.target.closest('button.more');
    if (more) showMore(more);
  });
}
