// Report files are written to a temp name and renamed, so a reader (CI uploading artifacts, a
// browser reloading) never sees half a file.
import { closeSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { BufferedWriter } from '../io/buffered-writer.js';
import { fsError } from '../run/fs-errors.js';

/** Write `text` to `path` through a temp file; a failure (a full disk) leaves no temp file and names the file. */
export function writeAtomic(path: string, text: string): string {
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, text);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw fsError(error, path);
  }
  renameSync(tmp, path);
  return path;
}

/** Where a report is written piece by piece. */
export interface Sink {
  write(text: string): void;
  /** Append a file's bytes as they are. */
  writeFile(path: string): void;
}

const COPY_BYTES = 64 * 1024;

/** A Sink into a file. */
class FileSink implements Sink {
  constructor(private readonly out: BufferedWriter) {}

  write(text: string): void {
    this.out.write(text);
  }

  writeFile(path: string): void {
    const from = openSync(path, 'r');
    try {
      const buf = Buffer.allocUnsafeSlow(COPY_BYTES);
      for (let n = readSync(from, buf); n > 0; n = readSync(from, buf)) this.out.writeBytes(buf.subarray(0, n));
    } finally {
      closeSync(from);
    }
  }
}

/** Write a file piece by piece through `fill`, atomically like writeAtomic; a throw leaves no temp file. */
export function writeAtomicStream(path: string, fill: (sink: Sink) => void): string {
  const tmp = `${path}.tmp`;
  const out = new BufferedWriter(tmp);
  try {
    fill(new FileSink(out));
    out.close();
  } catch (error) {
    out.discard();
    rmSync(tmp, { force: true });
    throw error;
  }
  renameSync(tmp, path);
  return path;
}
