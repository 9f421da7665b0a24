// stampede from a vitest test: `stressTest('the counter holds', scenario)` is one test that runs the
// scenario with a test timeout sized from its run deadline, writes the run's reports, and on anything but
// a pass fails with the summary table, the checks that did not pass, the results folder and the replay
// command, instead of a bare `expected 'fail' to be 'pass'`.
//   import { stress, stressTest } from 'stampede/vitest';
import { it } from 'vitest';
import { reportRun } from './report/report-run.js';
import { budgetMissWords } from './report/model.js';
import type { Reporter } from './report/write-reports.js';
import { EXIT } from './run/exit-codes.js';
import type { RunRequest, RunResult } from './run/request.js';
import { run } from './run/run.js';
import { DEFAULT_BUDGETS, type Scenario } from './scenario.js';
import { loadScenario } from './scenarios/load.js';

export interface StressOptions extends Omit<RunRequest, 'scenario' | 'scenarioSource' | 'invoker'> {
  /** Reports to write into the run folder besides summary.json (default all). */
  reporters?: Reporter[];
}

/** A run that did not conclude what it must: its message is what a person needs to look into it. */
export class StressFailure extends Error {
  override readonly name = 'StressFailure';
  constructor(
    readonly result: RunResult,
    table: string,
  ) {
    const s = result.summary;
    const checks = s.checks.filter((c) => c.verdict !== 'pass').map((c) => `  ${c.name} (${c.verdict}): ${c.details}`);
    super(
      [
        `${s.scenario} seed ${s.seed}: ${s.harnessError ? `harness error: ${s.harnessError}` : `${s.verdict}${budgetMissWords(s) ? ` (${budgetMissWords(s)})` : ''}`} (exit ${result.exitCode})`,
        ...checks,
        '',
        table,
        `results: ${result.runDir}`,
        `replay:  ${s.replay}`,
      ].join('\n'),
    );
  }
}

/** Run a scenario (or a scenario file) and write its reports; throws a StressFailure unless it concluded what it must. */
export async function stress(scenario: Scenario | string, options: StressOptions = {}): Promise<RunResult> {
  const { reporters, ...request } = options;
  const loaded = typeof scenario === 'string' ? await loadScenario(scenario) : { scenario, source: scenario.name };
  const result = await run({ ...request, scenario: loaded.scenario, scenarioSource: loaded.source, invoker: 'npx' });
  const written = await reportRun(result, reporters);
  if (result.exitCode !== EXIT.pass) throw new StressFailure(result, written.table);
  return result;
}

/** Time for setup, planning, a service to start and the reports, on top of the run deadline. */
const MARGIN_MS = 60_000;

/** One vitest test running `scenario`; its timeout is the run deadline plus a margin, so the run's own deadline ends it first. */
export function stressTest(name: string, scenario: Scenario | string, options: StressOptions = {}): void {
  const deadline =
    options.runTimeoutMs ??
    (typeof scenario === 'string' ? DEFAULT_BUDGETS.runTimeoutMs : scenario.budgets.runTimeoutMs);
  it(
    name,
    async () => {
      await stress(scenario, options);
    },
    deadline + MARGIN_MS,
  );
}
