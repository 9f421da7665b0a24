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
  if ('port' in check) return accepts({ host: check.host ?? '127.0.0.1', port: check.port });
  if ('socket' in check) return accepts({ path: check.socket });
  const probe = await execa(check.probe.command, check.probe.args ?? [], { reject: false, shell: false, timeout: Math.max(100, deadlineMs), stdin: 'ignore', windowsHide: true });
  return probe.exitCode === 0;
}

function accepts(where: { host: string; port: number } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(where);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // Refused or reset: not listening yet. That is the answer, not an error to raise.
    socket.once('error', () => resolve(false));
  });
}

/** Waits until ready; rejects with why not (`stopped` says the service is gone, and how). */
export async function waitReady(check: ReadyCheck, opts: { timeoutMs: number; sawLine: () => boolean; stopped: () => string | null }): Promise<number> {
  const started = performance.now();
  for (;;) {
    const gone = opts.stopped();
    if (gone) throw new Error(gone);
    const left = opts.timeoutMs - (performance.now() - started);
    if (await readyNow(check, opts.sawLine, left)) return performance.now() - started;
    const after = opts.stopped();
    if (after) throw new Error(after);
    if (performance.now() - started > opts.timeoutMs) throw new Error(`not ready within ${opts.timeoutMs} ms (${describeCheck(check)})`);
    await sleep(RETRY_MS);
  }
}

export function describeCheck(check: ReadyCheck): string {
  if ('port' in check) return `waiting for ${check.host ?? '127.0.0.1'}:${check.port} to accept`;
  if ('line' in check) return `waiting for a line matching ${String(check.line)}`;
  if ('socket' in check) return `waiting for ${check.socket} to accept`;
  return `waiting for \`${[check.probe.command, ...(check.probe.args ?? [])].join(' ')}\` to exit 0`;
}
