// Exit codes, as documented in the README ("Exit codes").
import type { Verdict } from '../types.js';

export const EXIT = {
  /** Every check passed. */
  pass: 0,
  /** An invariant failed. */
  fail: 1,
  /** Usage or harness error (bad flag, unknown scenario, missing binary, an agent that could not start). */
  harness: 2,
  /** Too many indeterminate ops to decide. */
  unknown: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The run's verdict: any fail fails it; otherwise any unknown makes it unknown. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'pass';
}

/** What a run must conclude: `pass`, or `fail` for a seed kept in stress/seeds.json to prove the checkers still catch a bug. */
export type Expectation = 'pass' | 'fail';

/** The verdict measured against what the run must conclude: a kept `expect: fail` seed that fails is as expected (pass); one that passes let the bug slip by (fail). */
export function judgedVerdict(verdict: Verdict, expect: Expectation = 'pass'): Verdict {
  if (expect === 'pass' || verdict === 'unknown') return verdict;
  return verdict === 'fail' ? 'pass' : 'fail';
}

export function exitCodeFor(verdict: Verdict, harnessError: string | null): ExitCode {
  if (harnessError) return EXIT.harness;
  return EXIT[verdict];
}

/** Of several runs' exit codes, the one that matters most: harness error, then fail, then unknown. */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  for (const code of [EXIT.harness, EXIT.fail, EXIT.unknown] as const) if (codes.includes(code)) return code;
  return EXIT.pass;
}
