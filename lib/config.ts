// stampede.config.ts: a project's own suite. Where its scenario files are (files, folders or globs), its
// kept-seeds file, where results go and which reports to write. The CLI reads it from the current folder
// (or `--config <file>`); without one, a bare `stampede run` in a user's project says what to do.
//   import { defineConfig } from 'stampede';
//   export default defineConfig({ scenarios: ['stress/*.ts'], seeds: 'stress/seeds.json' });
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { isFigureKey, parseFigureBudgets, parseMultiplier, type FigureBudgets } from './checkers/budgets.js';
import type { Reporter } from './report/write-reports.js';
import { PACKAGE_ROOT } from './run/code-version.js';
import { HarnessError } from './run/errors.js';
import { SCENARIO_EXTENSIONS, suiteNames } from './scenarios/load.js';
import { importUserModule } from './scenarios/user-module.js';

export interface StampedeConfig {
  /** Scenario files, folders (their .ts/.mts/.cts/.js/.mjs files) or globs, relative to the config file. */
  scenarios: string[];
  /** A kept-seeds file (JSON: [{scenario, seed, expect, note}]) run after the scenarios; relative to the config file. */
  seeds?: string;
  /** Parent folder of run folders (default `results`), relative to the config file. */
  results?: string;
  /** Reports to write by default: html, junit, markdown, json (default all). */
  reporters?: Reporter[];
  /** Figure budgets for every scenario of the suite (`{ 'all.p95': '< 500ms' }`); a scenario's own key wins. */
  budgets?: FigureBudgets;
  /** Latency budgets x this, throughput budgets / this, for a slower machine; STAMPEDE_BUDGET_MULTIPLIER wins. Default 1. */
  budgetMultiplier?: number;
}

/** Type a config (the file's default export), like vitest's defineConfig. */
export function defineConfig(config: StampedeConfig): StampedeConfig {
  return config;
}

export const CONFIG_FILES = [
  'stampede.config.ts',
  'stampede.config.mts',
  'stampede.config.cts',
  'stampede.config.js',
  'stampede.config.mjs',
] as const;

/** A config read from disk, its paths made absolute. */
export interface LoadedConfig {
  file: string;
  scenarios: string[];
  seeds: string | null;
  results: string | null;
  reporters: Reporter[] | null;
  /** Figure budgets for every scenario, checked; empty when the config has none. */
  budgets: Record<string, string>;
  budgetMultiplier: number | null;
}

/** The config named by `--config`, or the one in `cwd`; null when there is none. */
export async function loadConfig(given: string | undefined, cwd = process.cwd()): Promise<LoadedConfig | null> {
  const file = given
    ? resolve(cwd, given)
    : CONFIG_FILES.map((name) => join(cwd, name)).find((path) => existsSync(path));
  if (!file) return null;
  if (!existsSync(file)) throw new HarnessError(`--config ${given}: ${file} does not exist`);
  const module = await importUserModule(file, 'config file');
  return checkConfig(module.default, file);
}

function checkConfig(value: unknown, file: string): LoadedConfig {
  const bad = (what: string): never => {
    throw new HarnessError(
      `config file ${file}: ${what} (export default defineConfig({ scenarios: ['stress/*.ts'] }))`,
    );
  };
  if (!value || typeof value !== 'object') return bad('its default export must be defineConfig({...})');
  const c = value as Partial<StampedeConfig>;
  if (!Array.isArray(c.scenarios) || c.scenarios.length === 0 || c.scenarios.some((s) => typeof s !== 'string'))
    bad('scenarios must list files, folders or globs');
  if (c.seeds !== undefined && typeof c.seeds !== 'string') bad('seeds must be a file path');
  if (c.results !== undefined && typeof c.results !== 'string') bad('results must be a folder path');
  if (c.reporters !== undefined && (!Array.isArray(c.reporters) || c.reporters.some((r) => typeof r !== 'string')))
    bad('reporters must list report names');
  const budgets = checkBudgets(c.budgets, bad);
  let budgetMultiplier: number | null = null;
  if (c.budgetMultiplier !== undefined) {
    try {
      budgetMultiplier = parseMultiplier(c.budgetMultiplier, 'budgetMultiplier');
    } catch (error) {
      bad((error as Error).message);
    }
  }
  const dir = dirname(file);
  const at = (path: string): string => (isAbsolute(path) ? path : join(dir, path));
  return {
    file,
    scenarios: (c.scenarios as string[]).map(at),
    seeds: c.seeds ? at(c.seeds) : null,
    results: c.results ? at(c.results) : null,
    reporters: c.reporters ?? null,
    budgets,
    budgetMultiplier,
  };
}

