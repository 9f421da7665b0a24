// Count gates as a scenario declares them: `syscalls: { fsync: '<= 2 per op', rename: '<= 10' }`. A key is a
// family (rename counts rename, renameat and renameat2, so one gate reads the same on x86-64 and arm64,
// where libc picks different calls) or one system call's name as strace knows it; a value is a comparison
// and a number, per op or over the whole run. Counts are machine-independent: no multiplier, no trimming.

/** How a figure is compared with its limit. */
export type Comparison = '<' | '<=' | '==' | '>=' | '>';

export interface SyscallGate {
  /** The scenario's key: a family or one system call. */
  kind: string;
  /** The system calls it counts: the family's members, or the key itself. */
  calls: readonly string[];
  comparison: Comparison;
  limit: number;
  /** `op`: calls per op; `run`: calls over the whole run. */
  per: 'op' | 'run';
  /** As the scenario wrote it, for the reports. */
  text: string;
}

/**
 * Keys that count a family of calls. The members an architecture lacks are simply absent from its counts
 * (strace is told they are optional), so a family never fails to trace; a single call's name must exist.
 */
export const SYSCALL_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  rename: ['rename', 'renameat', 'renameat2'],
  open: ['open', 'openat', 'openat2', 'creat'],
  write: ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2'],
  read: ['read', 'readv', 'pread64', 'preadv', 'preadv2'],
  unlink: ['unlink', 'unlinkat'],
};

const GATE = /^\s*(<=|<|==|>=|>)\s*(\d+(?:\.\d+)?)\s*(per op)?\s*$/;
const CALL_NAME = /^[a-z_][a-z0-9_]*$/;

/** The gates of a scenario's `syscalls` declaration; throws one message listing every malformed entry. */
export function parseGates(declared: Readonly<Record<string, unknown>>): SyscallGate[] {
  const gates: SyscallGate[] = [];
  const problems: string[] = [];
  for (const [kind, text] of Object.entries(declared)) {
    if (!CALL_NAME.test(kind)) {
      problems.push(`${JSON.stringify(kind)} is not a system call's name (lower case, like fsync or renameat)`);
      continue;
    }
    const match = typeof text === 'string' ? GATE.exec(text) : null;
    if (!match) {
      problems.push(
        `${kind}: ${JSON.stringify(text)} is not a count gate; write a comparison and a number, per op or over the run, like '<= 2 per op' or '< 50'`,
      );
      continue;
    }
    gates.push({
      kind,
      calls: SYSCALL_FAMILIES[kind] ?? [kind],
      comparison: match[1] as Comparison,
      limit: Number(match[2]),
      per: match[3] ? 'op' : 'run',
      text: (text as string).trim(),
    });
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return gates;
}

/** Whether a figure keeps to a gate. */
export function keeps(value: number, gate: Pick<SyscallGate, 'comparison' | 'limit'>): boolean {
  switch (gate.comparison) {
    case '<':
      return value < gate.limit;
    case '<=':
      return value <= gate.limit;
    case '==':
      return value === gate.limit;
    case '>=':
      return value >= gate.limit;
    case '>':
      return value > gate.limit;
  }
}

/**
 * The verdict on a figure that may be only a lower bound (some process's counts were lost: the true figure
 * is this or more). An upper limit it already breaks is broken; a lower limit it already reaches is reached;
 * anything else is unknown rather than guessed.
 */
export function judgeFigure(
  value: number,
  gate: Pick<SyscallGate, 'comparison' | 'limit'>,
  lowerBound: boolean,
): 'pass' | 'fail' | 'unknown' {
  const kept = keeps(value, gate);
  if (!lowerBound) return kept ? 'pass' : 'fail';
  if (gate.comparison === '>' || gate.comparison === '>=') return kept ? 'pass' : 'unknown';
  if (gate.comparison === '==') return value > gate.limit ? 'fail' : 'unknown';
  return kept ? 'unknown' : 'fail';
}
