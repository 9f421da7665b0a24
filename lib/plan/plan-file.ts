// plan.json, written one op at a time: the same bytes as serializePlan(plan), without the one large string
// and without holding the ops (a plan of 256,000 ops is 30 MB of JSON, and the heap it grows stays with
// the run). What it returns reads each agent's ops back from the file, which is how the run, its worker
// threads and its checkers all see exactly the ops plan.json records.
import { BufferedWriter } from '../io/buffered-writer.js';
import type { AgentPlan, Plan } from '../types.js';
import { PlanFileOps, type PlanOpsRange } from './plan-file-ops.js';

/** A plan whose agents' ops are read from its plan.json: what a run, its threads and its checkers use. */
export type PlanOnDisk = Omit<Plan, 'agents'> & { agents: (AgentPlan & { ops: PlanFileOps })[] };

/** Ops written between two looks at the event loop: often enough that Ctrl-C stops a large plan at once. */
const OPS_PER_YIELD = 2048;

/** Planning was stopped by the caller's signal (Ctrl-C): nothing ran. */
export class PlanningStopped extends Error {
  override readonly name = 'PlanningStopped';
}

/**
 * Write plan.json, byte for byte what serializePlan(plan) gives, reading each agent's ops once (a lazy
 * plan generates them as they are written). Returns the same plan with each agent's ops read from the file.
 * Every OPS_PER_YIELD ops it lets signal handlers run, and stops with PlanningStopped once `signal` aborts.
 */
export async function writePlanFile(path: string, plan: Plan, signal?: AbortSignal): Promise<PlanOnDisk> {
  const out = new BufferedWriter(path);
  const ranges: PlanOpsRange[] = [];
  const pace = pacer(signal);
  try {
    await writeMembers(out, plan, '', async (key, agents, pad) => {
      if (key !== 'agents') return false;
      await writeAgents(out, agents as AgentPlan[], pad, ranges, pace);
      return true;
    });
    out.write('\n');
    out.close();
  } catch (error) {
    out.discard();
    throw error;
  }
  return {
    ...plan,
    agents: plan.agents.map((agent, i) => ({ ...agent, ops: new PlanFileOps(ranges[i] as PlanOpsRange) })),
  };
}

/** Called once per op written: now and then it yields to the event loop and checks the signal. */
type Pace = () => Promise<void> | undefined;

function pacer(signal: AbortSignal | undefined): Pace {
  let ops = 0;
  return () => {
    if (++ops % OPS_PER_YIELD !== 0) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      if (signal?.aborted) throw new PlanningStopped(`planning stopped: ${String(signal.reason ?? 'aborted')}`);
    });
  };
}

/** Writes a member itself (resolving true) or leaves it to the generic writer. */
type MemberHook = (key: string, value: unknown, pad: string) => Promise<boolean> | boolean;

async function writeAgents(
  out: BufferedWriter,
  agents: readonly AgentPlan[],
  pad: string,
  ranges: PlanOpsRange[],
  pace: Pace,
): Promise<void> {
  if (agents.length === 0) return out.write('[]');
  const inner = `${pad}  `;
  out.write('[\n');
  for (const [i, agent] of agents.entries()) {
    out.write(inner);
    await writeMembers(out, agent, inner, async (key, ops, opsPad) => {
      if (key !== 'ops') return false;
      ranges.push(await writeOps(out, ops as AgentPlan['ops'], opsPad, agent.id, pace));
      return true;
    });
    out.write(i < agents.length - 1 ? ',\n' : '\n');
  }
  out.write(`${pad}]`);
}

/** An agent's ops, one at a time; the range covers what lies between the array's brackets. */
async function writeOps(
  out: BufferedWriter,
  ops: AgentPlan['ops'],
  pad: string,
  agent: number,
  pace: Pace,
): Promise<PlanOpsRange> {
  if (ops.length === 0) {
    out.write('[]');
    return { path: out.path, agent, start: out.position - 1, end: out.position - 1, length: 0 };
  }
  const inner = `${pad}  `;
  out.write('[');
  const start = out.position;
  let written = 0;
  for (const op of ops) {
    out.write(written === 0 ? '\n' : ',\n');
    out.write(inner);
    writeIndented(out, op, inner, Number.POSITIVE_INFINITY);
    written++;
    const paused = pace();
    if (paused) await paused;
  }
  if (written !== ops.length)
    throw new Error(`agent a${agent}: its ops gave ${written} ops, but say they are ${ops.length}`);
  out.write('\n');
  const end = out.position;
  out.write(`${pad}]`);
  return { path: out.path, agent, start, end, length: written };
}

/** An object's members as JSON.stringify(value, null, 2) writes them at `pad`; `hook` may take any member over. */
async function writeMembers(out: BufferedWriter, value: object, pad: string, hook: MemberHook): Promise<void> {
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  if (members.length === 0) return out.write('{}');
  const inner = `${pad}  `;
  out.write('{\n');
  for (const [i, [key, member]] of members.entries()) {
    out.write(`${inner}${JSON.stringify(key)}: `);
    if (!(await hook(key, member, inner))) writeIndented(out, member, inner, 1);
    out.write(i < members.length - 1 ? ',\n' : '\n');
  }
  out.write(`${pad}}`);
}

/** writeMembers for a value below the hooked levels: nothing there is large, so it is written at once. */
function writeMembersNow(out: BufferedWriter, value: object, pad: string, depth: number): void {
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  if (members.length === 0) return out.write('{}');
  const inner = `${pad}  `;
  out.write('{\n');
  members.forEach(([key, member], i) => {
    out.write(`${inner}${JSON.stringify(key)}: `);
    writeIndented(out, member, inner, depth + 1);
    out.write(i < members.length - 1 ? ',\n' : '\n');
  });
  out.write(`${pad}}`);
}

/** From this depth down (plan 0, member 1, ...) a value is written whole: every piece is small there. */
const STREAM_DEPTH = 3;

/**
 * `value` as JSON.stringify(value, null, 2) writes it at `pad`, member by member down to STREAM_DEPTH and
 * whole below it (`depth` starts at STREAM_DEPTH or more to write it whole). Plain data only (a plan is): in
 * an object undefined members are left out, in an array they are null, as JSON.stringify does.
 */
function writeIndented(out: BufferedWriter, value: unknown, pad: string, depth: number): void {
  if (depth >= STREAM_DEPTH || value === null || typeof value !== 'object') {
    out.write((JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${pad}`));
    return;
  }
  if (!Array.isArray(value)) return writeMembersNow(out, value, pad, depth);
  if (value.length === 0) return out.write('[]');
  const inner = `${pad}  `;
  out.write('[\n');
  value.forEach((element, i) => {
    out.write(inner);
    writeIndented(out, element, inner, depth + 1);
    out.write(i < value.length - 1 ? ',\n' : '\n');
  });
  out.write(`${pad}]`);
}
