// A cross-platform inter-process lock: exclusive create of `<workspace>/lock` holding the
// owner's pid. No flock and nothing POSIX-only, so it behaves the same on Linux, macOS and
// Windows. A lock left by a dead process (crash, kill) is broken safely, under `lock.break`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleepSync } from './faults.js';

const DEFAULT_TIMEOUT_MS = 30_000;
/** An empty lock file means its owner died between create and write; give a live one time to write. */
const EMPTY_LOCK_STALE_MS = 2_000;
/** A `lock.break` file this old belongs to a breaker that died. */
const BREAK_STALE_MS = 5_000;
/** How often a waiter reads the lock's owner to see whether it died. */
const OWNER_CHECK_INTERVAL_MS = 50;
/** Retry backoff: random in [1, b] ms, b doubling from MIN to MAX while the lock stays busy. */
const MIN_BACKOFF_MS = 4;
const MAX_BACKOFF_MS = 16;

const isWindows = process.platform === 'win32';

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** Windows reports a file that is being deleted or scanned as EPERM/EBUSY/EACCES: a transient "busy". */
export function isTransientWindowsError(e: unknown): boolean {
  const code = errno(e);
  return isWindows && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES');
}

/** Debug trace on stderr (TRACKER_DEBUG=1); tests use it to see that a process is waiting for the lock. */
export function trace(message: string): void {
  if (process.env.TRACKER_DEBUG === '1') process.stderr.write(`tracker[${process.pid}]: ${message}\n`);
}

/** Remove a file; a file that is already gone is fine (another process removed it first). */
function unlinkIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw e;
  }
}

/** What the lock file says: its owner's pid (null: empty, the owner has not written it yet) and its age. */
interface Owner {
  pid: number | null;
  mtimeMs: number;
}

function readOwner(lockPath: string): Owner | null {
  let text: string;
  let mtimeMs: number;
  try {
    const fd = fs.openSync(lockPath, 'r');
    try {
      mtimeMs = fs.fstatSync(fd).mtimeMs;
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    // Gone (released meanwhile) or, on Windows, being deleted: nothing to judge this round.
    if (errno(e) === 'ENOENT' || isTransientWindowsError(e)) return null;
    throw e;
  }
  // Anything but a positive pid (pid 0 would name our process group) counts as "not written yet".
  const pid = Number(/^\s*(\d+)\s*$/.exec(text)?.[1] ?? 0);
  return { pid: pid > 0 ? pid : null, mtimeMs };
}

function isAlive(pid: number): boolean {
  // Our own pid in a lock we are trying to take: a previous process with our pid died holding it.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0 only checks existence; works on Windows too
    return true;
  } catch (e) {
    if (errno(e) === 'ESRCH') return false;
    if (errno(e) === 'EPERM') return true; // exists, belongs to someone else
    throw e;
  }
}

function isStale(owner: Owner): boolean {
  if (owner.pid === null) return Date.now() - owner.mtimeMs > EMPTY_LOCK_STALE_MS;
  return !isAlive(owner.pid);
}

/**
 * Break a stale lock without racing other breakers: hold `lock.break`, re-read the lock, and
 * unlink it only if it still names the same dead owner (a new owner may have taken it meanwhile).
 */
function breakStaleLock(lockPath: string, seen: Owner): boolean {
  const breakPath = `${lockPath}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breakPath, 'wx');
  } catch (e) {
    if (errno(e) === 'EEXIST' || isTransientWindowsError(e)) {
      // Another breaker is at work; if it died there, clear its break file for the next round.
      const stat = fs.statSync(breakPath, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > BREAK_STALE_MS) unlinkIfPresent(breakPath);
      return false;
    }
    throw e;
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    const now = readOwner(lockPath);
    if (now !== null && now.pid === seen.pid && isStale(now)) {
      trace(`breaking stale lock of ${now.pid === null ? 'an empty lock file' : `dead pid ${now.pid}`}`);
      unlinkIfPresent(lockPath);
      return true;
    }
    return false;
  } finally {
    unlinkIfPresent(breakPath);
  }
}

/** An op that failed for a reason the caller should see (exit 1 / a `fail` answer), with a hint. */
export class TrackerError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'TrackerError';
  }
}

export interface Lock {
  path: string;
  release(): void;
}

export function lockPath(workspace: string): string {
  return path.join(workspace, 'lock');
}

function lockTimeoutMs(): number {
  const raw = process.env.TRACKER_LOCK_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_TIMEOUT_MS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`TRACKER_LOCK_TIMEOUT_MS must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Take the workspace lock, waiting (synchronously) up to TRACKER_LOCK_TIMEOUT_MS (default 30 s). */
export function acquireLock(workspace: string): Lock {
  const file = lockPath(workspace);
  const timeoutMs = lockTimeoutMs();
  const deadline = Date.now() + timeoutMs;
  let reportedBusy = false;
  let nextOwnerCheck = 0;
  let backoffMs = MIN_BACKOFF_MS;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (e) {
      if (errno(e) !== 'EEXIST' && !isTransientWindowsError(e)) throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, String(process.pid));
      } finally {
        fs.closeSync(fd);
      }
      trace('lock taken');
      return { path: file, release: () => releaseLock(file) };
    }
    const now = Date.now();
    const timedOut = now >= deadline;
    // Reading the owner costs several syscalls; with dozens of waiters on a few cores, doing it on
    // every retry starves the holder. Check now and then (and before giving up) instead.
    if (now >= nextOwnerCheck || timedOut) {
      nextOwnerCheck = now + OWNER_CHECK_INTERVAL_MS;
      const owner = readOwner(file);
      if (!reportedBusy) {
        trace(`lock busy, held by ${owner?.pid ?? 'unknown'}`);
        reportedBusy = true;
      }
      // Retry at once after breaking a stale lock: it is probably free now.
      if (owner !== null && isStale(owner) && breakStaleLock(file, owner)) continue;
      if (timedOut) {
        const holder =
          owner === null
            ? 'an owner that just released it'
            : owner.pid === null
              ? 'a process that has not written its pid yet'
              : `pid ${owner.pid}`;
        throw new TrackerError(
          `lock timeout after ${timeoutMs} ms: ${file} is held by ${holder}`,
          'if that process is gone or stuck, remove the file',
        );
      }
    }
    // Short random backoff, so waiters do not move in lockstep; it grows while the lock stays
    // busy, so that many waiters do not poll the holder off the CPU.
    sleepSync(1 + Math.random() * (backoffMs - 1));
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
}

function releaseLock(file: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.unlinkSync(file);
      trace('lock released');
      return;
    } catch (e) {
      if (errno(e) === 'ENOENT')
        throw new Error(`lock ${file} vanished while held by pid ${process.pid} (someone broke a live lock)`, {
          cause: e,
        });
      if (!isTransientWindowsError(e) || attempt >= 10) throw e;
      sleepSync(2 ** Math.min(attempt, 5));
    }
  }
}
