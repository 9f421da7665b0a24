// What `npm pack` ships (a LICENSE, source maps whose sources are in the package, the spawner's C source
// and never a binary built elsewhere), and the tarball installed into a fresh ES-module project and a
// fresh CommonJS one: the helper compiled on install, require('stampede') and require('stampede/vitest'),
// a user's .ts, .mts and .cts scenarios run from the CLI through the project's stampede.config.ts (a
// report.html with the page script bundled at build time) and from a vitest test, and without a C compiler
// the node spawner with a note saying why.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, scratchDirs, stampede } from './helpers.js';

const scratch = scratchDirs();

describe('the package', () => {
  it('ships a LICENSE and the sources its source maps point at', async () => {
    // --ignore-scripts: listing the files needs no build (npm test has built already).
    const pack = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, shell: false });
    const files = new Set(
      (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => normalize(f.path)),
    );
    expect(files.has('LICENSE')).toBe(true);
    expect(files.has(normalize('lib/agents/launch/stampede-spawn.c'))).toBe(true);
    expect([...files].filter((f) => f.startsWith(normalize('dist/native')))).toEqual([]);
    // report.html's script, bundled by the build: an install does not build it.
    expect(files.has(normalize('dist/lib/report/client.bundle.js'))).toBe(true);
    const maps = [...files].filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      expect(existsSync(join(ROOT, map)), map).toBe(true);
      const { sources } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const shipped = normalize(join(dirname(map), source));
        if (!files.has(shipped)) missing.push(`${map} -> ${shipped}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('says its version', async () => {
    const run = await stampede(['--version']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });
});

/** A user's scenario, as `name`, importing stampede by its package name; its agents run `echo` (cheap to start). */
const scenario = (name: string) => `import { defineScenario, defineTarget, perAgent } from 'stampede';

const echo = defineTarget<{ f: 'echo'; value: { n: number } }, unknown>({
  name: 'echo',
  exec: { command: 'echo', opArgv: (op) => [String(op.value.n)] },
  readState: () => ({}),
});

export default defineScenario({
  name: '${name}',
  description: 'a user scenario from the installed tarball',
  target: echo,
  agents: { count: 3, kind: 'exec' },
  workload: { opsPerAgent: 5, generate: ({ seq }) => ({ f: 'echo' as const, value: { n: seq } }) },
  checks: [perAgent],
});
`;

/** The project's files besides its package.json: three scenarios, its config, a vitest test and a CommonJS script. */
const FILES: Record<string, string> = {
  'stress/echo.ts': scenario('echo-ts'),
  'stress/echo.mts': scenario('echo-mts'),
  'stress/echo.cts': scenario('echo-cts'),
  'stampede.config.ts': `import { defineConfig } from 'stampede';\n\nexport default defineConfig({ scenarios: ['stress/'] });\n`,
  // By path stampede loads the file (through tsx, as the CLI does); imported, vitest has loaded it.
  'echo.test.ts': `import { stressTest } from 'stampede/vitest';
import echo from './stress/echo.mts';

stressTest('echo.ts, by path', 'stress/echo.ts', { reporters: ['json'] });
stressTest('echo.mts, imported', echo, { reporters: ['json'] });
`,
  'require.cjs': `const { defineScenario } = require('stampede');
const { stressTest } = require('stampede/vitest');
console.log(typeof defineScenario, typeof stressTest);
`,
};

const KINDS = ['module', 'commonjs'] as const;
type Kind = (typeof KINDS)[number];
const VITEST = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }
).version;

/** This environment without vitest's own variables (a vitest started inside a test would take them as its own), plain text. */
function userEnv(): Record<string, string | undefined> {
  const ours = /^(VITEST|NODE_ENV$|TEST$|FORCE_COLOR$)/;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ours.test(name)));
  return { ...env, CI: 'true', NO_COLOR: '1' };
}

/** A fresh project of that kind with the tarball and vitest installed and the FILES written. */
async function installInto(kind: Kind, tarball: string): Promise<string> {
  const project = scratch(`${kind}-consumer`);
  const pkg = { name: 'consumer', version: '1.0.0', private: true, ...(kind === 'module' ? { type: 'module' } : {}) };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(pkg)}\n`);
  // The dependencies come from npm's cache, filled by the install of this checkout (vitest at its version).
  const install = await execa(
    'npm',
    ['install', tarball, `vitest@${VITEST}`, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: project, shell: false, reject: false },
  );
  expect(install.exitCode, install.stderr).toBe(0);
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(project, name)), { recursive: true });
    writeFileSync(join(project, name), text);
  }
  return project;
}

