// The main thread's half of exec results: an op's recorded output becomes its value (the target's `parse`,
// or stdout as JSON, else `{stdout}`) and a failed op's error becomes the target's `reason`. Applied as
// the history is read (Pairer), so checkers, reports and `stampede report` all see the same mapped ops.
import type { ExecResults } from '../scenario.js';
import type { ExecOutput, Json, OpRecord } from '../types.js';

/** Maps one completed op in place; returns it. */
export type ResultMapper = (op: OpRecord) => OpRecord;

export function execResultMapper(results: ExecResults | undefined): ResultMapper {
  return (op) => {
    const out = op.out;
    if (!out) return op;
    if (op.outcome === 'ok') {
      op.result = results?.parse ? parsed(results.parse, out, op) : defaultValue(out);
    } else if (results?.reason) {
      // Only a process that ended by itself has `out`: a deadline or a nemesis kill keeps the harness's words.
      const reason = results.reason(out);
      if (reason) op.error = reason;
    }
    return op;
  };
}

/** The default for every history read without a target (tests, a run whose scenario is gone). */
export const defaultResultMapper: ResultMapper = execResultMapper(undefined);

/** A parse that throws is the target's bug, not the system's: the value says so, and the checkers see it. */
function parsed(parse: (out: ExecOutput) => unknown, out: ExecOutput, op: OpRecord): Json {
  try {
    const value = parse(out);
    return value === undefined ? null : (value as Json);
  } catch (error) {
    return { parseError: `the target's parse threw on a${op.agent} seq ${op.seq}: ${(error as Error).message}`, stdout: out.stdout.slice(0, 4096) };
  }
}

/**
 * stdout as JSON when it is JSON (the usual `--json` contract), else as text. When a process wrote more
 * than was kept, its last line is tried as the result (a chatty tool still ends with its answer).
 */
export function defaultValue(out: ExecOutput): Json {
  if (!out.truncated) {
    const text = out.stdout.trim();
    return text === '' ? null : parseOrText(text);
  }
  const last = (out.lastLine ?? '').trim();
  const parsedLast = parseOrText(last);
  return typeof parsedLast === 'object' && parsedLast !== null && !('stdout' in parsedLast) ? parsedLast : { stdout: out.stdout.slice(0, 4096), truncated: true };
}

function parseOrText(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    if (error instanceof SyntaxError) return { stdout: text };
    throw error;
  }
}
