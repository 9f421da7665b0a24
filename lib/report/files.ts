// Report files are written to a temp name and renamed, so a reader (CI uploading artifacts, a
// browser reloading) never sees half a file.
import { renameSync, writeFileSync } from 'node:fs';

export function writeAtomic(path: string, text: string): string {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return path;
}
