// Which figure budgets a run is judged by: the scenario's own over the config's, with the multiplier
// (STAMPEDE_BUDGET_MULTIPLIER, else the config's, else 1). Settled before anything runs, so a bad budget or
// multiplier is one line (exit 2), never a finding after minutes of work. Recorded in summary.json, so
// `stampede report` judges an old run by the budgets it ran with.
import {
  mergeFigureBudgets,
  parseFigureBudgets,
  resolveMultiplier,
  type FigureBudget,
  type MultiplierSource,
} from '../checkers/budgets.js';
import { figureBudgetsOf, type Scenario } from '../scenario.js';
import { HarnessError } from './errors.js';

/** What summary.json records of a run's budgets (present when it had figure budgets and they were judged). */
export interface BudgetsRecord {
  /** Latency limits were x this, throughput limits / this. */
  multiplier: number;
  /** Where the multiplier came from: the STAMPEDE_BUDGET_MULTIPLIER environment variable, the config, or neither. */
  multiplierFrom: MultiplierSource;
  /** The figure budgets as written (the scenario's merged over the config's), before the multiplier. */
  limits: Record<string, string>;
  /** false: not judged in this run (`stampede gate` judges them over many runs); absent: judged by the budgets check. */
  checked?: false;
}

export interface RunBudgets extends BudgetsRecord {
  parsed: FigureBudget[];
}

/** The figure budgets that apply to `scenario` (the scenario's key wins over `defaults`), parsed. */
export function figureBudgetsFor(
  scenario: Pick<Scenario, 'name' | 'budgets'>,
  defaults: Readonly<Record<string, string>> = {},
): { limits: Record<string, string>; parsed: FigureBudget[] } {
  try {
    const limits = mergeFigureBudgets(figureBudgetsOf(scenario.budgets), defaults);
    return { limits, parsed: parseFigureBudgets(limits) };
  } catch (error) {
    // A scenario object made without defineScenario can reach here unchecked.
    throw new HarnessError(`scenario ${scenario.name}: ${(error as Error).message}`);
  }
}

/** A run's budgets, or null when it has no figure budget (the budgets checker does not run). */
export function runBudgets(
  scenario: Pick<Scenario, 'name' | 'budgets'>,
  given: { defaultBudgets?: Record<string, string>; budgetMultiplier?: number },
  env: NodeJS.ProcessEnv = process.env,
): RunBudgets | null {
  const { limits, parsed } = figureBudgetsFor(scenario, given.defaultBudgets);
  const multiplier = budgetMultiplier(given.budgetMultiplier, env);
  if (parsed.length === 0) return null;
  return { multiplier: multiplier.value, multiplierFrom: multiplier.from, limits, parsed };
}

/** The multiplier, a bad STAMPEDE_BUDGET_MULTIPLIER (or config value) a harness error (exit 2). */
export function budgetMultiplier(
  configured: number | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { value: number; from: MultiplierSource } {
  try {
    return resolveMultiplier(env, configured);
  } catch (error) {
    throw new HarnessError((error as Error).message);
  }
}

/** The record of a run's budgets, as summary.json keeps it. */
export function budgetsRecord(budgets: BudgetsRecord): BudgetsRecord {
  return {
    multiplier: budgets.multiplier,
    multiplierFrom: budgets.multiplierFrom,
    limits: { ...budgets.limits },
    ...(budgets.checked === false ? { checked: false as const } : {}),
  };
}
