// Find scenarios: by name in the default suite (stress/), or by path to a .ts, .mts, .cts, .js or .mjs file anywhere.
import { existsSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../run/errors.js';
import { defineScenario, type Scenario } from '../scenario.js';
import { importUserModule } from './user-module.js';

/** The compiled default suite: dist/stress/*.js. */
export const SUITE_DIR = fileURLToPath(new URL('../../stress/', import.meta.url));

export interface LoadedScenario {
  scenario: Scenario;
  /** What to put in a replay command: the suite name, or the absolute file path. */
  source: string;
}

export function suiteNames(): string[] {
  if (!existsSync(SUITE_DIR))
    throw new HarnessError(`the default suite is missing at ${SUITE_DIR} (run \`npm run build\`)`);
  return readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** What a scenario file may end in (a folder or glob in a config takes these too). */
export const SCENARIO_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs'];

function looksLikePath(ref: string): boolean {
  return /[\\/]/.test(ref) || SCENARIO_EXTENSIONS.includes(extname(ref));
}

export async function loadScenario(ref: string): Promise<LoadedScenario> {
  if (!looksLikePath(ref)) {
    const names = suiteNames();
    if (!names.includes(ref))
      throw new HarnessError(
        `unknown scenario ${JSON.stringify(ref)}; the default suite has: ${names.join(', ')} (or give a path to a .ts, .mts, .cts, .js or .mjs scenario file)`,
      );
    return { scenario: await importScenario(join(SUITE_DIR, `${ref}.js`)), source: ref };
  }
  const path = resolve(ref);
  if (!existsSync(path)) throw new HarnessError(`scenario file ${path} does not exist`);
  return { scenario: await importScenario(path), source: path };
}

async function importScenario(path: string): Promise<Scenario> {
  const module = await importUserModule(path, 'scenario file');
  const value = module.default;
  if (!value || typeof value !== 'object')
    throw new HarnessError(`scenario file ${path} must \`export default defineScenario({...})\``);
  try {
    // Re-checking is cheap and catches a plain object exported without defineScenario.
    return 'budgets' in value ? (value as Scenario) : defineScenario(value as Parameters<typeof defineScenario>[0]);
  } catch (error) {
    throw new HarnessError(`${path}: ${(error as Error).message}`);
  }
}