/** A config's budgets: figure budgets only (deadlines belong to each scenario), each parsed strictly. */
function checkBudgets(value: unknown, bad: (what: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return bad("budgets must be an object of figure budgets such as { 'all.p95': '< 500ms' }");
  const budgets = value as Record<string, unknown>;
  for (const key of Object.keys(budgets))
    if (!isFigureKey(key))
      bad(
        `budgets[${JSON.stringify(key)}]: a config holds figure budgets only ('<op kind or all>.<figure>', figure: p50, p95, p99, max, opsPerSec, errorRatio); deadlines such as opTimeoutMs belong to each scenario`,
      );
  try {
    parseFigureBudgets(budgets);
  } catch (error) {
    bad((error as Error).message);
  }
  return budgets as Record<string, string>;
}

/** What a run takes from the config about budgets (nothing without a config). */
export function budgetsFromConfig(config: LoadedConfig | null): {
  defaultBudgets?: Record<string, string>;
  budgetMultiplier?: number;
} {
  return {
    ...(config && Object.keys(config.budgets).length > 0 ? { defaultBudgets: config.budgets } : {}),
    ...(config?.budgetMultiplier != null ? { budgetMultiplier: config.budgetMultiplier } : {}),
  };
}

/** A scenario file by its name: not a declaration file (.d.ts, .d.mts, .d.cts). */
function isScenarioFile(path: string): boolean {
  return SCENARIO_EXTENSIONS.includes(extname(path)) && !/\.d\.[cm]?ts$/.test(path);
}

/**
 * Scenario references as files: a folder is its scenario files (not recursive), a glob its matches, in
 * name order; anything else (a file, a suite name) is kept as it is. A folder or glob with no scenario
 * file is an error, never an empty suite that passes.
 */
/**
 * The scenarios a command runs: those named, else the config's, else (in stampede's own checkout only) its
 * self-test suite. `command` names the command in the error that asks for scenarios.
 */
export async function scenarioRefs(
  refs: readonly string[],
  config: LoadedConfig | null,
  command: string,
): Promise<string[]> {
  if (refs.length > 0) return expandScenarioRefs(refs);
  if (config) return expandScenarioRefs(config.scenarios);
  // The default suite is stampede's own self-test: in a user's project, a bare command naming nothing
  // would stress that instead of their program, and pass. Say what to do instead.
  if (resolve(process.cwd()) !== resolve(PACKAGE_ROOT))
    throw new HarnessError(
      `no scenario named and no stampede.config.ts here: give your scenario files or folders (\`stampede ${command} stress/\`), or list them in stampede.config.ts (\`export default defineConfig({ scenarios: ['stress/*.ts'] })\`); a bare \`${command}\` without a config runs stampede's own self-test suite, which only its own checkout does (name one of them to try it: ${suiteNames().join(', ')})`,
    );
  return suiteNames();
}

export async function expandScenarioRefs(refs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const ref of refs) {
    if (/[*?[\]{}]/.test(ref)) {
      const found = (await glob(ref.replaceAll('\\', '/'), { absolute: true, onlyFiles: true }))
        .filter(isScenarioFile)
        .sort();
      if (found.length === 0) throw new HarnessError(`no scenario file matches ${ref}`);
      out.push(...found);
    } else if (existsSync(ref) && statSync(ref).isDirectory()) {
      const found = (await glob('*', { cwd: ref, absolute: true, onlyFiles: true })).filter(isScenarioFile).sort();
      if (found.length === 0)
        throw new HarnessError(`folder ${resolve(ref)} holds no scenario file (${SCENARIO_EXTENSIONS.join(', ')})`);
      out.push(...found);
    } else out.push(ref);
  }
  return out;
}
