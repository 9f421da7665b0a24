// XML text and attribute escaping. Checker details quote whatever the target stored (values with
// quotes, control characters, non-ASCII), so characters XML 1.0 cannot hold at all are replaced.

// Allowed in XML 1.0: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF (whole surrogate pairs).
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Safe in both element text and double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(INVALID, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Attribute values are normalised by parsers (newlines become spaces): keep them on one line, and short. */
export function xmlAttr(text: string, max = 1000): string {
  const flat = text.replace(/\r?\n/g, ' ');
  return escapeXml(flat.length > max ? `${flat.slice(0, max)}...` : flat);
}
