// One finding in report.html's list of checks, linking to its ops on the timeline. The page is written
// with a check's first findings (html.ts) and its "show more" adds the rest (client/findings.ts): one
// markup for both, so a finding reads the same whichever wrote it.
import type { EmbeddedFinding } from './embedded.js';
import { html, type Html } from './html-template.js';

/** Finding `index` of check `check`; `formatMs` puts its date in words (each side has its own). */
export function findingItem(check: number, index: number, f: EmbeddedFinding, formatMs: (ms: number) => string): Html {
  const at = f.at === null ? '' : ` at ${formatMs(f.at)}`;
  // Said, so a finding that names more ops than it links is not read as being about those alone.
  const cut = f.opCount > f.ops.length ? ` (${f.ops.length} of ${f.opCount} ops linked)` : '';
  return html`<li class="kind-${f.kind}"><span class="kind">${f.kind}</span> <a href="#timeline" class="finding" data-check="${check}" data-finding="${index}">${f.label}</a><span class="muted">${at + cut}</span></li>`;
}
