// The folder results go under (`--results`), made up front: one that cannot be made (a file in the way,
// no permission, a read-only disk) is one line before any work starts or any progress is printed.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { HarnessError } from './errors.js';

export function makeResultsFolder(path: string, given: string = path): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new HarnessError(
      `cannot make a run folder in --results ${given}: ${whyNot(path, error as NodeJS.ErrnoException)}; point --results at a folder you can write to`,
    );
  }
}

/**
 * Why a folder cannot be made there. A recursive mkdir says ENOENT for a read-only disk or a folder without
 * permission, which misleads: ask the nearest folder that exists instead.
 */
function whyNot(path: string, error: NodeJS.ErrnoException): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) return `${existing} is a file`;
  try {
    accessSync(existing, constants.W_OK);
  } catch (denied) {
    const { code } = denied as NodeJS.ErrnoException;
    return `${existing} cannot be written to (${code === 'EROFS' ? 'a read-only file system' : 'no permission'}, ${code})`;
  }
  return error.message;
}
