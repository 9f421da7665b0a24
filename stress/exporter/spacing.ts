// The most points, pairwise at least `gap` apart, that fit in a union of time spans: an upper bound on
// how many actions a debouncer with that window could have started while the spans' events arrived.
// Greedy from the left over the merged spans is optimal for points in a set of the line (take the
// earliest point that fits, then the earliest one a gap later), and it ignores which span a point is in,
// which only loosens the bound.

export function maxSpacedPoints(spans: readonly (readonly [number, number])[], gap: number): number {
  if (spans.length === 0) return 0;
  if (!(gap > 0)) return spans.length;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let count = 0;
  let last = -Infinity;
  let [from, to] = sorted[0] as readonly [number, number];
  const take = (a: number, b: number): void => {
    const first = Math.max(a, last + gap);
    if (first > b) return;
    if (!Number.isFinite(b)) {
      count = Infinity;
      return;
    }
    const n = Math.floor((b - first) / gap) + 1;
    count += n;
    last = first + (n - 1) * gap;
  };
  for (const [a, b] of sorted.slice(1)) {
    if (a <= to) to = Math.max(to, b);
    else {
      take(from, to);
      [from, to] = [a, b];
    }
  }
  take(from, to);
  return count;
}
