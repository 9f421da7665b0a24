// A plan.json read back (report, repro, shrink) is checked for the fields every reader uses, so a file
// that is not a plan is one line naming it, never a TypeError deep in a reader.
import { HarnessError } from '../run/errors.js';
import type { Plan } from '../types.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function checkPlanShape(value: unknown, path: string): Plan {
  const ok =
    isObject(value) &&
    value.format === 1 &&
    typeof value.scenario === 'string' &&
    typeof value.scenarioSource === 'string' &&
    typeof value.seed === 'number' &&
    Array.isArray(value.agents) &&
    isObject(value.options) &&
    isObject(value.code);
  if (!ok)
    throw new HarnessError(
      `${path} is not a stampede plan (format 1, with scenario, scenarioSource, seed, options, code and agents)`,
    );
  return value as unknown as Plan;
}
