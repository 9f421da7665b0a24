// Read back what a results folder ran, and say plainly when today's code differs from the code that planned it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serializePlan } from '../plan/plan.js';
import { checkPlanShape } from '../plan/plan-shape.js';
import { codeVersion } from '../run/code-version.js';
import { HarnessError } from '../run/errors.js';
import { planRun } from '../run/run.js';
import type { BudgetsRecord } from '../run/run-budgets.js';
import { loadScenario, type LoadedScenario } from '../scenarios/load.js';
import type { Plan } from '../types.js';

export interface RecordedRun {
  runDir: string;
  plan: Plan;
  loaded: LoadedScenario;
  /** Set when the plan cannot be trusted to mean the same thing with today's code. */
  codeWarning: string | null;
  /**
   * The figure budgets and multiplier the run was judged by (summary.json), as RunRequest fields, so a
   * replay judges the same budgets wherever it runs, config or not; empty when it had none.
   */
  budgets: { defaultBudgets?: Record<string, string>; budgetMultiplier?: number; checkBudgets?: false };
}

export async function readRecordedRun(dir: string): Promise<RecordedRun> {
  const runDir = resolve(dir);
  const planFile = join(runDir, 'plan.json');
  if (!existsSync(planFile)) throw new HarnessError(`${runDir} is not a run folder: it has no plan.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(planFile, 'utf8'));
  } catch (error) {
    throw new HarnessError(`${planFile} does not parse: ${(error as Error).message}`);
  }
  const plan = checkPlanShape(parsed, planFile);
  const loaded = await loadScenario(plan.scenarioSource);
  return { runDir, plan, loaded, codeWarning: await codeWarning(plan, loaded), budgets: recordedBudgets(runDir) };
}

/** The budgets summary.json recorded; none when it has none, or the run ended before writing it. */
function recordedBudgets(runDir: string): RecordedRun['budgets'] {
  const file = join(runDir, 'summary.json');
  if (!existsSync(file)) return {};
  let budgets: Partial<BudgetsRecord> | undefined;
  try {
    budgets = (JSON.parse(readFileSync(file, 'utf8')) as { budgets?: Partial<BudgetsRecord> }).budgets;
  } catch (error) {
    throw new HarnessError(
      `${file} does not parse: ${(error as Error).message} (its budgets are what a replay is judged by; remove the file to replay without them)`,
    );
  }
  if (!budgets?.limits || typeof budgets.limits !== 'object') return {};
  return {
    defaultBudgets: { ...budgets.limits },
    ...(typeof budgets.multiplier === 'number' && budgets.multiplierFrom !== 'default'
      ? { budgetMultiplier: budgets.multiplier }
      : {}),
    // A run of `stampede gate` was judged on its invariants alone (the gate judged the figures): so is its replay.
    ...(budgets.checked === false ? { checkBudgets: false as const } : {}),
  };
}

async function codeWarning(plan: Plan, loaded: LoadedScenario): Promise<string | null> {
  const now = await codeVersion();
  const notes: string[] = [];
  if (plan.code.commit && now.commit && plan.code.commit !== now.commit)
    notes.push(`it was planned at commit ${plan.code.commit.slice(0, 12)}, this is ${now.commit.slice(0, 12)}`);
  if (plan.code.version !== now.version)
    notes.push(`it was planned by stampede ${plan.code.version}, this is ${now.version}`);
  // The decisive test: does today's code make the same plan from the same seed and options?
  const again = await planRun({
    scenario: loaded.scenario,
    scenarioSource: plan.scenarioSource,
    seed: plan.seed,
    ...planOptions(plan),
    preloaded: plan.preloaded ?? [],
  });
  const same = serializePlan({ ...again, code: plan.code }) === serializePlan(plan);
  if (!same) notes.push("today's code makes a different plan from the same seed (the recorded plan is what will run)");
  return notes.length > 0 ? `this run folder comes from other code: ${notes.join('; ')}` : null;
}

/** The run options of a plan, as RunRequest fields. */
export function planOptions(plan: Plan) {
  const o = plan.options;
  return {
    agents: o.agents,
    ops: o.ops,
    timeoutMs: o.timeoutMs,
    runTimeoutMs: o.runTimeoutMs,
    faults: o.faults,
    threads: o.threads,
    ...(o.params ? { params: o.params } : {}),
  };
}
