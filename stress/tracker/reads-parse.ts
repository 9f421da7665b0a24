// reads-parse (the tracker's own checker): reads that race a writer can see a half-written store. An acknowledged read must
// still hand back well-formed items: `show` one object with an id, `list`/`ready` an array of them.
import type { CheckInput, CheckResult, Checker, Finding, Json } from '../../lib/types.js';
import { asObject, listSome, normaliseId, opName, opRef, plural, result } from '../../lib/checkers/words.js';

const NAME = 'reads-parse';
const LIST_READS = new Set(['list', 'ready']);

function kindOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Why `value` is not an item, or null when it is one. */
function itemProblem(value: Json): string | null {
  const obj = asObject(value);
  if (!obj) return `${kindOf(value)}, not an item`;
  return normaliseId(obj.id) === null ? 'an object without an id' : null;
}

function readProblem(f: string, value: Json): string | null {
  if (f === 'show') return itemProblem(value);
  if (!Array.isArray(value)) return `${kindOf(value)}, not an array of items`;
  for (let i = 0; i < value.length; i++) {
    const problem = itemProblem(value[i] ?? null);
    if (problem) return `an array whose element ${i} is ${problem}`;
  }
  return null;
}

export const readsParse: Checker = {
  name: NAME,
  description: 'every acknowledged show returns an item with an id, every acknowledged list/ready an array of them',
  check(input: CheckInput): CheckResult {
    const bad: Json[] = [];
    const words: string[] = [];
    const findings: Finding[] = [];
    const counts: { [f: string]: number } = { show: 0, list: 0, ready: 0 };
    for (const op of input.ops) {
      if (op.outcome !== 'ok' || (op.f !== 'show' && !LIST_READS.has(op.f))) continue;
      counts[op.f] = (counts[op.f] ?? 0) + 1;
      const problem = readProblem(op.f, op.result);
      if (!problem) continue;
      bad.push({ agent: op.agent, seq: op.seq, f: op.f, problem });
      words.push(`${op.f} ${opName(op)} returned ${problem}`);
      findings.push({ kind: 'malformed', label: `${op.f} ${opName(op)} returned ${problem}`, ops: [opRef(op)] });
    }
    const total = (counts.show ?? 0) + (counts.list ?? 0) + (counts.ready ?? 0);
    const data = { bad, ...counts };
    if (words.length > 0)
      return result(
        NAME,
        'fail',
        `${plural(words.length, 'acknowledged read')} malformed: ${listSome(words, 8, '; ')}`,
        data,
        findings,
      );
    if (total === 0) return result(NAME, 'pass', 'no acknowledged read ops', data);
    return result(
      NAME,
      'pass',
      `${plural(total, 'acknowledged read')} well-formed (${counts.show} show, ${counts.list} list, ${counts.ready} ready)`,
      data,
    );
  },
};
