// What each checker found, as a list of things a person can click: each finding names the ops it is about
// (CheckResult.findings, `{agent, seq}`), and here they become positions in the op stream the report was
// built from, so the HTML timeline can select them and show when they happened. The report knows no
// checker's private data: a user's checker that returns findings gets the same links as a built-in one.
import type { CheckResult, OpStream } from '../types.js';

/** Findings drawn per check, the checker's first ones: enough to click through; the rest are counted (total). */
export const MAX_FINDINGS = 200;
/** Ops linked per finding; the rest are counted (opCount), not linked, so a finding naming every op stays small. */
export const MAX_FINDING_OPS = 500;

export interface LinkedFinding {
  /** lost, duplicated, unexpected, out-of-bounds... the checker's own word. */
  kind: string;
  label: string;
  /** Positions of the ops it concerns in the op stream the report was built from (0 = the first op), in the checker's order. */
  ops: number[];
  /** How many distinct ops the checker named (some may be past MAX_FINDING_OPS or not in the history). */
  opCount: number;
  /** An agent the finding is about (harness-health), when it is not about particular ops. */
  agent?: number;
  /** When the first of its linked ops was invoked (ms since the run started); null when none is linked. */
  at: number | null;
}

export interface CheckFindings {
  name: string;
  /** At most MAX_FINDINGS, the checker's first ones. */
  findings: LinkedFinding[];
  /** How many findings the check returned. */
  total: number;
}

/**
 * One number per op: cheaper than a string per op of a huge stream. Null for what cannot be an op
 * (a hand-edited summary, a user checker's slip), which then links nothing.
 */
function opKey(op: unknown): number | null {
  if (typeof op !== 'object' || op === null) return null;
  const { agent, seq } = op as { agent?: unknown; seq?: unknown };
  if (!Number.isInteger(agent) || !Number.isInteger(seq)) return null;
  const a = agent as number;
  const s = seq as number;
  return a >= 0 && a < 2 ** 20 && s >= 0 && s < 2 ** 32 ? a * 2 ** 32 + s : null;
}

/** The distinct op keys a finding names, in its order, and the first MAX_FINDING_OPS of them (the ones looked up). */
function namedKeys(ops: unknown): { linked: number[]; count: number } {
  const seen = new Set<number>();
  const linked: number[] = [];
  for (const op of Array.isArray(ops) ? ops : []) {
    const k = opKey(op);
    if (k === null || seen.has(k)) continue;
    seen.add(k);
    if (linked.length < MAX_FINDING_OPS) linked.push(k);
  }
  return { linked, count: seen.size };
}

/**
 * Findings per check, in the checks' order. One pass over the ops, keeping only the ops some finding
 * links (position and invoke time), never an index of every op, and stopping once all are found. Ops a
 * finding names that are not in the history are left out of its links, not an error.
 */
export function checkFindings(checks: readonly CheckResult[], ops: OpStream): CheckFindings[] {
  const perCheck = checks.map((check) => {
    const all = Array.isArray(check.findings) ? check.findings : [];
    return {
      name: check.name,
      total: all.length,
      findings: all.slice(0, MAX_FINDINGS).map((f) => ({ f, ...namedKeys(f.ops) })),
    };
  });
  const wanted = new Set<number>();
  for (const check of perCheck) for (const { linked } of check.findings) for (const k of linked) wanted.add(k);
  const where = new Map<number, { i: number; start: number }>();
  if (wanted.size > 0) {
    let i = 0;
    for (const op of ops) {
      const k = opKey(op);
      if (k !== null && wanted.has(k)) where.set(k, { i, start: op.start });
      if (where.size === wanted.size) break;
      i++;
    }
  }
  return perCheck.map(({ name, total, findings }) => ({
    name,
    total,
    findings: findings.map(({ f, linked, count }) => {
      const found = linked.flatMap((k) => where.get(k) ?? []);
      // A loop, not Math.min(...): a spread of many arguments can overflow the stack.
      let at: number | null = null;
      for (const op of found) if (at === null || op.start < at) at = op.start;
      const finding: LinkedFinding = {
        kind: String(f.kind),
        label: String(f.label),
        ops: found.map((op) => op.i),
        opCount: count,
        at,
      };
      if (Number.isInteger(f.agent)) finding.agent = f.agent;
      return finding;
    }),
  }));
}
