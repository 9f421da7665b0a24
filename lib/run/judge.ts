// Judging an executed run: the history parts merged, the ops read the target's way, every checker run
// over them and the final state, and the verdict, figures and failure reasons written to summary.json
// (with state.json, health.json and service.json beside it), before any report is built.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecker, withBudgets, withHarnessHealth, withSyscalls } from '../checkers/run-checkers.js';
import { faultsFor } from '../faults/catalog.js';
import { latencyReport } from '../history/latency.js';
import { mergeHistoryParts } from '../history/merge.js';
import { OpLog } from '../history/op-log.js';
import { execResultMapper } from '../results/map-results.js';
import type { CheckInput, CheckResult } from '../types.js';
import { combineVerdicts, exitCodeFor, judgedVerdict } from './exit-codes.js';
import type { ExecutedRun } from './execute.js';
import type { PreparedRun } from './prepare.js';
import { currentPlatform } from './environment.js';
import { wasInterrupted } from './interrupts.js';
import { outcomeReasons } from './reasons.js';
import { replayCommand, replayDefaults } from './replay.js';
import type { RunRequest, RunResult } from './request.js';
import { budgetsRecord } from './run-budgets.js';
import { runFigures, summarizeAgents, type Summary } from './summary.js';

export function judgeRun(prepared: PreparedRun, executed: ExecutedRun, req: RunRequest): RunResult {
  const { scenario, plan, runDir } = prepared;
  // The history stays on disk: checkers and reports stream it (OpLog), so memory does not grow with ops.
  const merged = mergeHistoryParts(runDir);
  const ops = OpLog.ofRun(runDir).withResults(execResultMapper(scenario.target.exec?.results));
  // No state.json when the state could not be read: the summary's harness error says why.
  if (executed.state.ok) writeJson(join(runDir, 'state.json'), executed.state.value);
  writeJson(join(runDir, 'health.json'), executed.health);
  if (executed.service) writeJson(join(runDir, 'service.json'), executed.service);

  const input: CheckInput = {
    plan,
    ops,
    state: executed.state.ok ? executed.state.value : undefined,
    health: executed.health,
    counters: executed.counters,
    maxUnknownRatio: scenario.budgets.maxUnknownRatio,
    service: executed.service,
    faults: faultsFor(scenario.target),
    stopReason: executed.stopReason,
  };
  const stateError = executed.state.ok ? null : executed.state.error;
  const checkers = withSyscalls(withBudgets(withHarnessHealth(scenario.checks), prepared.budgets), scenario, runDir);
  const checks: CheckResult[] = checkers.map((checker) =>
    stateError && checker.readsState !== false
      ? { name: checker.name, verdict: 'unknown', details: `not checked: ${stateError}` }
      : runChecker(checker, input),
  );

  // An agent that could not start or broke the session protocol: the harness could not carry out the plan,
  // which says nothing about the system under test.
  const startFailure = executed.health.find(
    (h) => h.exit === 'spawn-failed' || h.exit === 'early-exit' || h.exit === 'protocol-error',
  );
  const stopReason = executed.stopReason;
  const harnessError =
    (startFailure?.error && `agent a${startFailure.agent}: ${startFailure.error}`) ||
    executed.barrierError ||
    executed.threadError ||
    // With its service crashed, a target cannot be read: the crash (harness-health) is the finding, not a harness error.
    (executed.service?.exit === 'crashed' ? null : stateError) ||
    (wasInterrupted(stopReason) ? `${stopReason}: partial results written` : null) ||
    (merged.truncatedParts.length > 0
      ? `history parts with a torn last line: ${merged.truncatedParts.join(', ')}`
      : null);
  const verdict = combineVerdicts(checks.map((c) => c.verdict));
  const summary: Summary = {
    format: 1,
    scenario: plan.scenario,
    seed: plan.seed,
    verdict,
    expect: req.expect ?? 'pass',
    harnessError,
    stopReason,
    checks,
    agents: summarizeAgents(executed.health, executed.counters),
    totals: executed.totals,
    reasons: outcomeReasons(ops),
    latency: latencyRows(ops),
    ...runFigures(executed.health, executed.totals, executed.durationMs),
    ...(scenario.agents.kind === 'exec' ? { spawner: prepared.spawner } : {}),
    ...(prepared.budgets ? { budgets: budgetsRecord(prepared.budgets) } : {}),
    ...(executed.service
      ? {
          service: {
            exit: executed.service.exit,
            restarts: executed.service.restarts,
            pauses: executed.service.pauses,
            planned: executed.service.planned ?? 0,
            logFile: executed.service.logFile,
          },
        }
      : {}),
    ...(scenario.syscalls
      ? { syscalls: { gates: { ...scenario.syscalls }, skipped: prepared.syscalls?.skipped ?? null } }
      : {}),
    options: plan.options,
    code: plan.code,
    startedAt: prepared.startedAt.toISOString(),
    platform: currentPlatform(),
    runDir,
    replay: replayCommand(plan, replayDefaults(scenario), req.invoker ?? 'npx'),
  };
  // Written before any report, so the verdict is on disk even if building a report fails.
  writeJson(join(runDir, 'summary.json'), summary);
  const notes = [...prepared.notes, ...merged.truncatedParts.map((part) => `torn last line dropped in ${part}`)];
  return { summary, plan, ops, runDir, exitCode: exitCodeFor(judgedVerdict(verdict, req.expect), harnessError), notes };
}

/** Latency per op kind, and over all ops when there is more than one kind. */
function latencyRows(ops: OpLog): Summary['latency'] {
  const report = latencyReport(ops);
  return [...report.rows, ...(report.rows.length > 1 ? [report.all] : [])];
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value ?? null, null, 2)}\n`);
}
