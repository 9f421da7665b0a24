// stampede.config.ts drives a user's own suite: its scenario files, folders or globs, its kept seeds, its
// results folder and reports. Run from a scratch project with the real CLI.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();
const API = pathToFileURL(join(ROOT, 'dist', 'lib', 'index.js')).href;
const SCENARIO = pathToFileURL(join(FIXTURES, 'broken-scenario.ts')).href;

/**
 * A project (an ES-module one unless told) with two scenario files under stress/, a kept seed, and
 * (unless told) a config listing them.
 */
function project(
  config: string | null,
  {
    kind = 'module',
    scenarios = ['first.ts', 'second.ts'],
  }: { kind?: 'module' | 'commonjs'; scenarios?: string[] } = {},
): string {
  const dir = scratch('config-project');
  writeFileSync(join(dir, 'package.json'), kind === 'module' ? '{ "type": "module" }\n' : '{}\n');
  mkdirSync(join(dir, 'stress'));
  for (const name of scenarios) writeFileSync(join(dir, 'stress', name), `export { default } from '${SCENARIO}';\n`);
  writeFileSync(join(dir, 'stress', 'notes.md'), 'not a scenario\n');
  writeFileSync(
    join(dir, 'seeds.json'),
    JSON.stringify([{ scenario: 'stress/first.ts', seed: 5, expect: 'pass', note: 'kept' }]),
  );
  if (config !== null)
    writeFileSync(
      join(dir, 'stampede.config.ts'),
      `import { defineConfig } from '${API}';\nexport default defineConfig(${config});\n`,
    );
  return dir;
}

describe('stampede.config.ts', () => {
  it("a bare `run` runs the config's scenarios and kept seeds, into its results folder", async () => {
    const dir = project("{ scenarios: ['stress/'], seeds: 'seeds.json', results: 'out', reporters: ['json'] }");
    const run = await stampede(['run', '--quiet'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^3 runs in [\d.]+ m?s: all as expected; exit 0$/);
    const folders = readdirSync(join(dir, 'out'));
    expect(folders).toHaveLength(3);
    // --reporter from the config: json only.
    expect(readdirSync(join(dir, 'out', folders[0] as string)).filter((f) => /\.(html|xml|md)$/.test(f))).toEqual([]);
  });

  it('in a CommonJS project too, with .ts, .mts and .cts scenario files', async () => {
    const dir = project("{ scenarios: ['stress/'], results: 'out' }", {
      kind: 'commonjs',
      scenarios: ['first.ts', 'second.mts', 'third.cts', 'types.d.cts'],
    });
    const run = await stampede(['run', '--quiet'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^3 runs in [\d.]+ m?s: all as expected; exit 0$/);
  });

  it('takes globs, and a folder named on the command line', async () => {
    const dir = project("{ scenarios: ['stress/s*.ts'] }");
    const byGlob = await stampede(['run', '--quiet', '--results', 'r1'], { cwd: dir });
    expect(byGlob.stdout).toMatch(/^1 run in/);
    const byFolder = await stampede(['run', 'stress', '--quiet', '--results', 'r2'], { cwd: dir });
    expect(byFolder.stdout).toMatch(/^2 runs in/);
  });

  it('is read from --config too, and a bad one is one line', async () => {
    const dir = project(null);
    writeFileSync(
      join(dir, 'other.config.ts'),
      `import { defineConfig } from '${API}';\nexport default defineConfig({ scenarios: ['stress/first.ts'] });\n`,
    );
    const run = await stampede(['run', '--config', 'other.config.ts', '--quiet'], { cwd: dir });
    expect(run.stdout).toMatch(/^1 run in/);
    writeFileSync(join(dir, 'bad.config.ts'), 'export default { scenarios: [] };\n');
    const bad = await stampede(['run', '--config', 'bad.config.ts'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^stampede: config file .*bad\.config\.ts: scenarios must list files, folders or globs/);
    const none = await stampede(['run', 'stress/nothing-*.ts'], { cwd: dir });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toBe('stampede: no scenario file matches stress/nothing-*.ts');
  });
});
