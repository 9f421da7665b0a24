// What each checker found, as a list of things a person can click: each finding names the ops it is about
// (CheckResult.findings, `{agent, seq}`), and here they become positions in the op stream the report was
// built from, so the HTML timeline can select them and show when they happened. The report knows no
// checker's private data: a user's checker that returns findings gets the same links as a built-in one.
import type { CheckResult, OpStream } from '../types.js';

export interface Finding {
  /** lost, duplicated, unexpected, out-of-bounds... the checker's own word. */
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

const key = (agent: number, seq: number): string => `${agent}:${seq}`;

/**
 * Findings per check, in the checks' order. One pass over the ops, keeping only the ops some finding
 * names (position and invoke time), never an index of every op. Ops a finding names that are not in the
 * history (a hand-edited summary, a checker's slip) are left out of its links, not an error.
 */
export function checkFindings(checks: readonly CheckResult[], ops: OpStream): CheckFindings[] {
  const named = new Set<string>();
  for (const check of checks) for (const f of check.findings ?? []) for (const op of f.ops ?? []) named.add(key(op.agent, op.seq));
  const where = new Map<string, { i: number; start: number }>();
  if (named.size > 0) {
    let i = 0;
    for (const op of ops) {
      const k = key(op.agent, op.seq);
      if (named.has(k)) where.set(k, { i, start: op.start });
      i++;
    }
  }
  return checks.map((check) => ({
    name: check.name,
    findings: (check.findings ?? []).map((f) => {
      const found = [...new Set((f.ops ?? []).map((op) => key(op.agent, op.seq)))].flatMap((k) => {
        const at = where.get(k);
        return at ? [at] : [];
      });
      const finding: Finding = { kind: f.kind, label: f.label, ops: found.map((op) => op.i), at: found.length > 0 ? Math.min(...found.map((op) => op.start)) : null };
      if (f.agent !== undefined) finding.agent = f.agent;
      return finding;
    }),
  }));
}
