// One run of one scenario with one seed, as the data flows: prepare (options, folder, setup, plan) ->
// execute (service, pool, nemeses, final state) -> judge (history, checkers, summary.json). It returns what
// it found; which reports to write is the caller's choice (lib/report/report-run.ts).
import { executeRun } from './execute.js';
import { judgeRun } from './judge.js';
import { prepareRun } from './prepare.js';
import type { RunRequest, RunResult } from './request.js';

export type { RunRequest, RunResult } from './request.js';
export { planRun, resolveOptions } from './prepare.js';

export async function run(req: RunRequest): Promise<RunResult> {
  const prepared = await prepareRun(req);
  const executed = await executeRun(prepared, {
    ...(req.progress ? { progress: req.progress } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  });
  return judgeRun(prepared, executed, req);
}
