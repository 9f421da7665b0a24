#!/usr/bin/env node
// Compiles the exec agents' spawner (lib/agents/launch/stampede-spawn.c) into dist/native/ with the
// machine's C compiler: part of `npm run build`, and the package's `postinstall`, so an install from the
// registry builds it for the machine it lands on (the tarball ships the C source, never a binary built
// elsewhere). Plain Node, no dev dependency. Never fails the install: where there is no compiler (or on
// Windows) it says so, and exec agents are started with execa instead (`--spawner auto` also checks that
// the helper runs before using it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'lib', 'agents', 'launch', 'stampede-spawn.c');
const binary = join(root, 'dist', 'native', 'stampede-spawn');

/** The first of these compilers that answers `--version`. */
function findCompiler() {
  for (const name of ['cc', 'gcc', 'clang']) {
    const probe = spawnSync(name, ['--version'], { stdio: 'ignore', shell: false });
    if (!probe.error && probe.status === 0) return name;
  }
  return null;
}

function main() {
  if (process.platform === 'win32') return console.log('native spawner: not built on Windows (exec agents use execa)');
  if (!existsSync(source))
    return console.warn(`native spawner: ${source} is missing, not built; exec agents will use execa`);
  const compiler = findCompiler();
  if (!compiler)
    return console.warn(
      'native spawner: no C compiler (cc, gcc or clang) on PATH, not built; exec agents will use execa (slower spawning, see docs/scenarios.md "Agents")',
    );
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return;
  mkdirSync(dirname(binary), { recursive: true });
  const built = spawnSync(compiler, ['-O2', '-Wall', '-Wextra', '-o', binary, source], {
    encoding: 'utf8',
    shell: false,
  });
  if (built.error || built.status !== 0) {
    console.warn(
      `native spawner: ${compiler} could not compile ${source}; exec agents will use execa:\n${(built.stderr || String(built.error)).trim()}`,
    );
    rmSync(binary, { force: true });
  }
}

main();
