// The data report.html embeds: ops in columns (one array per field) so 100,000 ops stay a few MB
// of JSON that the page parses once and draws on canvases, never one DOM node per op.
import type { Json, OpRecord } from '../types.js';
import type { CheckFindings } from './findings.js';
import type { ReportModel } from './model.js';

/** One character per op: ok, fail, info, pending. */
const OUTCOME_CODE = { ok: 'o', fail: 'f', info: 'i', pending: 'p' } as const;

/** Values and results are for a person hovering one op; a `list` result can hold the whole store. */
export const MAX_TEXT = 300;
/** Findings per check and ops per finding carried into the page; the rest are counted, not listed. */
export const MAX_FINDINGS = 5000;
export const MAX_FINDING_OPS = 500;

export interface EmbeddedOps {
  agent: number[];
  seq: number[];
  /** Index into `fs`. */
  f: number[];
  outcome: string;
  /** ms since the run started, rounded to the microsecond. */
  start: number[];
  /** -1 when pending. */
  end: number[];
  value: string[];
  result: string[];
  error: string[];
}

export interface EmbeddedFinding {
  kind: string;
  label: string;
  ops: number[];
  /** How many ops the finding named before MAX_FINDING_OPS cut it. */
  opCount: number;
  agent?: number;
}

export interface EmbeddedCheck {
  name: string;
  verdict: string;
  details: string;
  findings: EmbeddedFinding[];
  /** Findings before MAX_FINDINGS cut them. */
  total: number;
}

export interface EmbeddedReport {
  format: 1;
  scenario: string;
  seed: number;
  verdict: string;
  lanes: number;
  range: { start: number; end: number };
  fs: string[];
  ops: EmbeddedOps;
  checks: EmbeddedCheck[];
}

const micro = (t: number): number => Math.round(t * 1000) / 1000;

function text(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  const s = JSON.stringify(value);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… (${s.length} chars)` : s;
}

export function embedOps(ops: readonly OpRecord[]): { fs: string[]; ops: EmbeddedOps; range: { start: number; end: number } } {
  const fs: string[] = [];
  const fIndex = new Map<string, number>();
  const out: EmbeddedOps = { agent: [], seq: [], f: [], outcome: '', start: [], end: [], value: [], result: [], error: [] };
  const codes: string[] = [];
  let start = Infinity;
  let end = -Infinity;
  for (const op of ops) {
    let fi = fIndex.get(op.f);
    if (fi === undefined) {
      fi = fs.length;
      fs.push(op.f);
      fIndex.set(op.f, fi);
    }
    out.agent.push(op.agent);
    out.seq.push(op.seq);
    out.f.push(fi);
    codes.push(OUTCOME_CODE[op.outcome]);
    out.start.push(micro(op.start));
    out.end.push(op.end === null ? -1 : micro(op.end));
    out.value.push(text(op.value));
    out.result.push(op.outcome === 'ok' ? text(op.result) : '');
    out.error.push(op.error ?? '');
    start = Math.min(start, op.start);
    end = Math.max(end, op.end ?? op.start);
  }
  out.outcome = codes.join('');
  return { fs, ops: out, range: ops.length > 0 ? { start: micro(start), end: micro(end) } : { start: 0, end: 1 } };
}

export function embedReport(model: ReportModel, findings: readonly CheckFindings[]): EmbeddedReport {
  const { fs, ops, range } = embedOps(model.ops);
  // Not Math.max(...ops): spreading 100,000 arguments overflows the call stack.
  const lanes = model.ops.reduce((max, op) => Math.max(max, op.agent + 1), model.plan.agents.length);
  const checks = model.summary.checks.map((check, i): EmbeddedCheck => {
    const all = findings[i]?.findings ?? [];
    return {
      name: check.name,
      verdict: check.verdict,
      details: check.details,
      total: all.length,
      findings: all.slice(0, MAX_FINDINGS).map((f) => {
        const e: EmbeddedFinding = { kind: f.kind, label: f.label, ops: f.ops.slice(0, MAX_FINDING_OPS), opCount: f.ops.length };
        if (f.agent !== undefined) e.agent = f.agent;
        return e;
      }),
    };
  });
  return { format: 1, scenario: model.summary.scenario, seed: model.summary.seed, verdict: model.summary.verdict, lanes, range, fs, ops, checks };
}

/** JSON that is safe inside <script type="application/json">: nothing in it can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
