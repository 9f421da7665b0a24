// Shared by the end-to-end tests: run the real, compiled CLI (npm test builds first) and read its results.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';
import { afterAll } from 'vitest';
import type { Summary } from '../dist/lib/index.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'bin', 'stampede.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/**
 * `stampede ...args` as a real process, never through a shell; CI=true so progress is plain lines, and
 * whatever colour variables the test machine has are dropped, so output is plain text (a pipe's default).
 */
export function stampede(args: string[], options: Options = {}) {
  return execa(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    reject: false,
    shell: false,
    env: { CI: 'true', FORCE_COLOR: undefined, NO_COLOR: undefined },
    ...options,
  });
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `stampede-${label}-`));
}

/** A temp-dir maker whose folders are removed after the calling test file's tests (call it at the file's top level). */
export function scratchDirs(): (label: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (label) => {
    const dir = tempDir(label);
    dirs.push(dir);
    return dir;
  };
}

export function runDirs(results: string): string[] {
  return readdirSync(results)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => join(results, name));
}

export function onlyRunDir(results: string): string {
  const dirs = runDirs(results);
  if (dirs.length !== 1) throw new Error(`expected one run folder in ${results}, found ${dirs.length}`);
  return dirs[0] as string;
}

export function readSummary(runDir: string): Summary {
  return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** The pids the fixture counter service (and its grandchild) wrote into the run's workspace. */
export function servicePids(runDir: string): number[] {
  const dir = join(runDir, 'workspace', 'pids');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map(Number));
}

/** Waits (on the condition, bounded) until none of these processes exists; returns those still alive. */
export async function allGone(pids: number[], boundMs = 10_000): Promise<number[]> {
  const until = performance.now() + boundMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || performance.now() > until) return left;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
