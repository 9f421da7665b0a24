// plan.json, written one op at a time: the same bytes as serializePlan(plan) without the one large
// string (a plan of 256,000 ops is 30 MB of JSON, and the heap it grows stays with the run).
import { BufferedWriter } from '../io/buffered-writer.js';
import type { Plan } from '../types.js';

/** Write plan.json: byte for byte what serializePlan(plan) gives. */
export function writePlanFile(path: string, plan: Plan): void {
  const out = new BufferedWriter(path);
  try {
    writeIndented(out, plan, '', 0);
    out.write('\n');
    out.close();
  } catch (error) {
    out.discard();
    throw error;
  }
}

/** Plan (0) > agents (1) > agent (2) > ops (3) > op (4): each op is one small string. */
const STREAM_DEPTH = 4;

/**
 * `value` as JSON.stringify(value, null, 2) writes it at `pad`, member by member down to STREAM_DEPTH
 * and whole below it. Plain data only (a plan is): in an object undefined members are left out, in an
 * array they are null, as JSON.stringify does.
 */
function writeIndented(out: BufferedWriter, value: unknown, pad: string, depth: number): void {
  if (depth >= STREAM_DEPTH || value === null || typeof value !== 'object') {
    out.write((JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${pad}`));
    return;
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return out.write('[]');
    out.write('[\n');
    value.forEach((element, i) => {
      out.write(inner);
      writeIndented(out, element, inner, depth + 1);
      out.write(i < value.length - 1 ? ',\n' : '\n');
    });
    return out.write(`${pad}]`);
  }
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  if (members.length === 0) return out.write('{}');
  out.write('{\n');
  members.forEach(([key, member], i) => {
    out.write(`${inner}${JSON.stringify(key)}: `);
    writeIndented(out, member, inner, depth + 1);
    out.write(i < members.length - 1 ? ',\n' : '\n');
  });
  out.write(`${pad}}`);
}
