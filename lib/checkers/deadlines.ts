// deadlines: nothing hangs. Every op completed, none ran past its deadline by more than the time it takes
// to kill a process tree, and every op the plan gave a hanging fault (one the target declares `hangs`)
// ended `info` (outcome unknown), not ok or fail.
import type { CheckInput, CheckResult, Checker } from '../types.js';
import { listSome, opName, plural, result } from './words.js';

const NAME = 'deadlines';
/** Time allowed past the deadline for the kill to land and the completion to be recorded. */
export const KILL_GRACE_MS = 3000;

export const deadlines: Checker = {
  name: NAME,
  readsState: false,
  description: 'every op ends within its deadline, and planned hangs end as info',
  check(input: CheckInput): CheckResult {
    const limit = input.plan.options.timeoutMs + KILL_GRACE_MS;
    // One pass over the plan's ops (read from plan.json in a run), keeping the planned hangs.
    const hanging = new Set((input.faults ?? []).filter((f) => f.hangs).map((f) => f.name));
    const hangs = new Set<string>();
    if (hanging.size > 0)
      for (const agent of input.plan.agents)
        for (const op of agent.ops)
          if (op.fault !== undefined && hanging.has(op.fault)) hangs.add(`${agent.id}:${op.seq}`);
    // One pass over the ops; only the ones at fault are kept, by name.
    const data = {
      pending: [] as string[],
      overran: [] as string[],
      hangsNotInfo: [] as string[],
      plannedHangs: hangs.size,
    };
    let total = 0;
    let hungInfo = 0;
    for (const op of input.ops) {
      total++;
      if (op.outcome === 'pending') data.pending.push(opName(op));
      if (op.end !== null && op.end - op.start > limit) data.overran.push(opName(op));
      if (hangs.has(`${op.agent}:${op.seq}`)) {
        if (op.outcome === 'info') hungInfo++;
        else if (op.outcome !== 'pending') data.hangsNotInfo.push(opName(op));
      }
    }
    const { pending, overran, hangsNotInfo } = data;
    const problems: string[] = [];
    if (pending.length > 0) problems.push(`${plural(pending.length, 'op')} never completed: ${listSome(data.pending)}`);
    if (overran.length > 0)
      problems.push(`${plural(overran.length, 'op')} ran past ${limit} ms: ${listSome(data.overran)}`);
    if (hangsNotInfo.length > 0)
      problems.push(
        `${plural(hangsNotInfo.length, 'planned hang')} did not end as info: ${listSome(data.hangsNotInfo)}`,
      );
    if (problems.length > 0) return result(NAME, 'fail', problems.join('; '), data);
    const hangWords =
      hangs.size > 0 ? `; ${hungInfo} of ${plural(hangs.size, 'planned hang')} cut off at the deadline as info` : '';
    return result(NAME, 'pass', `all ${plural(total, 'op')} ended within ${limit} ms${hangWords}`, data);
  },
};
