// How a traced process is started: the target's own command, unchanged, behind
//   strace -f -c -qq [--seccomp-bpf] -e trace=execve,<calls> -o <run>/syscalls/<name>.txt -- command ...args
// an argv array like every other spawn (no shell). strace follows the children (-f), keeps one summary table
// for the whole tree (-c) and writes it to its own file when the traced program has exited, so nothing
// reaches the program's stdout or stderr; it exits as its program did (the same code, or the same signal),
// so an op's outcome reads the same. The table has no row for a call made zero times and is not written at
// all when strace itself is killed (a deadline, a nemesis): execve, made once by every traced program, is
// always traced too, so a table without it is a lost count, never a silent zero.
import { join } from 'node:path';
import type { SyscallGate } from './gates.js';

/** Always traced: every process that strace starts makes it once, so its row proves the table is whole. */
export const SENTINEL_CALL = 'execve';

/** Plain data, so it crosses into the worker threads: where strace is, its flags, and where tables go. */
export interface Tracer {
  /** strace's absolute path. */
  strace: string;
  /** Every flag but `-o`. */
  flags: string[];
  /** The run's syscalls folder. */
  dir: string;
}

/** strace's flags for these gates. `seccomp`: stop the tracee only at the traced calls (strace >= 5.3), much cheaper. */
export function straceFlags(gates: readonly SyscallGate[], seccomp: boolean): string[] {
  // A family's members are optional (`?name`): an architecture without `rename` (arm64) is not an error there.
  const required = new Set<string>([SENTINEL_CALL]);
  const optional = new Set<string>();
  for (const gate of gates) for (const call of gate.calls) (gate.calls.length > 1 ? optional : required).add(call);
  const calls = [...required, ...[...optional].filter((call) => !required.has(call)).map((call) => `?${call}`)];
  return ['-f', '-c', '-qq', ...(seccomp ? ['--seccomp-bpf'] : []), '-e', `trace=${calls.join(',')}`];
}

/** `command ...args` under strace, its table written to `<dir>/<name>.txt`. */
export function traced(
  tracer: Tracer,
  name: string,
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  return {
    command: tracer.strace,
    args: [...tracer.flags, '-o', join(tracer.dir, `${name}.txt`), '--', command, ...args],
  };
}

/** The table of one exec op's process. */
export const opTableName = (agent: number, seq: number): string => `a${agent}.op${seq}`;
/** The table of a session agent's process (`n`: 0 for the first, then one per restart). */
export const sessionTableName = (agent: number, n: number): string => `a${agent}.p${n}`;
/** The table of one life of the service (0, then one per restart). */
export const serviceTableName = (life: number): string => `service.${life}`;

/** Which process a table file belongs to, from its name; null for a file that is not a table. */
export type TableSource =
  | { source: 'op'; agent: number; seq: number }
  | { source: 'session'; agent: number; n: number }
  | { source: 'service'; life: number };

export function tableSource(fileName: string): TableSource | null {
  let m = /^a(\d+)\.op(\d+)\.txt$/.exec(fileName);
  if (m) return { source: 'op', agent: Number(m[1]), seq: Number(m[2]) };
  m = /^a(\d+)\.p(\d+)\.txt$/.exec(fileName);
  if (m) return { source: 'session', agent: Number(m[1]), n: Number(m[2]) };
  m = /^service\.(\d+)\.txt$/.exec(fileName);
  if (m) return { source: 'service', life: Number(m[1]) };
  return null;
}
