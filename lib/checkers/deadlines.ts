// deadlines: nothing hangs. Every op completed, none ran past its deadline by more than the time it takes
// to kill a process tree, and every op the plan made hang ended `info` (outcome unknown), not ok or fail.
import type { CheckInput, CheckResult, Checker } from '../types.js';
import { listSome, opName, plural, result } from './items.js';

const NAME = 'deadlines';
/** Time allowed past the deadline for the kill to land and the completion to be recorded. */
export const KILL_GRACE_MS = 3000;

export const deadlines: Checker = {
  name: NAME,
  description: 'every op ends within its deadline, and planned hangs end as info',
  check(input: CheckInput): CheckResult {
    const limit = input.plan.options.timeoutMs + KILL_GRACE_MS;
    const hangs = new Set(input.plan.agents.flatMap((a) => a.ops.filter((op) => op.fault === 'hang').map((op) => `${a.id}:${op.seq}`)));
    const pending = input.ops.filter((op) => op.outcome === 'pending');
    const overran = input.ops.filter((op) => op.end !== null && op.end - op.start > limit);
    const hangsNotInfo = input.ops.filter((op) => hangs.has(`${op.agent}:${op.seq}`) && op.outcome !== 'info' && op.outcome !== 'pending');
    const hungInfo = input.ops.filter((op) => hangs.has(`${op.agent}:${op.seq}`) && op.outcome === 'info').length;
    const data = {
      pending: pending.map((op) => opName(op)),
      overran: overran.map((op) => opName(op)),
      hangsNotInfo: hangsNotInfo.map((op) => opName(op)),
      plannedHangs: hangs.size,
    };
    const problems: string[] = [];
    if (pending.length > 0) problems.push(`${plural(pending.length, 'op')} never completed: ${listSome(data.pending)}`);
    if (overran.length > 0) problems.push(`${plural(overran.length, 'op')} ran past ${limit} ms: ${listSome(data.overran)}`);
    if (hangsNotInfo.length > 0) problems.push(`${plural(hangsNotInfo.length, 'planned hang')} did not end as info: ${listSome(data.hangsNotInfo)}`);
    if (problems.length > 0) return result(NAME, 'fail', problems.join('; '), data);
    const hangWords = hangs.size > 0 ? `; ${hungInfo} of ${plural(hangs.size, 'planned hang')} cut off at the deadline as info` : '';
    return result(NAME, 'pass', `all ${plural(input.ops.length, 'op')} ended within ${limit} ms${hangWords}`, data);
  },
};
