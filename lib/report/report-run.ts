// The reports of one run, from what run() returned: the caller picks them (the CLI all by default, hunt
// and shrink summary.json only for the runs they throw away).
import type { RunResult } from '../run/request.js';
import {
  REPORTERS,
  writeReports,
  type Reporter,
  type WriteReportsOptions,
  type WrittenReports,
} from './write-reports.js';

export async function reportRun(
  result: Pick<RunResult, 'runDir' | 'plan' | 'ops' | 'summary' | 'notes'>,
  reporters: readonly Reporter[] = REPORTERS,
  options: WriteReportsOptions = {},
): Promise<WrittenReports> {
  return writeReports(
    result.runDir,
    { plan: result.plan, ops: result.ops, summary: result.summary, notes: result.notes },
    reporters,
    options,
  );
}