describe.skipIf(process.platform === 'win32')('the tarball, installed into fresh projects', () => {
  const projects = {} as Record<Kind, string>;
  beforeAll(async () => {
    const packed = scratch('packed');
    // The dist npm test just built; --ignore-scripts so packing does not build again.
    const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packed], {
      cwd: ROOT,
      shell: false,
    });
    const tarball = join(packed, (JSON.parse(pack.stdout) as { filename: string }[])[0]?.filename ?? '');
    // One install per kind of project, shared by its cases; the two at once.
    await Promise.all(KINDS.map(async (kind) => (projects[kind] = await installInto(kind, tarball))));
  }, 600_000);

  describe.each(KINDS)('a %s project', (kind) => {
    it('builds the helper on install; require() loads stampede and stampede/vitest', async () => {
      const project = projects[kind];
      expect(existsSync(join(project, 'node_modules', 'stampede', 'dist', 'native', 'stampede-spawn'))).toBe(true);
      const required = await execa(process.execPath, ['require.cjs'], { cwd: project, shell: false, reject: false });
      expect(required.stdout, required.stderr).toBe('function function');
    });

    it('runs the .ts, .mts and .cts scenarios of its stampede.config.ts from the CLI', async () => {
      const run = await execa('npx', ['stampede', 'run', '--json'], {
        cwd: projects[kind],
        shell: false,
        reject: false,
        env: { CI: 'true' },
      });
      expect(run.exitCode, run.stderr).toBe(0);
      const summaries = run.stdout.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(summaries.map((s) => s.scenario).sort()).toEqual(['echo-cts', 'echo-mts', 'echo-ts']);
      for (const summary of summaries)
        expect(summary).toMatchObject({
          verdict: 'pass',
          spawner: 'native',
          replay: expect.stringMatching(/ \S*stress\/echo\.[cm]?ts --seed /),
        });
      // report.html carries the page script bundled at build time (the tarball's dist/), as built.
      const page = readFileSync(join(summaries[0]?.runDir as string, 'report.html'), 'utf8');
      const bundle = readFileSync(
        join(projects[kind], 'node_modules', 'stampede', 'dist', 'lib', 'report', 'client.bundle.js'),
        'utf8',
      );
      expect(bundle.length).toBeGreaterThan(10_000);
      expect(page).toContain(`<script>${bundle}</script>`);
    });

    it('runs a scenario from a vitest test, by path and imported', async () => {
      const test = await execa('npx', ['vitest', 'run'], {
        cwd: projects[kind],
        shell: false,
        reject: false,
        extendEnv: false,
        env: userEnv(),
      });
      expect(test.exitCode, `${test.stdout}\n${test.stderr}`).toBe(0);
      expect(test.stdout).toMatch(/Tests +2 passed \(2\)/);
    });
  });

  it('without a C compiler, says so on install and runs its exec agents with execa', async () => {
    const project = projects.module;
    const installed = join(project, 'node_modules', 'stampede');
    rmSync(join(installed, 'dist', 'native'), { recursive: true, force: true });
    const bare = scratch('path-without-cc');
    symlinkSync(process.execPath, join(bare, 'node'));
    const build = await execa(process.execPath, [join(installed, 'scripts', 'build-native.mjs')], {
      cwd: installed,
      shell: false,
      env: { PATH: bare },
    });
    expect(build.stderr).toMatch(/native spawner: no C compiler \(cc, gcc or clang\) on PATH, not built/);
    expect(existsSync(join(installed, 'dist', 'native', 'stampede-spawn'))).toBe(false);
    const fallback = await execa(
      process.execPath,
      [join(installed, 'dist', 'bin', 'stampede.js'), 'run', 'stress/echo.ts'],
      {
        cwd: project,
        shell: false,
        reject: false,
        env: { CI: 'true' },
      },
    );
    expect(fallback.exitCode, fallback.stderr).toBe(0);
    expect(fallback.stdout).toMatch(
      /note: spawner: .*stampede-spawn was not built .*exec agents are started with execa/,
    );
  });
});
