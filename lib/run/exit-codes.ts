// Exit codes, as documented in the README.
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

export function exitCodeFor(verdict: Verdict, harnessError: string | null): ExitCode {
  if (harnessError) return EXIT.harness;
  return EXIT[verdict];
}

/** Of several runs' exit codes, the one that matters most: harness error, then fail, then unknown. */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  for (const code of [EXIT.harness, EXIT.fail, EXIT.unknown] as const) if (codes.includes(code)) return code;
  return EXIT.pass;
}
