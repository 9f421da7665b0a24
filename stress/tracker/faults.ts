// Switchable faults of the reference tracker. Each one reproduces a bug class from the seeds
// (seed 002 above all), so the harness can prove that its checkers catch it.
// Only node:* builtins here: every CLI op is a fresh Node process and must start fast.

/** Every fault the tracker understands. */
export const TRACKER_FAULTS = [
  // Store faults: change how a mutation reads and writes the store.
  'no-lock', // read-modify-write with no lock: lost items, lost comment increments
  'tmp-collision', // temp name from the millisecond clock, and no lock (seed 002's CLI)
  'counter-race', // id counter read before the lock is taken: duplicate ids
  'torn-write', // issues.jsonl written in place in two chunks; ~1 in 3 writers die in between
  // Op faults: usually planned for one op.
  'crash-before-rename', // exit 71 after the temp file is fsynced: no rename, lock left behind
  'hang', // the op never finishes (before taking the lock, so it holds nothing)
  // Process faults: apply to the whole process.
  'flood', // 100 MB on stdout (exec only) and stderr before working
  'slow-start', // sleep TRACKER_SLOW_START_MS (default 3000) before ready / before the op
  'exit-early', // exit 3 before ready / before the op
] as const;

export type FaultName = (typeof TRACKER_FAULTS)[number];
export type FaultSet = ReadonlySet<FaultName>;

/** Faults that only make sense for a whole process (a session agent cannot take them per op). */
export const PROCESS_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>(['flood', 'slow-start', 'exit-early']);

export const NO_FAULTS: FaultSet = new Set<FaultName>();

/** Exit codes of the crash faults, so tests and people can tell them apart from op failures. */
export const EXIT_TORN_WRITE = 70;
export const EXIT_CRASH_BEFORE_RENAME = 71;
export const EXIT_EARLY = 3;

export function isFaultName(name: string): name is FaultName {
  return (TRACKER_FAULTS as readonly string[]).includes(name);
}

/** Parse a comma list (`"no-lock, flood"`); unknown names throw, naming `source`. */
export function parseFaults(list: string | undefined, source: string): Set<FaultName> {
  const faults = new Set<FaultName>();
  for (const raw of (list ?? '').split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!isFaultName(name)) {
      throw new Error(`unknown fault ${JSON.stringify(name)} in ${source} (known: ${TRACKER_FAULTS.join(', ')})`);
    }
    faults.add(name);
  }
  return faults;
}

/** Faults from STAMPEDE_FAULTS (whole process), plus STAMPEDE_OP_FAULT (exec agents: this one op). */
export function faultsFromEnv(env: NodeJS.ProcessEnv, includeOpFault: boolean): Set<FaultName> {
  const faults = parseFaults(env.STAMPEDE_FAULTS, 'STAMPEDE_FAULTS');
  if (includeOpFault) for (const f of parseFaults(env.STAMPEDE_OP_FAULT, 'STAMPEDE_OP_FAULT')) faults.add(f);
  return faults;
}

function envMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Block this thread for `ms` without burning CPU (the lock and the store are synchronous). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms); // nobody ever notifies the cell: this always times out
}

/** Write `bytes` to a stream in 64 KiB chunks, waiting for 'drain' whenever the pipe is full. */
async function floodStream(stream: NodeJS.WriteStream, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  chunk[chunk.length - 1] = 0x0a; // newline-terminated chunks, so line-based readers see lines
  let left = bytes;
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!stream.write(piece)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}

/**
 * Apply the process faults: exit-early, then slow-start, then flood. A session agent floods
 * stderr only, since its stdout is the protocol. Runs before `ready` (session) or the op (exec).
 */
export async function applyProcessFaults(
  faults: FaultSet,
  kind: 'exec' | 'session',
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (faults.has('exit-early')) process.exit(EXIT_EARLY);
  if (faults.has('slow-start')) {
    const ms = envMs(env, 'TRACKER_SLOW_START_MS', 3000);
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
  if (faults.has('flood')) {
    const bytes = envMs(env, 'TRACKER_FLOOD_BYTES', 100 * 1024 * 1024);
    // Both pipes at once: a harness that drains only one of them deadlocks, as in seed 002.
    await Promise.all([
      kind === 'exec' ? floodStream(process.stdout, bytes) : undefined,
      floodStream(process.stderr, bytes),
    ]);
  }
}

/** The `hang` fault: a promise that never settles, with a timer so the process stays alive. */
export function hangForever(): Promise<never> {
  setInterval(() => {}, 1e9);
  return new Promise<never>(() => {});
}
