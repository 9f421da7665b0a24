// The harness's own checkers: they read what every run has (history, health, counters, the plan), never
// the target's data, so they work for any target. What a target's data must satisfy is its model's job
// (lib/models: set, counter) or the scenario's own checkers.
import type { Checker } from '../types.js';
import { deadlines } from './deadlines.js';
import { harnessHealth } from './harness-health.js';
import { perAgent } from './per-agent.js';
import { storeParses } from './store-parses.js';

export { deadlines, harnessHealth, perAgent, storeParses };

/** Every built-in checker, in the order reports list them. */
export const allCheckers: readonly Checker[] = [harnessHealth, storeParses, perAgent, deadlines];

export const checkersByName: ReadonlyMap<string, Checker> = new Map(allCheckers.map((c) => [c.name, c]));

/** Look a checker up by name; an unknown name is a usage error that lists the known ones. */
export function getChecker(name: string): Checker {
  const checker = checkersByName.get(name);
  if (!checker) throw new Error(`unknown checker '${name}'; known: ${[...checkersByName.keys()].join(', ')}`);
  return checker;
}
