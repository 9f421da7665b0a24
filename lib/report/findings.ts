// What each checker found, as a list of things a person can click: a lost item, a duplicated id,
// a counter out of bounds... each linked to the ops in the history that it concerns, so the HTML
// timeline can show where in time it happened. Built from the checkers' machine-readable `data`;
// a checker this file does not know still gets links for any {agent, seq} objects in its data.
import { asObject, commentTargets, createdTitles, normaliseId, plural, quote, resultIds } from '../checkers/items.js';
import type { CheckResult, Json, OpStream } from '../types.js';

export interface Finding {
  /** lost, duplicated, unexpected, recovered, counter, op, agent, corruption... */
  kind: string;
  label: string;
  /** Positions of the ops it concerns in the op stream the report was built from (0 = the first op). */
  ops: number[];
  /** An agent the finding is about (harness-health), when it is not about particular ops. */
  agent?: number;
  /** When the first of its ops was invoked (ms since the run started); null when it names no op. */
  at?: number | null;
}

export interface CheckFindings {
  name: string;
  findings: Finding[];
}

/** What the extractors ask of the ops: from what checkers name (titles, ids, `a3 seq 7`) to op positions. */
interface OpLookup {
  op(agent: number, seq: number): number | undefined;
  creates(title: string): number[];
  /** Ops whose acknowledgement handed out this id (only this agent's, when given). */
  ackedId(id: string, agent?: number | null): number[];
  comments(id: string): number[];
}

/**
 * Answers nothing and remembers every question: the extractors run once against it, so that the one
 * pass over the ops keeps only the ops the findings name, not an index of every op.
 */
class Questions implements OpLookup {
  readonly keys = new Set<string>();
  readonly titles = new Set<string>();
  readonly ids = new Set<string>();
  readonly commentIds = new Set<string>();

  get none(): boolean {
    return this.keys.size + this.titles.size + this.ids.size + this.commentIds.size === 0;
  }

  op(agent: number, seq: number): undefined {
    this.keys.add(`${agent}:${seq}`);
    return undefined;
  }

  creates(title: string): number[] {
    this.titles.add(title);
    return [];
  }

  ackedId(id: string): number[] {
    this.ids.add(id);
    return [];
  }

  comments(id: string): number[] {
    this.commentIds.add(id);
    return [];
  }
}

/** The answers to the questions, from one pass over the op stream. */
class OpIndex implements OpLookup {
  private readonly byKey = new Map<string, number>();
  private readonly createsByTitle = new Map<string, number[]>();
  private readonly byResultId = new Map<string, { i: number; agent: number }[]>();
  private readonly commentsById = new Map<string, number[]>();
  /** Invoke time of every op an answer names. */
  private readonly starts = new Map<number, number>();

  constructor(ops: OpStream, asked: Questions) {
    if (asked.none) return;
    let i = 0;
    for (const op of ops) {
      let named = false;
      const key = `${op.agent}:${op.seq}`;
      if (asked.keys.has(key)) {
        this.byKey.set(key, i);
        named = true;
      }
      for (const title of createdTitles(op)) {
        if (!asked.titles.has(title)) continue;
        push(this.createsByTitle, title, i);
        named = true;
      }
      for (const id of op.outcome === 'ok' ? (resultIds(op) ?? []) : []) {
        if (id === null || !asked.ids.has(id)) continue;
        push(this.byResultId, id, { i, agent: op.agent });
        named = true;
      }
      for (const id of commentTargets(op)) {
        if (!asked.commentIds.has(id)) continue;
        push(this.commentsById, id, i);
        named = true;
      }
      if (named) this.starts.set(i, op.start);
      i++;
    }
  }

  op(agent: number, seq: number): number | undefined {
    return this.byKey.get(`${agent}:${seq}`);
  }

  creates(title: string): number[] {
    return this.createsByTitle.get(title) ?? [];
  }

  ackedId(id: string, agent: number | null = null): number[] {
    return (this.byResultId.get(id) ?? []).filter((a) => agent === null || a.agent === agent).map((a) => a.i);
  }

  comments(id: string): number[] {
    return this.commentsById.get(id) ?? [];
  }

