// stress/seeds.json: seeds worth keeping. Each entry replays one plan; `npm run stress` runs them after the
// suite, so a bug once found stays a regression test. `expect: "fail"` entries keep a fault-injected seed
// that the checkers must go on catching (a regression test for the harness itself).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../run/errors.js';
import type { Expectation } from '../run/exit-codes.js';

export interface SeedEntry {
  scenario: string;
  seed: number;
  agents?: number;
  ops?: number;
  faults?: string[];
  /** What the run must conclude: `pass` (the bug stays fixed) or `fail` (the harness still catches it). */
  expect: Expectation;
  note: string;
}

export const SEEDS_FILE = fileURLToPath(new URL('../../../stress/seeds.json', import.meta.url));

export function readSeedsFile(path = SEEDS_FILE): SeedEntry[] {
  if (!existsSync(path)) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HarnessError(`${path} does not parse: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries))
    throw new HarnessError(`${path} must hold a JSON array of {scenario, seed, expect, note}`);
  return entries.map((entry: Partial<SeedEntry>, i) => {
    const where = `${path} entry ${i}`;
    if (typeof entry.scenario !== 'string') throw new HarnessError(`${where}: scenario must be a string`);
    if (!Number.isInteger(entry.seed) || (entry.seed as number) < 0)
      throw new HarnessError(`${where}: seed must be a non-negative integer`);
    if (entry.expect !== 'pass' && entry.expect !== 'fail')
      throw new HarnessError(`${where}: expect must be "pass" or "fail"`);
    if (typeof entry.note !== 'string' || entry.note === '')
      throw new HarnessError(`${where}: note must say why this seed is kept`);
    // Whether the scenario's target can carry these faults is checked when the run is prepared.
    if (entry.faults !== undefined && (!Array.isArray(entry.faults) || entry.faults.some((f) => typeof f !== 'string')))
      throw new HarnessError(`${where}: faults must be an array of names`);
    return entry as SeedEntry;
  });
}
