// Can this machine count system calls? Count gates need strace, which is Linux's: where it is missing (macOS,
// Windows, a Linux without it, a container that forbids ptrace) the gates are skipped, and the run says so
// in one line (a note in every report, and `syscalls.skipped` in summary.json) and goes on: a gate that
// cannot be measured neither passes nor fails the run. STAMPEDE_SYSCALLS chooses otherwise:
//   off      skip the gates (no strace, no overhead), saying so the same way
//   require  a machine that cannot count is a harness error (exit 2): for a CI job whose point is the gate
// Before any agent starts, strace is tried once on a throwaway Node process with the run's own flags:
// that proves it may trace here, that its table reads, and that every call a gate names exists on this
// machine (a misspelt call is the scenario's error, not a skip).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import which from 'which';
import { SYSCALL_FAMILIES, type SyscallGate } from './gates.js';
import { parseTable } from './parse-table.js';
import { straceFlags, type Tracer } from './strace-argv.js';

/** What the probe found: strace and the flags this machine takes, or why the gates cannot be measured. */
export type Tracing = { state: 'on'; strace: string; flags: string[] } | { state: 'skipped'; reason: string };

/** The scenario is wrong (a call strace does not know): not a skip, whatever the machine. */
export class GateError extends Error {}

const PROBE_TIMEOUT_MS = 30_000;
const probes = new Map<string, Promise<Probe>>();

export async function locateTracing(
  gates: readonly SyscallGate[],
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<Tracing> {
  const knob = env.STAMPEDE_SYSCALLS ?? '';
  if (!['', 'auto', 'off', 'require'].includes(knob))
    throw new GateError(`STAMPEDE_SYSCALLS=${knob}: expected off, require or auto (the default)`);
  const skip = (reason: string, hint: string): Tracing => {
    if (knob === 'require')
      throw new GateError(
        `${reason}, and STAMPEDE_SYSCALLS=require makes that an error: ${hint}, or unset STAMPEDE_SYSCALLS`,
      );
    return { state: 'skipped', reason: `${reason}; ${hint} to enforce them` };
  };
  if (knob === 'off') return { state: 'skipped', reason: 'STAMPEDE_SYSCALLS=off' };
  if (platform !== 'linux')
    return skip(`system calls are counted with strace, which runs on Linux only (this is ${platform})`, 'run on Linux');
  const strace = which.sync('strace', { nothrow: true, path: env.PATH ?? '' });
  if (!strace) return skip('strace is not on PATH', 'install it (apt-get install strace)');
  // seccomp-bpf stops the traced program only at the calls counted (strace >= 5.3); an older strace goes without.
  // Asked once per process and set of calls (hunt, matrix and repeat run many runs of one scenario).
  const key = `${strace}\0${straceFlags(gates, true).join(' ')}`;
  let probing = probes.get(key);
  if (!probing) {
    probing = tryStrace(strace, straceFlags(gates, true)).then((probe) =>
      !probe.ok && /seccomp/i.test(probe.why) ? tryStrace(strace, straceFlags(gates, false)) : probe,
    );
    probes.set(key, probing);
  }
  const probe = await probing;
  if (probe.ok) return { state: 'on', strace, flags: probe.flags };
  const unknownCall = /invalid system call '([^']+)'/.exec(probe.why)?.[1];
  if (unknownCall)
    throw new GateError(
      `strace on this machine (${process.arch}) has no system call ${JSON.stringify(unknownCall)}: check its spelling, or name a family that covers the variants (${Object.keys(SYSCALL_FAMILIES).join(', ')})`,
    );
  return skip(`strace cannot trace here: ${probe.why}`, 'allow ptrace (a container needs CAP_SYS_PTRACE)');
}

type Probe = { ok: true; flags: string[] } | { ok: false; why: string };

async function tryStrace(strace: string, flags: string[]): Promise<Probe> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-strace-'));
  try {
    const table = join(dir, 'probe.txt');
    const result = await execa(strace, [...flags, '-o', table, '--', process.execPath, '-e', ''], {
      shell: false,
      reject: false,
      timeout: PROBE_TIMEOUT_MS,
      stdin: 'ignore',
    });
    const said = `${result.stderr}`.trim().split('\n')[0] ?? '';
    if (result.exitCode !== 0)
      return { ok: false, why: said || result.shortMessage || `${strace} exited with ${result.exitCode}` };
    if (!parseTable(readFileSync(table, 'utf8')))
      return { ok: false, why: `${strace} ran but wrote no summary table that could be read` };
    return { ok: true, flags };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run's count gates and how they are measured: `tracer` when strace counts, `skipped` (why) when not. */
export interface SyscallPlan {
  gates: SyscallGate[];
  tracer: Tracer | null;
  skipped: string | null;
}

/** The run's plan for its gates, once its folder exists: strace's tables go to `<runDir>/syscalls/`. */
export function syscallPlan(gates: SyscallGate[], tracing: Tracing, runDir: string): SyscallPlan {
  if (tracing.state === 'skipped') return { gates, tracer: null, skipped: tracing.reason };
  const dir = join(runDir, 'syscalls');
  mkdirSync(dir, { recursive: true });
  return { gates, tracer: { strace: tracing.strace, flags: tracing.flags, dir }, skipped: null };
}
