// Running checkers: the run and `stampede report` both go through here, so they judge alike.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario.js';
import { syscallsChecker } from '../syscalls/checker.js';
import { parseGates } from '../syscalls/gates.js';
import type { CheckInput, CheckResult, Checker } from '../types.js';
import { harnessHealth } from './harness-health.js';
import { budgetsChecker, BUDGETS_CHECK, type FigureBudget } from './budgets.js';

/** The scenario's checkers, with harness-health first when the scenario did not list it (it always runs). */
export function withHarnessHealth(checkers: readonly Checker[]): Checker[] {
  return checkers.some((c) => c.name === harnessHealth.name) ? [...checkers] : [harnessHealth, ...checkers];
}

/**
 * The checkers with the budgets checker last, when the run has figure budgets to judge (not `checked: false`,
 * a gate's run): budget misses are judged after the invariants, and apart from them. A scenario that lists a checker named `budgets` of its own keeps it.
 */
export function withBudgets(
  checkers: readonly Checker[],
  budgets: { parsed: readonly FigureBudget[]; multiplier: number; checked?: false } | null,
): Checker[] {
  if (
    !budgets ||
    budgets.checked === false ||
    budgets.parsed.length === 0 ||
    checkers.some((c) => c.name === BUDGETS_CHECK)
  )
    return [...checkers];
  return [...checkers, budgetsChecker(budgets.parsed, budgets.multiplier)];
}

/**
 * With the `syscalls` check last when the scenario declares count gates and strace counted this run (its
 * tables are in the run folder's syscalls/; a run whose gates were skipped has none, and says so in a note).
 */
export function withSyscalls(checkers: readonly Checker[], scenario: Scenario, runDir: string): Checker[] {
  const dir = join(runDir, 'syscalls');
  if (!scenario.syscalls || !existsSync(dir)) return [...checkers];
  const shape = { dir, agentKind: scenario.agents.kind, hasService: Boolean(scenario.target.service) };
  return [...checkers, syscallsChecker(parseGates(scenario.syscalls), shape)];
}

/** A checker that throws is a harness bug: that checker's verdict is `unknown`, with the stack and seed, never hidden. */
export function runChecker(checker: Checker, input: CheckInput): CheckResult {
  try {
    return checker.check(input);
  } catch (error) {
    return {
      name: checker.name,
      verdict: 'unknown',
      details: `checker ${checker.name} threw on seed ${input.plan.seed}: ${(error as Error).stack ?? String(error)}`,
    };
  }
}
