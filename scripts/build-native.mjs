#!/usr/bin/env zx
// Part of `npm run build`: compiles the exec agents' spawner (lib/agents/launch/stampede-spawn.c) into
// dist/native/ with the machine's C compiler. Never fails the build: where there is no compiler (or on
// Windows) it says so, and exec agents are started with execa instead (README, "Spawners").
import { $, fs, path, which } from 'zx';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const source = path.join(root, 'lib', 'agents', 'launch', 'stampede-spawn.c');
const binary = path.join(root, 'dist', 'native', 'stampede-spawn');

if (process.platform === 'win32') {
  console.log('native spawner: not built on Windows (exec agents use execa)');
  process.exit(0);
}
const compiler = (await which('cc', { nothrow: true })) ?? (await which('gcc', { nothrow: true })) ?? (await which('clang', { nothrow: true }));
if (!compiler) {
  console.warn('native spawner: no C compiler (cc, gcc or clang) on PATH, not built; exec agents will use execa (slower spawning, see README "Spawners")');
  process.exit(0);
}
const fresh = fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= fs.statSync(source).mtimeMs;
if (!fresh) {
  await fs.mkdirp(path.dirname(binary));
  const built = await $({ nothrow: true, quiet: true })`${compiler} -O2 -Wall -Wextra -o ${binary} ${source}`;
  if (built.exitCode !== 0) {
    console.warn(`native spawner: ${compiler} could not compile ${source}; exec agents will use execa:\n${built.stderr.trim()}`);
    fs.rmSync(binary, { force: true });
  }
}
