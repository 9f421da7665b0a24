// All built-in checkers, by name, so scenarios and the CLI can refer to them as strings.
import type { Checker } from '../types.js';
import { batchAtomicity } from './batch-atomicity.js';
import { counters } from './counters.js';
import { deadlines } from './deadlines.js';
import { harnessHealth } from './harness-health.js';
import { itemsChecker } from './items-check.js';
import { perAgent } from './per-agent.js';
import { readsParse } from './reads-parse.js';
import { storeParses } from './store-parses.js';
import { uniqueIds } from './unique-ids.js';

export { batchAtomicity, counters, deadlines, harnessHealth, itemsChecker, perAgent, readsParse, storeParses, uniqueIds };

/** Every built-in checker, in the order reports list them. */
export const allCheckers: readonly Checker[] = [
  harnessHealth,
  storeParses,
  uniqueIds,
  itemsChecker,
  batchAtomicity,
  counters,
  perAgent,
  readsParse,
  deadlines,
];

export const checkersByName: ReadonlyMap<string, Checker> = new Map(allCheckers.map((c) => [c.name, c]));

/** Look a checker up by name; an unknown name is a usage error that lists the known ones. */
export function getChecker(name: string): Checker {
  const checker = checkersByName.get(name);
  if (!checker) throw new Error(`unknown checker '${name}'; known: ${[...checkersByName.keys()].join(', ')}`);
  return checker;
}
