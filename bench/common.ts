// What the bench's parts share: where things are, how a measuring child process is run, and the statistics.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The repository root (this file runs as dist/bench/common.js). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NOOP_AGENT = join(ROOT, 'bench', 'noop-session-agent.mjs');
export const SPAWN_LOOP_C = join(ROOT, 'bench', 'native', 'spawn-loop.c');
export const CASES = fileURLToPath(new URL('./cases/', import.meta.url));

/** Run `node dist/bench/cases/<script>.js <spec as JSON>` in a fresh process and parse the JSON line it prints last. */
export async function runCase<T>(script: string, spec: unknown, timeoutMs = 600_000): Promise<T> {
  return runJsonProgram<T>(process.execPath, [join(CASES, `${script}.js`), JSON.stringify(spec)], timeoutMs);
}

/** Run a program (argv array, no shell) that prints one JSON line last; anything else is a loud error. */
export async function runJsonProgram<T>(
  command: string,
  args: string[],
  timeoutMs = 600_000,
  env: Record<string, string> = {},
): Promise<T> {
  const child = await execa(command, args, {
    reject: false,
    shell: false,
    timeout: timeoutMs,
    env,
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const label = `${command} ${args.map((a) => (a.length > 120 ? `${a.slice(0, 120)}...` : a)).join(' ')}`;
  if (child.exitCode !== 0 || child.timedOut) {
    throw new Error(
      `bench case failed (${child.timedOut ? 'timed out' : `exit ${child.exitCode ?? child.signal}`}): ${label}\n${String(child.stderr).slice(-4000)}`,
    );
  }
  const lines = String(child.stdout).trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch (error) {
    throw new Error(`bench case printed no JSON result: ${label}\nstdout: ${String(child.stdout).slice(-2000)}`, {
      cause: error,
    });
  }
}

/** A program's absolute path from PATH, or null (no shell: PATH is searched here). */
export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function max(values: readonly number[]): number {
  if (values.length === 0) throw new Error('max of nothing');
  return Math.max(...values);
}

/** A number as a table shows it: 3 significant figures, no exponent. */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 3));
}

export function ratio(value: number | null | undefined, reference: number | null | undefined): number | null {
  if (value === null || value === undefined || reference === null || reference === undefined || reference === 0)
    return null;
  return value / reference;
}

/** `1.23x`, or n/a. */
export function fmtRatio(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${fmt(value)}x`;
}

export const MB = 1024 * 1024;

/** Progress for the person running the bench, on stderr (stdout is the table). */
export function note(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
