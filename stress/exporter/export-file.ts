// The export: the daemon's whole state as one JSON file, `{"version":N,"count":N,"data":{"key":"value",...}}`,
// one record per line. Written to a temp file, fsynced, and renamed over the export, so a reader sees the
// old export or the new one, never half of one. With `perRecord` (the fsync-per-record fault) it fsyncs
// after every record it writes, as a naive log writer does: real fsyncs, which strace can count.
import { promises as fsp } from 'node:fs';

export interface ExportSnapshot {
  /** The version of the last mutation it holds. */
  version: number;
  entries: [string, string][];
}

export interface ExportedState {
  version: number;
  count: number;
  data: Record<string, string>;
}

export interface WriteCounts {
  fsyncs: number;
  records: number;
}

const isWindows = process.platform === 'win32';

/** Windows refuses for a moment to replace or open a file another process has open or is renaming. */
export function isTransientWindowsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return isWindows && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES');
}

/** `fn`, retried over about half a second while Windows says the file is busy. */
export async function retryTransient<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransientWindowsError(error) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** Math.min(attempt, 6)));
    }
  }
}

const recordLine = ([key, value]: [string, string], last: boolean): string =>
  `${JSON.stringify(key)}:${JSON.stringify(value)}${last ? '' : ','}\n`;

/** Write `snapshot` over `file` atomically; returns the fsyncs and records it wrote. */
export async function writeExport(file: string, snapshot: ExportSnapshot, perRecord: boolean): Promise<WriteCounts> {
  const tmp = `${file}.tmp-${process.pid}`;
  const head = `{"version":${snapshot.version},"count":${snapshot.entries.length},"data":{\n`;
  const tail = '}}\n';
  const n = snapshot.entries.length;
  let fsyncs = 0;
  const handle = await fsp.open(tmp, 'w');
  try {
    if (perRecord) {
      await handle.write(head);
      for (const [i, entry] of snapshot.entries.entries()) {
        await handle.write(recordLine(entry, i === n - 1));
        await handle.sync();
        fsyncs += 1;
      }
      await handle.write(tail);
    } else {
      await handle.write(head + snapshot.entries.map((e, i) => recordLine(e, i === n - 1)).join('') + tail);
    }
    await handle.sync();
    fsyncs += 1;
  } finally {
    await handle.close();
  }
  await retryTransient(() => fsp.rename(tmp, file));
  return { fsyncs, records: n };
}

/** The export's state; throws naming the file when it is missing or does not parse. */
export async function readExport(file: string): Promise<ExportedState> {
  const text = await retryTransient(() => fsp.readFile(file, 'utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the export ${file} does not parse (${(error as Error).message}): ${text.slice(0, 120)}`, {
      cause: error,
    });
  }
  const state = parsed as Partial<ExportedState> | null;
  if (
    typeof state !== 'object' ||
    state === null ||
    typeof state.version !== 'number' ||
    typeof state.data !== 'object' ||
    state.data === null
  )
    throw new Error(`the export ${file} is not {version, count, data}: ${text.slice(0, 120)}`);
  return { version: state.version, count: Object.keys(state.data).length, data: state.data };
}
