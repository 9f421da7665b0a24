// Line-oriented files stay whole lines when a write fails. A write to a full disk can store part of what
// it was given; if the writer went on, the next line would be glued onto that half record and the file
// would no longer parse in the middle. So a failed write cuts the file back to the end of its last whole
// line, and the writer refuses every write after it.
import { fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { FsError, fsError } from '../run/fs-errors.js';

const NEWLINE = 0x0a;
const SCAN_BYTES = 64 * 1024;

/**
 * The error to raise for a write to `path` that failed, after cutting the file back from `writtenEnd`
 * (where what did get written ends) to `wholeEnd` (just after its last whole line). If even that fails,
 * the error says so: a reader drops a torn last line, so the file stays readable, but the user should know.
 */
export function cutBackAfter(error: unknown, fd: number, path: string, wholeEnd: number, writtenEnd: number): FsError {
  const failure = fsError(error, path);
  // Nothing torn to cut (and a device such as /dev/full cannot be truncated at all).
  if (writtenEnd <= wholeEnd) return failure;
  try {
    ftruncateSync(fd, wholeEnd);
  } catch (cutError) {
    const why = `${failure.message}; cutting it back to its last whole line failed too (${(cutError as Error).message}), so its last line may be torn`;
    return new FsError(why, path, failure.code, error);
  }
  return failure;
}

/** Offset just after the last newline in the file open at `fd` (readable), or 0 when it has none. */
export function wholeLinesEnd(fd: number): number {
  const size = fstatSync(fd).size;
  const buf = Buffer.allocUnsafe(Math.min(size, SCAN_BYTES));
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - buf.length);
    const n = readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(NEWLINE);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

/** Offset just after the last newline in `bytes`, written at file offset `at`; `fallback` when there is none. */
export function lineEndIn(bytes: Uint8Array, at: number, fallback: number): number {
  const nl = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).lastIndexOf(NEWLINE);
  return nl === -1 ? fallback : at + nl + 1;
}

/** openSync, its failure (no permission, a full disk, a folder in the way) as one line naming the file. */
export function openForWriting(path: string, flags: string): number {
  try {
    return openSync(path, flags);
  } catch (error) {
    throw fsError(error, path, 'open');
  }
}
