// How often a plan failed, said the same way everywhere: `failed 7/20 (35%)`.
import type { Verdict } from '../types.js';

export interface Tally {
  runs: number;
  failed: number;
  unknown: number;
  harnessErrors: number;
}

export function emptyTally(): Tally {
  return { runs: 0, failed: 0, unknown: 0, harnessErrors: 0 };
}

export function count(tally: Tally, verdict: Verdict, harnessError: string | null): void {
  tally.runs += 1;
  if (harnessError) tally.harnessErrors += 1;
  else if (verdict === 'fail') tally.failed += 1;
  else if (verdict === 'unknown') tally.unknown += 1;
}

export function describeTally(t: Tally): string {
  const pct = t.runs === 0 ? 0 : Math.round((100 * t.failed) / t.runs);
  const extra = [
    t.unknown > 0 ? `${t.unknown} unknown` : '',
    t.harnessErrors > 0 ? `${t.harnessErrors} harness errors` : '',
  ].filter(Boolean);
  return `failed ${t.failed}/${t.runs} (${pct}%)${extra.length > 0 ? `, ${extra.join(', ')}` : ''}`;
}
