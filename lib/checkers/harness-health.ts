// harness-health: a stress test that quietly ran 5 of 10 agents proves little. Every planned agent
// must have spawned, reached the barrier and exited as expected; `killed` is expected only for an
// agent the plan scheduled a kill for (op deadlines kill one op's process, not the agent). A service
// must have stayed up: one that exited during the run without being asked to is named, with its exit
// and last lines (a planned restart is not a crash). A run its deadline or a signal cut short is
// `unknown`: what ran may be fine, but the plan was not carried out.
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../types.js';
import { wasInterrupted } from '../run/interrupts.js';
import { agentName, listSome, plural, result } from './words.js';

const NAME = 'harness-health';

export const harnessHealth: Checker = {
  name: NAME,
  readsState: false,
  description:
    'every agent spawned, reached the barrier and exited as expected (killed only when the plan scheduled it)',
  check(input: CheckInput): CheckResult {
    const scheduledKills = new Set(input.plan.kills.map((k) => k.agent));
    const planned = new Set(input.plan.agents.map((a) => a.id));
    const healthByAgent = new Map(input.health.map((h) => [h.agent, h]));
    const bad: Json[] = [];
    const words: string[] = [];
    const findings: Finding[] = [];
    const flag = (agent: number, problem: string, error?: string): void => {
      bad.push({ agent, problem, error: error ?? null });
      words.push(`${agentName(agent)} ${problem}${error ? ` (${error})` : ''}`);
      findings.push({ kind: 'agent', label: `${agentName(agent)} ${problem}`, agent });
    };
    const service = input.service;
    const serviceCrash = service && service.exit !== 'running' && service.exit !== 'stopped';
    // A run cut short by its deadline or a signal did nothing wrong; it just did not finish, so it cannot
    // pass (unknown, below). Any other early stop (the barrier, a worker's machinery) is a problem.
    const cutShort = input.stopReason === 'run deadline reached' || wasInterrupted(input.stopReason ?? null);
    if (input.stopReason && !cutShort && !(serviceCrash && input.stopReason === 'the service crashed')) {
      words.push(`the run was stopped early: ${input.stopReason}`);
      findings.push({ kind: 'stopped', label: `run stopped: ${input.stopReason}` });
    }
    if (service && serviceCrash) {
      const how =
        service.exitCode !== null
          ? `exit code ${service.exitCode}`
          : service.signal
            ? `signal ${service.signal}`
            : service.exit;
      const when = service.crashedAtMs !== null ? ` at +${Math.round(service.crashedAtMs)} ms` : '';
      const last =
        service.lastLines.length > 0 && !service.error?.includes('last lines')
          ? `; last lines: ${service.lastLines.slice(-3).join(' | ')}`
          : '';
      words.push(
        `service ${service.name} ${service.exit}${when} (${how})${service.error ? `: ${service.error}` : ''}${last}; its log: ${service.logFile}`,
      );
      findings.push({ kind: 'service', label: `service ${service.name} ${service.exit}${when} (${how})` });
    }

    for (const agent of [...planned].sort((a, b) => a - b)) {
      const h = healthByAgent.get(agent);
      if (!h) {
        flag(agent, 'has no health record');
        continue;
      }
      if (!h.spawned) flag(agent, 'never spawned', h.error);
      else if (!h.reachedBarrier) flag(agent, 'never reached the barrier', h.error);
      // Killed because the run was stopped: the stop is the one problem, said once below, not an agent's.
      else if (h.exit === 'killed' && !scheduledKills.has(agent) && !input.stopReason)
        flag(agent, 'was killed without a scheduled kill', h.error);
      else if (h.exit !== 'ok' && h.exit !== 'killed') flag(agent, `exited as '${h.exit}'`, h.error);
    }
    for (const h of input.health) {
      if (!planned.has(h.agent)) flag(h.agent, 'has a health record but is not in the plan', h.error);
    }

    const restarts = input.health.reduce((sum, h) => sum + h.restarts, 0);
    const data = {
      bad,
      restarts,
      service: service
        ? { exit: service.exit, exitCode: service.exitCode, restarts: service.restarts, pauses: service.pauses }
        : null,
    };
    if (words.length > 0)
      return result(NAME, 'fail', `${plural(words.length, 'problem')}: ${listSome(words, 10, '; ')}`, data, findings);
    if (cutShort)
      return result(NAME, 'unknown', unfinished(input), data, [
        { kind: 'stopped', label: `run stopped: ${input.stopReason}` },
      ]);
    return result(
      NAME,
      'pass',
      `${plural(planned.size, 'agent')} spawned, reached the barrier and exited as expected` +
        (restarts > 0 ? ` (${plural(restarts, 'agent restart')})` : '') +
        (service
          ? `; service ${service.name} up throughout${service.restarts > 0 ? ` (${plural(service.restarts, 'planned restart')})` : ''}`
          : ''),
      data,
    );
  },
};

/** What a run cut short did and what to do: `run deadline reached after 2000 ms with 312 of 800 ops attempted; ...`. */
function unfinished(input: CheckInput): string {
  const planned = input.plan.options.agents * input.plan.options.ops;
  const attempted = input.counters.reduce((sum, c) => sum + c.attempted, 0);
  const deadline = input.stopReason === 'run deadline reached';
  const what = `${input.stopReason}${deadline ? ` (${input.plan.options.runTimeoutMs} ms)` : ''} with ${attempted} of ${planned} ops attempted`;
  return `the plan was not finished: ${what}; every agent behaved until then${deadline ? '; raise --run-timeout or lower --ops to finish it' : ''}`;
}
