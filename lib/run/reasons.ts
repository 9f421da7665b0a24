// Why ops did not succeed, counted: "302 ref lock, 18 index.lock, 16 empty message" read at a glance
// instead of by parsing the history. The reason is the op's error as the target's `reason` (or the first
// meaningful stderr line) left it; long numbers that differ per op (pids, ports, ms) are folded so alike groups.
import { LAST_LINES } from '../results/exec-outcome.js';
import type { OpStream } from '../types.js';

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface OutcomeReasons {
  fail: ReasonCount[];
  info: ReasonCount[];
}

/** Kept per outcome: the most common, so a million distinct errors cannot grow the summary. */
const MAX_REASONS = 10;
const MAX_DISTINCT = 1000;

export function outcomeReasons(ops: OpStream): OutcomeReasons {
  const tallies = { fail: new Map<string, number>(), info: new Map<string, number>() };
  for (const op of ops) {
    if (op.outcome !== 'fail' && op.outcome !== 'info') continue;
    const tally = tallies[op.outcome];
    const reason = fold(op.error ?? '(no reason given)');
    if (tally.has(reason) || tally.size < MAX_DISTINCT) tally.set(reason, (tally.get(reason) ?? 0) + 1);
    else tally.set('(other reasons)', (tally.get('(other reasons)') ?? 0) + 1);
  }
  return { fail: top(tallies.fail), info: top(tallies.info) };
}

/** The cause alone (the stderr lines after it differ op by op), numbers folded. */
function fold(reason: string): string {
  return reason
    .split(LAST_LINES)[0]!
    .replace(/\b\d{4,}\b/g, 'N')
    .slice(0, 200);
}

function top(tally: Map<string, number>): ReasonCount[] {
  return [...tally]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, MAX_REASONS);
}

/** "302 ref lock, 18 index.lock" */
export function describeReasons(list: readonly ReasonCount[], max = 3): string {
  const shown = list.slice(0, max).map((r) => `${r.count} ${r.reason}`);
  return list.length > max ? `${shown.join(', ')}, ...` : shown.join(', ');
}
