// Which code a plan was made with: the package version and, when this is a git checkout, the commit.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Plan } from '../types.js';

/** The package root (the folder holding package.json), from this compiled module's location. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let cached: Plan['code'] | undefined;

/** The installed package's version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

export async function codeVersion(): Promise<Plan['code']> {
  if (cached) return cached;
  const git = await execa('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, reject: false, shell: false });
  // No git, or not a checkout (installed from npm): the version alone identifies the code.
  const commit = git.exitCode === 0 ? git.stdout.trim() : null;
  cached = { version: packageVersion(), commit };
  return cached;
}
