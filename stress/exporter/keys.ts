// Write keys and how a read reports the keys it saw. Every write's key is `a<agent>-<seq>`, unique in the
// run, so a key present in the export is that write visible. A read reports the keys as ranges of seqs per
// agent (`{"a3": "0-5,7"}`): a few bytes per agent in the history, however large the export grows.
import type { Json } from '../../lib/types.js';

const KEY = /^a(\d+)-(\d+)$/;

export const writeKey = (agent: number, seq: number): string => `a${agent}-${seq}`;

/** What a read saw: per agent, the seqs present as ranges; keys of any other shape listed as they are. */
export interface SeenKeys {
  version: number;
  count: number;
  ranges: Record<string, string>;
  other: string[];
}

export function compactKeys(version: number, keys: Iterable<string>): SeenKeys {
  const seqs = new Map<string, number[]>();
  const other: string[] = [];
  let count = 0;
  for (const key of keys) {
    count++;
    const m = KEY.exec(key);
    if (!m) {
      other.push(key);
      continue;
    }
    const agent = `a${m[1]}`;
    const list = seqs.get(agent);
    if (list) list.push(Number(m[2]));
    else seqs.set(agent, [Number(m[2])]);
  }
  const ranges: Record<string, string> = {};
  for (const [agent, list] of [...seqs].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a - b);
    const parts: string[] = [];
    for (let i = 0; i < list.length;) {
      let j = i;
      while (j + 1 < list.length && (list[j + 1] as number) === (list[j] as number) + 1) j++;
      parts.push(i === j ? String(list[i]) : `${list[i]}-${list[j]}`);
      i = j + 1;
    }
    ranges[agent] = parts.join(',');
  }
  return { version, count, ranges, other };
}

/** A test for keys from a read's result, or null when the result is not a SeenKeys. */
export function seenKeys(result: Json): ((key: string) => boolean) | null {
  const r = result as Partial<SeenKeys> | null;
  if (typeof r !== 'object' || r === null || typeof r.ranges !== 'object' || r.ranges === null) return null;
  const spans = new Map<string, [number, number][]>();
  for (const [agent, text] of Object.entries(r.ranges)) {
    if (typeof text !== 'string') return null;
    spans.set(
      agent,
      text
        .split(',')
        .filter((p) => p !== '')
        .map((p) => {
          const [lo, hi] = p.split('-').map(Number);
          return [lo as number, hi ?? (lo as number)];
        }),
    );
  }
  const other = new Set(Array.isArray(r.other) ? r.other.map(String) : []);
  return (key) => {
    const m = KEY.exec(key);
    if (!m) return other.has(key);
    const list = spans.get(`a${m[1]}`);
    if (!list) return false;
    const seq = Number(m[2]);
    // Ranges are sorted and disjoint: binary search.
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = list[mid] as [number, number];
      if (seq < a) hi = mid - 1;
      else if (seq > b) lo = mid + 1;
      else return true;
    }
    return false;
  };
}
