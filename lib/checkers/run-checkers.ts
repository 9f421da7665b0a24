// Running checkers: the run and `stampede report` both go through here, so they judge alike.
import type { CheckInput, CheckResult, Checker } from '../types.js';
import { harnessHealth } from './harness-health.js';

/** The scenario's checkers, with harness-health first when the scenario did not list it (it always runs). */
export function withHarnessHealth(checkers: readonly Checker[]): Checker[] {
  return checkers.some((c) => c.name === harnessHealth.name) ? [...checkers] : [harnessHealth, ...checkers];
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
