// Did one run of a matrix row catch its fault, with the right checker?
import type { MatrixRow, RunEvidence } from './define.js';

export interface Judgement {
  detected: boolean;
  /** Checkers that failed but were not expected to. */
  wrongCheckers: string[];
  why: string;
}

export function judge(row: MatrixRow, run: RunEvidence): Judgement {
  const failed = run.summary.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
  const allowed = new Set([...row.expected, ...row.alsoAllowed]);
  const wrongCheckers = failed.filter((name) => !allowed.has(name));
  const evidence = row.evidence?.(run) ?? null;
  if (row.expected.length === 0) {
    // The right answer is a pass (the fault is survived, not a bug), plus the row's evidence.
    const problems = [
      ...(run.summary.verdict === 'pass' ? [] : [`verdict ${run.summary.verdict}`]),
      ...(run.summary.harnessError ? [`harness error: ${run.summary.harnessError}`] : []),
      ...(evidence ? [evidence] : []),
    ];
    return { detected: problems.length === 0, wrongCheckers, why: problems.join('; ') || 'passed as it should' };
  }
  const caughtBy = failed.filter((name) => row.expected.includes(name));
  const problems = [
    ...(caughtBy.length === 0 ? [`none of ${row.expected.join(', ')} failed`] : []),
    ...(evidence ? [evidence] : []),
    ...(wrongCheckers.length > 0 ? [`wrong checker failed: ${wrongCheckers.join(', ')}`] : []),
  ];
  return {
    detected: problems.length === 0,
    wrongCheckers,
    why: problems.join('; ') || `caught by ${caughtBy.join(', ')}`,
  };
}
