// The session agent: one long-lived process speaking the JSON-lines protocol of DESIGN.md.
// stdout carries only protocol lines (`ready`, then one answer per op); logs go to stderr.
import * as readline from 'node:readline';
import type { Json } from '../../lib/types.js';
import { PROCESS_FAULTS, applyProcessFaults, faultsFromEnv, isFaultName, type FaultName } from './faults.js';
import { parseOp, runOp } from './ops.js';

interface OpLine {
  id: number;
  f: string;
  value: unknown;
  fault?: string;
}

/** The op line, or why it is malformed (a protocol error: the agent stops). */
function parseOpLine(line: string): OpLine | string {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return 'not a JSON object';
  const m = msg as Record<string, unknown>;
  if (m.type !== 'op') return `type must be "op", got ${JSON.stringify(m.type)}`;
  if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return 'id must be an integer';
  if (typeof m.f !== 'string') return 'f must be a string';
  if (m.fault !== undefined && typeof m.fault !== 'string') return 'fault must be a string';
  return { id: m.id, f: m.f, value: m.value, fault: m.fault as string | undefined };
}

/** The faults for one op: the process's, plus the op's own (which must be a per-op fault). */
function opFaults(processFaults: ReadonlySet<FaultName>, fault: string | undefined): ReadonlySet<FaultName> {
  if (fault === undefined) return processFaults;
  if (!isFaultName(fault)) throw new Error(`unknown fault ${JSON.stringify(fault)} on this op`);
  if (PROCESS_FAULTS.has(fault))
    throw new Error(`fault ${fault} applies to a whole process, not to one op (put it in STAMPEDE_FAULTS)`);
  return new Set([...processFaults, fault]);
}

function send(message: { [key: string]: Json }): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Run the session agent until stdin closes; returns the exit code. */
export async function runSession(workspaceOverride?: string): Promise<number> {
  const env = process.env;
  const name = `a${env.STAMPEDE_AGENT_ID ?? '?'}`;
  const log = (message: string): void => void process.stderr.write(`tracker session ${name}: ${message}\n`);
  const workspace = workspaceOverride ?? env.STAMPEDE_WORKSPACE;
  if (!workspace) {
    log('no workspace (set STAMPEDE_WORKSPACE or pass --workspace DIR)');
    return 2;
  }
  let faults: ReadonlySet<FaultName>;
  try {
    faults = faultsFromEnv(env, false);
  } catch (e) {
    log((e as Error).message);
    return 2;
  }
  await applyProcessFaults(faults, 'session', env);
  send({ type: 'ready' });

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  // One op at a time, in order: the next line is not read until this op's answer is written.
  for await (const line of input) {
    if (line.trim() === '') continue;
    const op = parseOpLine(line);
    if (typeof op === 'string') {
      log(`malformed input line (${op}): ${line.slice(0, 200)}`);
      input.close();
      process.stdin.destroy(); // stop reading, so the process can exit with the code below
      return 2;
    }
    try {
      const value = await runOp(workspace, parseOp(op.f, op.value), opFaults(faults, op.fault));
      send({ type: 'ok', id: op.id, value });
    } catch (e) {
      send({ type: 'fail', id: op.id, error: (e as Error).message });
    }
  }
  return 0;
}