  startOf(i: number): number | null {
    return this.starts.get(i) ?? null;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const arr = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const str = (value: Json | undefined): string | null => (typeof value === 'string' ? value : null);
const int = (value: Json | undefined): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const uniq = (values: number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

type Extractor = (data: { [key: string]: Json }, index: OpLookup) => Finding[];

const EXTRACTORS: Record<string, Extractor> = {
  items(data, index) {
    const out: Finding[] = [];
    for (const entry of arr(data.lost)) {
      const o = asObject(entry);
      const title = str(o?.title);
      if (title === null) continue;
      const id = str(o?.id);
      out.push({ kind: 'lost', label: `${id ?? '(no id)'} ${quote(title, 40)} acknowledged, absent`, ops: index.creates(title) });
    }
    for (const entry of arr(data.preloadLost)) {
      const o = asObject(entry);
      const id = str(o?.id) ?? '?';
      out.push({ kind: 'lost', label: `preloaded ${id} ${quote(str(o?.title) ?? '', 40)} absent`, ops: index.comments(id) });
    }
    for (const entry of arr(data.duplicated)) {
      const o = asObject(entry);
      const title = str(o?.title) ?? '';
      out.push({ kind: 'duplicated', label: `${quote(title, 40)} present as ${arr(o?.ids).map(String).join(', ')}`, ops: index.creates(title) });
    }
    for (const entry of arr(data.unexpected)) {
      const o = asObject(entry);
      const title = str(o?.title) ?? '';
      out.push({ kind: 'unexpected', label: `${arr(o?.ids).map(String).join(', ')} ${quote(title, 40)} (${str(o?.reason) ?? 'unexpected'})`, ops: index.creates(title) });
    }
    for (const title of arr(data.recovered)) {
      if (typeof title === 'string') out.push({ kind: 'recovered', label: `${quote(title, 40)} outcome unknown, present`, ops: index.creates(title) });
    }
    return out;
  },
  'unique-ids'(data, index) {
    const out: Finding[] = [];
    for (const entry of [...arr(data.stateDuplicates), ...arr(data.ackDuplicates)]) {
      const o = asObject(entry);
      const id = normaliseId(o?.id);
      if (id === null) continue;
      const titles = arr(o?.titles).filter((t): t is string => typeof t === 'string');
      const ops = uniq([...index.ackedId(id), ...titles.flatMap((t) => index.creates(t))]);
      out.push({ kind: 'duplicated', label: `id ${id} given ${ops.length > 1 ? `to ${ops.length} ops` : 'twice'}`, ops });
    }
    for (const entry of [...arr(data.mismatched), ...arr(data.malformed)]) out.push(...opFinding(entry, index, 'op'));
    return out;
  },
  counters(data, index) {
    return arr(data.violations).flatMap((entry) => {
      const o = asObject(entry);
      const id = normaliseId(o?.id);
      if (id === null) return [];
      const kind = str(o?.kind) ?? 'counter';
      const comments = typeof o?.comments === 'number' ? plural(o.comments, 'comment') : o?.comments === null || o?.comments === undefined ? 'absent' : `comments ${JSON.stringify(o.comments)}`;
      return [{ kind: kind === 'lost' || kind === 'absent' ? 'lost' : kind, label: `${id}: ${comments}, expected ${String(o?.low)}..${String(o?.high)}`, ops: index.comments(id) }];
    });
  },
  'per-agent'(data, index) {
    return arr(data.agents).flatMap((entry) => {
      const o = asObject(entry);
      const agent = int(o?.agent);
      return arr(o?.missing).flatMap((m) => {
        if (typeof m !== 'string') return [];
        // An id may have been handed to several agents (a unique-ids failure): keep this agent's ops.
        const ops = index.ackedId(m, agent);
        return [{ kind: 'lost', label: `a${agent ?? '?'} lost ${m}`, ops }];
      });
    });
  },
  'harness-health'(data) {
    return arr(data.bad).flatMap((entry) => {
      const o = asObject(entry);
      const agent = int(o?.agent);
      if (agent === null) return [];
      const error = str(o?.error);
      return [{ kind: 'agent', label: `a${agent} ${str(o?.problem) ?? 'problem'}${error ? ` (${error})` : ''}`, ops: [], agent }];
    });
  },
  'store-parses'(data) {
    return arr(data.corruption).map((entry) => {
      const o = asObject(entry);
      return { kind: 'corruption', label: `${str(o?.file) ?? '?'}:${String(o?.line)} ${quote(str(o?.text) ?? '', 60)} (${str(o?.error) ?? ''})`, ops: [] };
    });
  },
  deadlines(data, index) {
    const out: Finding[] = [];
    for (const [field, kind] of [
      ['pending', 'pending'],
      ['overran', 'overran'],
      ['hangsNotInfo', 'hang'],
    ] as const) {
      for (const name of arr(data[field])) {
        const m = typeof name === 'string' ? /^a(\d+) seq (\d+)$/.exec(name) : null;
        const i = m ? index.op(Number(m[1]), Number(m[2])) : undefined;
        out.push({ kind, label: String(name), ops: i === undefined ? [] : [i] });
      }
    }
    return out;
  },
};

/** Any {agent, seq} object in a checker's data names one op. */
function opFinding(entry: Json, index: OpLookup, kind: string): Finding[] {
  const o = asObject(entry);
  const agent = int(o?.agent);
  const seq = int(o?.seq);
  if (!o || agent === null || seq === null) return [];
  const i = index.op(agent, seq);
  const extra = str(o.problem) ?? str(o.kind) ?? str(o.f) ?? '';
  return [{ kind: str(o.kind) ?? kind, label: `a${agent} seq ${seq}${extra ? ` ${extra}` : ''}`, ops: i === undefined ? [] : [i] }];
}

/** Walk a checker's data (a few levels deep) for {agent, seq} objects. */
function genericFindings(data: Json, index: OpLookup, depth = 0): Finding[] {
  if (depth > 3 || data === null || typeof data !== 'object') return [];
  if (Array.isArray(data)) return data.flatMap((v) => genericFindings(v, index, depth + 1));
  const direct = opFinding(data, index, 'op');
  if (direct.length > 0) return direct;
  return Object.values(data).flatMap((v) => genericFindings(v, index, depth + 1));
}

/** Findings per check, in the checks' order. A passing check reports only what is worth a look (recovered items). */
export function checkFindings(checks: readonly CheckResult[], ops: OpStream): CheckFindings[] {
  // Twice through the extractors: first to learn which ops they name, then, after one pass over the
  // ops, to link them.
  const asked = new Questions();
  extractAll(checks, asked);
  const index = new OpIndex(ops, asked);
  const found = extractAll(checks, index);
  for (const check of found) for (const f of check.findings) f.at = f.ops[0] === undefined ? null : index.startOf(f.ops[0]);
  return found;
}

function extractAll(checks: readonly CheckResult[], index: OpLookup): CheckFindings[] {
  return checks.map((check) => {
    const data = check.data ?? {};
    const extractor = EXTRACTORS[check.name];
    let findings = extractor ? extractor(data, index) : check.verdict === 'pass' ? [] : genericFindings(data, index);
    if (check.verdict === 'pass') findings = findings.filter((f) => f.kind === 'recovered');
    for (const f of findings) f.ops = uniq(f.ops);
    return { name: check.name, findings };
  });
}
