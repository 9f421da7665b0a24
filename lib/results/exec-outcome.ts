// What an exec op's exit means, decided in the worker thread as the process ends (so the live counters are
// true): the target's exit-code lists are plain data and cross into the thread. Turning the output into a
// value (`parse`) and a reason (`reason`) happens on the main thread (map-results.ts), because functions
// cannot cross into a worker thread; the raw output is recorded in the history for that, which also lets
// `stampede report` re-read an old run with a corrected parse.
import type { ExecOutput, Outcome } from '../types.js';

/** The exit-code lists of a target's ExecResults, as the worker gets them. */
export interface ExitCodes {
  ok: number[];
  fail: number[];
  /** null: the target declared none, so every other code is simply unknown. */
  info: number[] | null;
}

export const DEFAULT_EXIT_CODES: ExitCodes = { ok: [0], fail: [1], info: null };

/** ok, fail or info for a process that exited (deadline kills and lost processes are info before this). */
export function classifyExit(out: ExecOutput, codes: ExitCodes): { outcome: Outcome; error?: string } {
  const why = out.signal ? `killed by ${out.signal}` : `exited with code ${out.code}`;
  if (out.code === null) return { outcome: 'info', error: withLine(why, out.stderr) };
  if (codes.ok.includes(out.code)) return { outcome: 'ok' };
  if (codes.fail.includes(out.code)) return { outcome: 'fail', error: withLine(why, out.stderr) };
  const undeclared = codes.info !== null && !codes.info.includes(out.code) ? ' (an exit code the target does not declare)' : '';
  return { outcome: 'info', error: withLine(`${why}${undeclared}`, out.stderr) };
}

/** Separates an op error's cause from the stderr lines after it; reasons are counted by what comes before. */
export const LAST_LINES = '; last lines: ';
const MAX_TAIL_LINES = 3;
const MAX_ERROR_CHARS = 800;

/**
 * `exited with code 1: SyntaxError: Unexpected token; last lines: at x.js:3 | ...`: the cause first (what
 * the reasons are counted by), then the last few lines of stderr that are not the cause, bounded.
 */
function withLine(why: string, stderr: string): string {
  const lines = telling(stderr);
  const cause = pickCause(stderr, lines);
  const tail = lines.filter((l) => l !== cause).slice(-MAX_TAIL_LINES);
  const head = cause ? `${why}: ${cause}` : why;
  return tail.length > 0 ? `${head}${LAST_LINES}${tail.join(' | ')}`.slice(0, MAX_ERROR_CHARS) : head;
}

const TELLING = /error|fatal|cannot|can't|could not|unable|denied|refused|exists|lock|fail|invalid|not found|no such/i;
const NOISE = /^(at\s|node\.js v\d|\^+$|\s*$)/i;
/** The line a Node crash names its exception on: `SyntaxError: ...`, `Error [ERR_X]: ...`. */
const NODE_CRASH = /^Node\.js v\d/m;
const EXCEPTION = /^[\w$.]*(Error|Exception)\b[^:]*:\s/;

/**
 * The stderr line that says why: the first one that sounds like a cause, else the last line that is not
 * noise. A Node crash (it ends with `Node.js v20`) prints its file, the source line and a caret before
 * `SyntaxError: ...`; the source line may sound like a cause too (`throw new Error(...)`), so there the
 * exception's own line comes first.
 */
export function meaningfulLine(stderr: string): string {
  return pickCause(stderr, telling(stderr));
}

/** stderr's lines without blanks, stack frames, carets and Node's version footer. */
function telling(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trim().slice(0, 300))
    .filter((l) => l !== '' && !NOISE.test(l));
}

function pickCause(stderr: string, lines: readonly string[]): string {
  const exception = NODE_CRASH.test(stderr) ? lines.find((l) => EXCEPTION.test(l)) : undefined;
  return exception ?? lines.find((l) => TELLING.test(l)) ?? lines[lines.length - 1] ?? '';
}
