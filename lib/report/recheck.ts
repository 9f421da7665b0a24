// Re-run the checkers over a loaded run (like Jepsen's `analyze`): checkers can be fixed or improved
// and run again on old results. The checkers come from the scenario the plan names; when that can no
// longer be loaded, the built-in checkers named in the old summary.json run again, and the others keep
// the verdict the summary recorded (a model's or a user's checker needs the scenario), and the report says so.
import { join } from 'node:path';
import { allCheckers, getChecker } from '../checkers/index.js';
import { faultsFor } from '../faults/catalog.js';
import { runChecker, withBudgets, withHarnessHealth, withSyscalls } from '../checkers/run-checkers.js';
import { BUDGETS_CHECK, parseFigureBudgets } from '../checkers/budgets.js';
import { budgetsRecord, runBudgets, type BudgetsRecord, type RunBudgets } from '../run/run-budgets.js';
import { combineVerdicts } from '../run/exit-codes.js';
import { HarnessError } from '../run/errors.js';
import { execResultMapper } from '../results/map-results.js';
import { DEFAULT_BUDGETS, type Scenario } from '../scenario.js';
import { loadScenario } from '../scenarios/load.js';
import type { CheckInput, CheckResult, Checker, Plan, Verdict } from '../types.js';
import type { OpLog } from '../history/op-log.js';
import type { LoadedRun } from './load-run.js';

export type CheckersFrom = 'scenario' | 'summary.json' | 'built-in';

export interface Recheck {
  checks: CheckResult[];
  verdict: Verdict;
  checkersFrom: CheckersFrom;
  /** The scenario, when it could be loaded (its budgets and defaults are used elsewhere). */
  scenario: Scenario | null;
  state: unknown;
  /** The ops as the checkers read them: exec outputs mapped the target's way when the scenario loaded (as in the run). */
  ops: OpLog;
  notes: string[];
  /** The figure budgets the run was judged by again (null: none). */
  budgets: BudgetsRecord | null;
}

/** The scenario a run's plan names, or why it cannot be loaded now (its file gone, or failing to load). */
export interface RunScenario {
  scenario: Scenario | null;
  /** Why it could not be loaded; null when it was. */
  problem: string | null;
}

/** Pass `found` when the caller has loaded the scenario already (a scenario module is loaded once). */
export async function recheckRun(loaded: LoadedRun, found?: RunScenario): Promise<Recheck> {
  const notes: string[] = [];
  const { scenario, problem } = found ?? (await loadRunScenario(loaded.plan));
  if (problem) notes.push(problem);
  const state = loaded.state ?? (await stateFromWorkspace(loaded, scenario, notes));

  let checkers: Checker[];
  let checkersFrom: CheckersFrom;
  const missing: CheckResult[] = [];
  if (scenario) {
    checkers = scenario.checks;
    checkersFrom = 'scenario';
  } else if (loaded.summary) {
    checkers = [];
    checkersFrom = 'summary.json';
    for (const { name } of loaded.summary.checks) {
      // Judged again from the budgets summary.json recorded (below).
      if (name === BUDGETS_CHECK && loaded.summary.budgets) continue;
      const checker = builtIn(name);
      if (checker) checkers.push(checker);
      else missing.push(asRecorded(loaded.summary.checks.find((c) => c.name === name) as CheckResult));
    }
    notes.push(
      `checkers taken from the old summary.json by name (${checkers.map((c) => c.name).join(', ') || 'none'})`,
    );
  } else {
    checkers = [...allCheckers];
    checkersFrom = 'built-in';
    notes.push('no scenario and no summary.json: every built-in checker was run');
  }
  // Like a run: harness health is always checked, first; the budgets and the count gates, last. Count gates are
  // checked again from strace's tables in the run folder (a scenario that loads names them).
  const budgets = recheckBudgets(loaded, scenario, notes);
  checkers = withBudgets(withHarnessHealth(checkers), budgets);
  if (scenario) checkers = withSyscalls(checkers, scenario, loaded.runDir);
  if (loaded.summary?.syscalls?.skipped) notes.push(`syscall count gates skipped: ${loaded.summary.syscalls.skipped}`);

  const maxUnknownRatio = scenario?.budgets.maxUnknownRatio ?? DEFAULT_BUDGETS.maxUnknownRatio;
  if (!scenario) notes.push(`maxUnknownRatio is the default ${maxUnknownRatio} (the scenario's own budget is unknown)`);
  const faults = scenario ? faultsFor(scenario.target) : [];
  // Like the run (judge.ts): an exec op's recorded output becomes its value through the target's parse and reason.
  const ops = scenario ? loaded.ops.withResults(execResultMapper(scenario.target.exec?.results)) : loaded.ops;
  const input: CheckInput = {
    plan: loaded.plan,
    ops,
    state,
    health: loaded.health,
    counters: loaded.counters,
    maxUnknownRatio,
    service: loaded.service ?? null,
    faults,
    stopReason: loaded.summary?.stopReason ?? null,
  };
  const checks = [...checkers.map((checker) => runChecker(checker, input)), ...missing];
  return {
    checks,
    verdict: combineVerdicts(checks.map((c) => c.verdict)),
    checkersFrom,
    scenario,
    state,
    ops,
    notes,
    budgets: budgets && budgetsRecord(budgets),
  };
}

