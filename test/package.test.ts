// What `npm pack` ships (a LICENSE, source maps whose sources are in the package, the spawner's C source
// and never a binary built elsewhere), and the tarball installed into a fresh ES-module project: the
// helper compiled on install, a user's .ts scenario run from the CLI (its report.html with the page script
// bundled at build time), and without a C compiler the node spawner with a note saying why.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
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

const SCENARIO = `import { defineScenario, defineTarget, perAgent } from 'stampede';

const echo = defineTarget<{ f: 'echo'; value: { n: number } }, unknown>({
  name: 'echo',
  exec: { command: process.execPath, args: ['-e', 'console.log(process.argv[1])'], opArgv: (op) => [String(op.value.n)] },
  readState: () => ({}),
});

export default defineScenario({
  name: 'echo',
  description: 'a user scenario from the installed tarball',
  target: echo,
  agents: { count: 3, kind: 'exec' },
  workload: { opsPerAgent: 5, generate: ({ seq }) => ({ f: 'echo' as const, value: { n: seq } }) },
  checks: [perAgent],
});
`;

describe.skipIf(process.platform === 'win32')('the tarball, installed into a fresh project', () => {
  it('builds its helper on install and runs a user scenario; without a compiler it falls back, saying why', async () => {
    const project = scratch('consumer');
    // The dist npm test just built; --ignore-scripts so packing does not build again.
    await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', project, '--silent'], {
      cwd: ROOT,
      shell: false,
    });
    writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "type": "module" }\n');
    // The dependencies come from npm's cache, filled by the install of this checkout.
    const install = await execa(
      'npm',
      ['install', './stampede-0.1.0.tgz', '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: project, shell: false, reject: false },
    );
    expect(install.exitCode, install.stderr).toBe(0);
    const installed = join(project, 'node_modules', 'stampede');
    expect(existsSync(join(installed, 'dist', 'native', 'stampede-spawn'))).toBe(true);
    mkdirSync(join(project, 'stress'));
    writeFileSync(join(project, 'stress', 'echo.ts'), SCENARIO);
    const cli = join(installed, 'dist', 'bin', 'stampede.js');
    const run = await execa(process.execPath, [cli, 'run', 'stress/echo.ts', '--json'], {
      cwd: project,
      shell: false,
      reject: false,
      env: { CI: 'true' },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { runDir: string };
    expect(summary).toMatchObject({
      verdict: 'pass',
      spawner: 'native',
      replay: expect.stringContaining(' stress/echo.ts --seed '),
    });
    // report.html carries the page script bundled at build time (the tarball's dist/), as built.
    const page = readFileSync(join(summary.runDir, 'report.html'), 'utf8');
    const bundle = readFileSync(join(installed, 'dist', 'lib', 'report', 'client.bundle.js'), 'utf8');
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(page).toContain(`<script>${bundle}</script>`);

    // No C compiler on PATH (only node): the install script says so and builds nothing; runs use execa.
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
    const fallback = await execa(process.execPath, [cli, 'run', 'stress/echo.ts'], {
      cwd: project,
      shell: false,
      reject: false,
      env: { CI: 'true' },
    });
    expect(fallback.exitCode, fallback.stderr).toBe(0);
    expect(fallback.stdout).toMatch(
      /note: spawner: .*stampede-spawn was not built .*exec agents are started with execa/,
    );
  });
});
