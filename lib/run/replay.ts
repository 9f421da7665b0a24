// The one command that replays a run's plan.
import { isAbsolute, relative } from 'node:path';
import type { Scenario } from '../scenario.js';
import type { Plan } from '../types.js';

/** What a replay command may leave out: the scenario's own defaults. */
export interface ReplayDefaults {
  agents: number;
  ops: number;
  timeoutMs: number;
  runTimeoutMs: number;
  params: Record<string, string>;
}

export function replayDefaults(scenario: Scenario): ReplayDefaults {
  return {
    agents: scenario.agents.count,
    ops: scenario.workload.opsPerAgent,
    timeoutMs: scenario.budgets.opTimeoutMs,
    runTimeoutMs: scenario.budgets.runTimeoutMs,
    params: scenario.params ?? {},
  };
}

/** How the harness CLI is invoked where this run happened. */
export type Invoker = 'npm-run-stress' | 'npx';

export function replayCommand(plan: Plan, defaults: ReplayDefaults, invoker: Invoker): string {
  const args = [quote(shownPath(plan.scenarioSource)), '--seed', String(plan.seed)];
  if (plan.options.agents !== defaults.agents) args.push('--agents', String(plan.options.agents));
  if (plan.options.ops !== defaults.ops) args.push('--ops', String(plan.options.ops));
  if (plan.options.timeoutMs !== defaults.timeoutMs) args.push('--timeout', String(plan.options.timeoutMs));
  // A deadline shapes how a run ends (it may stop it): a replay keeps it.
  if (plan.options.runTimeoutMs !== defaults.runTimeoutMs)
    args.push('--run-timeout', String(plan.options.runTimeoutMs));
  for (const fault of plan.options.faults) args.push('--fault', fault);
  for (const [key, value] of Object.entries(plan.options.params ?? {}))
    if (defaults.params[key] !== value) args.push('--param', quote(`${key}=${value}`));
  args.push('--threads', String(plan.options.threads));
  return invoker === 'npm-run-stress' ? `npm run stress -- ${args.join(' ')}` : `npx stampede run ${args.join(' ')}`;
}

/**
 * A scenario file under the current folder as a relative path (`stress/mine.ts`): what CI summaries show
 * then reads the same on every machine. plan.json keeps the absolute path, which is what repro loads.
 */
function shownPath(source: string, cwd = process.cwd()): string {
  if (!isAbsolute(source)) return source;
  const rel = relative(cwd, source);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : source;
}

/** Quote for a POSIX shell or PowerShell only when needed (scenario paths with spaces). */
function quote(text: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
