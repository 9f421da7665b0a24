// per-agent: totals hide a lot ("800 of 1000 ok" passes even if one agent did all the work, or none of
// one agent's ops were recorded). Each agent is judged alone: it must have had at least one op succeed,
// and the live shared-memory counters (attempted, ok, fail, info) must agree with what the history
// recorded. It says nothing about the target's data: whether acknowledged work survived is the models' job.
import type { AgentCounters, CheckInput, CheckResult, Checker, Finding, Json } from '../types.js';
import { agentName, isUnknown, listSome, plural, result } from './words.js';

const NAME = 'per-agent';

interface Tally {
  attempted: number;
  ok: number;
  fail: number;
  info: number;
  pending: number;
}

const FIELDS = ['attempted', 'ok', 'fail', 'info'] as const;

export const perAgent: Checker = {
  name: NAME,
  readsState: false,
  description:
    "each agent had at least one op succeed, and its live counters agree with the history (not about the target's data)",
  check(input: CheckInput): CheckResult {
    const tallies = new Map<number, Tally>();
    const tallyOf = (agent: number): Tally => {
      let t = tallies.get(agent);
      if (!t) tallies.set(agent, (t = { attempted: 0, ok: 0, fail: 0, info: 0, pending: 0 }));
      return t;
    };
    let unknownOps = 0;
    for (const op of input.ops) {
      const t = tallyOf(op.agent);
      t.attempted++;
      if (op.outcome === 'pending') t.pending++;
      else t[op.outcome]++;
      if (isUnknown(op.outcome)) unknownOps++;
    }
    const countersByAgent = new Map<number, AgentCounters>(input.counters.map((c) => [c.agent, c]));
    const planned = new Map<number, number>(input.plan.agents.map((a) => [a.id, a.ops.length]));
    const agents = [...new Set([...planned.keys(), ...tallies.keys(), ...countersByAgent.keys()])].sort(
      (a, b) => a - b,
    );

    const problems: string[] = [];
    const failedAgents: number[] = [];
    const perAgentData: Json[] = [];
    const findings: Finding[] = [];
    for (const agent of agents) {
      const name = agentName(agent);
      const t = tallyOf(agent);
      const own: string[] = [];
      const plannedOps = planned.get(agent);
      if (plannedOps === undefined)
        own.push(`${name} is not in the plan but has ${plural(t.attempted, 'op')} in the history`);
      else if (plannedOps > 0 && t.attempted === 0)
        own.push(`${name} was planned ${plural(plannedOps, 'op')} but attempted none`);
      else if (t.attempted > 0 && t.ok === 0)
        own.push(
          `${name} attempted ${plural(t.attempted, 'op')}, 0 succeeded (${t.fail} failed, ${t.info + t.pending} unknown)`,
        );
      const counterProblem = compareCounters(name, t, countersByAgent.get(agent));
      if (counterProblem) own.push(counterProblem);
      if (own.length > 0) {
        failedAgents.push(agent);
        problems.push(...own);
        findings.push({ kind: 'agent', label: own.join('; '), agent });
      }
      perAgentData.push({ agent, planned: plannedOps ?? null, ...t });
    }

    const data = { failedAgents, agents: perAgentData };
    if (problems.length > 0) return result(NAME, 'fail', listSome(problems, 12, '; '), data, findings);
    return result(
      NAME,
      'pass',
      `${plural(agents.length, 'agent')}: each had at least one op succeed, and its live counters match its history (${plural(unknownOps, 'unknown op')}); whether acknowledged work survived is for the model checks`,
      data,
    );
  },
};

/** Counters are bumped live, history is written per event: both must tell the same story. */
function compareCounters(name: string, t: Tally, c: AgentCounters | undefined): string | null {
  if (!c) return t.attempted > 0 ? `${name} has no counters but ${plural(t.attempted, 'op')} in the history` : null;
  const diffs: string[] = [];
  for (const field of FIELDS) {
    if (field === 'info') {
      // An op left pending (history cut short) may have been counted as info by the live counters.
      if (c.info < t.info || c.info > t.info + t.pending)
        diffs.push(`info ${c.info} vs ${t.pending > 0 ? `${t.info}..${t.info + t.pending}` : t.info}`);
    } else if (c[field] !== t[field]) {
      diffs.push(`${field} ${c[field]} vs ${t[field]}`);
    }
  }
  return diffs.length === 0
    ? null
    : `${name} counters disagree with the history (counters vs history): ${diffs.join(', ')}`;
}
