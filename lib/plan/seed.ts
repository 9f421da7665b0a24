// Seeds: parsing what a person typed, and deriving independent sub-seeds.

/** Parse a seed given on the command line: a decimal or 0x-hex integer in [0, 2^32). */
export function parseSeed(text: string): number {
  const trimmed = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(trimmed)
    ? Number.parseInt(trimmed, 16)
    : /^\d+$/.test(trimmed)
      ? Number(trimmed)
      : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(
      `seed must be an integer from 0 to 4294967295 (decimal or 0x hex), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * A sub-seed that depends only on the run seed and the labels (murmur3's finaliser as the mixer).
 * Agent 3's ops depend on (seed, 3) alone, so changing the agent count leaves the others' ops as they were:
 * that is what lets `shrink` drop agents without changing the ones it keeps.
 */
export function deriveSeed(seed: number, ...labels: number[]): number {
  let h = seed >>> 0;
  for (const label of labels) {
    h = Math.imul(h ^ (label >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    h = (h + 0x9e3779b9) >>> 0;
  }
  return h;
}

/** Labels for derived streams, so no two purposes share one. */
export const STREAM = { agent: 1, start: 2, faults: 3, kills: 4, service: 5 } as const;
