// HTML written as tagged templates: html`<td>${value}</td>` escapes every interpolation, so text from a
// checker, an op or a scenario (any text at all) can never become markup by being forgotten. Markup that is
// trusted is said so once: a nested html`...` (already escaped) or raw(...). Shared by the page writer
// (html.ts, Node) and the page's own script (client/, the browser): no Node or DOM APIs here. Prettier
// leaves these templates as written (embeddedLanguageFormatting: off): whitespace in them is content.

/** Escaped markup: what html`...` gives and what it interpolates as it is. */
export class Html {
  constructor(private readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What a template may interpolate: text (escaped), markup, nothing (null, undefined, false) or a list of these. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITY[c] ?? c);
}

function piece(value: HtmlValue): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.toString();
  let out = '';
  for (const item of value) out += piece(item);
  return out;
}

/** The template's literal parts as written; each interpolation escaped unless it is Html (lists joined as they are). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Trusted markup, interpolated unescaped: the page's own stylesheet and script, never data. */
export function raw(markup: string): Html {
  return new Html(markup);
}
