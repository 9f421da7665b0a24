// The folder results go under (`--results`), made up front: one that cannot be made (a file in the way,
// no permission, a read-only disk) is one line before any work starts or any progress is printed.
import { mkdirSync } from 'node:fs';
import { HarnessError } from './errors.js';

export function makeResultsFolder(path: string, given: string = path): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'it, or a folder above it, is a file' : message;
    throw new HarnessError(`cannot make a run folder in --results ${given}: ${why}; point --results at a folder you can write to`);
  }
}