/**
 * The budgets a run is judged by again: the ones summary.json recorded (the scenario's and the config's as
 * they were, and the multiplier the run had), else the scenario's own (a run from before budgets were recorded).
 */
function recheckBudgets(loaded: LoadedRun, scenario: Scenario | null, notes: string[]): RunBudgets | null {
  const recorded = loaded.summary?.budgets;
  if (recorded) {
    try {
      return { ...recorded, parsed: parseFigureBudgets(recorded.limits) };
    } catch (error) {
      throw new HarnessError(`${loaded.runDir}/summary.json: its budgets do not parse: ${(error as Error).message}`);
    }
  }
  if (!scenario) return null;
  const budgets = runBudgets(scenario, {});
  if (budgets)
    notes.push(`budgets taken from the scenario (summary.json recorded none), multiplier ${budgets.multiplier}`);
  return budgets;
}

/** A scenario that no longer loads is not fatal here: the history and state are still worth checking. */
export async function loadRunScenario(plan: Plan): Promise<RunScenario> {
  try {
    const { scenario } = await loadScenario(plan.scenarioSource);
    return { scenario, problem: null };
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    // First line only: a module that fails to compile can bring a code frame along.
    return {
      scenario: null,
      problem: `scenario ${JSON.stringify(plan.scenarioSource)} could not be loaded (${error.message.split('\n')[0]})`,
    };
  }
}

/** A check that cannot run again without its scenario keeps what the run concluded, and says so. */
function asRecorded(check: CheckResult): CheckResult {
  return { ...check, details: `as recorded (not re-checked: it needs the scenario): ${check.details}` };
}

function builtIn(name: string): Checker | null {
  try {
    return getChecker(name);
  } catch (error) {
    // getChecker throws only for an unknown name; the caller reports it as a check it could not run.
    if (!(error as Error).message.startsWith('unknown checker')) throw error;
    return null;
  }
}

/** No state.json (a crash before the final read): ask the scenario's target to read the workspace now. */
async function stateFromWorkspace(loaded: LoadedRun, scenario: Scenario | null, notes: string[]): Promise<unknown> {
  if (!scenario)
    throw new HarnessError(
      `${loaded.runDir} has no state.json and its scenario could not be loaded to read the workspace, so nothing can be checked`,
    );
  const workspace = join(loaded.runDir, 'workspace');
  try {
    const state = await scenario.target.readState({
      workspace,
      runDir: loaded.runDir,
      seed: loaded.plan.seed,
      faults: loaded.plan.options.faults,
      params: loaded.plan.options.params ?? {},
    });
    notes.push('final state read from the workspace now (state.json was missing)');
    return state;
  } catch (error) {
    throw new HarnessError(
      `${loaded.runDir} has no state.json, and reading ${workspace} failed: ${(error as Error).message}`,
    );
  }
}
