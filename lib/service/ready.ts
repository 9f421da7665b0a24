// Is the service ready? A TCP port or a unix socket that accepts, a line of its output that matches, or a
// probe command that exits 0: tried until it holds, the service exits, or the deadline passes.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { ServiceSpec } from '../scenario.js';

const RETRY_MS = 25;

export type ReadyCheck = ServiceSpec['ready'];

/** One attempt: true when ready now. A line check is answered by `sawLine` (the output watcher). */
async function readyNow(check: ReadyCheck, sawLine: () => boolean, deadlineMs: number): Promise<boolean> {
  if ('line' in check) return sawLine();
  if ('port' in check) return accepts({ host: check.host ?? '127.0.0.1', port: check.port }, deadlineMs);
  if ('socket' in check) return accepts({ path: check.socket }, deadlineMs);
  const probe = await execa(check.probe.command, check.probe.args ?? [], {
    reject: false,
    shell: false,
    timeout: Math.max(100, deadlineMs),
    stdin: 'ignore',
    windowsHide: true,
  });
  // A probe that cannot even be started (ENOENT, EACCES) will never say ready: say so now, not at the deadline.
  if (probe.exitCode === undefined && probe.code !== undefined && !probe.timedOut)
    throw new Error(`its readiness probe could not be started: ${probe.shortMessage}`);
  return probe.exitCode === 0;
}

/** One connection attempt, bounded: a host that drops SYNs would otherwise hold it past the deadline. */
function accepts(where: { host: string; port: number } | { path: string }, deadlineMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(where);
    socket.setTimeout(Math.max(50, Math.min(deadlineMs, 1000)), () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // Refused or reset: not listening yet. That is the answer, not an error to raise.
    socket.once('error', () => resolve(false));
  });
}

/** Waits until ready; rejects with why not (`stopped` says the service is gone, and how). */
export async function waitReady(
  check: ReadyCheck,
  opts: { timeoutMs: number; sawLine: () => boolean; stopped: () => string | null },
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const gone = opts.stopped();
    if (gone) throw new Error(gone);
    const left = opts.timeoutMs - (performance.now() - started);
    if (await readyNow(check, opts.sawLine, left)) return performance.now() - started;
    const after = opts.stopped();
    if (after) throw new Error(after);
    if (performance.now() - started > opts.timeoutMs)
      throw new Error(`not ready within ${opts.timeoutMs} ms (${describeCheck(check)})`);
    await sleep(RETRY_MS);
  }
}

export function describeCheck(check: ReadyCheck): string {
  if ('port' in check) return `waiting for ${check.host ?? '127.0.0.1'}:${check.port} to accept`;
  if ('line' in check) return `waiting for a line matching ${String(check.line)}`;
  if ('socket' in check) return `waiting for ${check.socket} to accept`;
  return `waiting for \`${[check.probe.command, ...(check.probe.args ?? [])].join(' ')}\` to exit 0`;
}
