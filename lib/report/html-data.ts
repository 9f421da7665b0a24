// The data report.html embeds: ops in columns (one array per field) so 100,000 ops stay a few MB
// of JSON that the page parses once and draws on canvases, never one DOM node per op. The columns are
// written from one pass over the op stream into files and copied into the page from there, so writing
// the report never holds the ops in memory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedWriter } from '../io/buffered-writer.js';
import { VISIBILITY } from '../models/visibility/checker.js';
import type { CheckResult, Json, OpStream } from '../types.js';
import type { EmbeddedCheck, EmbeddedFinding, EmbeddedVisibility, OutcomeCode } from './embedded.js';
import type { CheckFindings } from './findings.js';
import type { Sink } from './files.js';
import type { ReportModel } from './model.js';

/** One character per op: ok, fail, info, pending. */
const OUTCOME_CODE = { ok: 'o', fail: 'f', info: 'i', pending: 'p' } as const satisfies Record<string, OutcomeCode>;

/** Values and results are for a person hovering one op; a `list` result can hold the whole store. */
export const MAX_TEXT = 300;

export const micro = (t: number): number => Math.round(t * 1000) / 1000;

function text(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  const s = JSON.stringify(value);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… (${s.length} chars)` : s;
}

/** The embedded op columns in the order the page's JSON lists them. */
const COLUMNS = ['agent', 'seq', 'f', 'outcome', 'start', 'end', 'value', 'result', 'error'] as const;
type Column = (typeof COLUMNS)[number];

/** What one pass over the ops finds besides the columns. */
export interface OpsEmbedded {
  fs: string[];
  range: { start: number; end: number };
  /** Lanes: one per agent, the plan's and any the history names. */
  lanes: number;
}

/**
 * The op columns of report.html's data, written in one pass over the op stream to one file per column
 * in `dir` (each already JSON, escaped for a script element), so the page can be written column after
 * column without holding any column in memory. `copyTo` appends them, as `"ops":{...}` would read.
 */
export class OpColumns {
  private constructor(private readonly dir: string) {}

  static write(ops: OpStream, planAgents: number, dir: string): { columns: OpColumns; embedded: OpsEmbedded } {
    mkdirSync(dir, { recursive: true });
    const columns = new OpColumns(dir);
    const files = new Map<Column, BufferedWriter>();
    try {
      for (const column of COLUMNS) files.set(column, new BufferedWriter(join(dir, column)));
      const embedded = fill(ops, planAgents, (column, text) => (files.get(column) as BufferedWriter).write(text));
      for (const file of files.values()) file.close();
      return { columns, embedded };
    } finally {
      // Closed already when all went well; after an error they are given up (the caller removes the folder).
      for (const file of files.values()) file.discard();
    }
  }

  /** Append `"agent":[...],"seq":[...],...` (no braces) to the sink. */
  copyTo(sink: Sink): void {
    COLUMNS.forEach((column, i) => {
      const open = column === 'outcome' ? '"' : '[';
      sink.write(`${i === 0 ? '' : ','}"${column}":${open}`);
      sink.writeFile(join(this.dir, column));
      sink.write(column === 'outcome' ? '"' : ']');
    });
  }
}

function fill(ops: OpStream, planAgents: number, add: (column: Column, text: string) => void): OpsEmbedded {
  const fs: string[] = [];
  const fIndex = new Map<string, number>();
  let start = Infinity;
  let end = -Infinity;
  let lanes = planAgents;
  let count = 0;
  for (const op of ops) {
    let fi = fIndex.get(op.f);
    if (fi === undefined) {
      fi = fs.length;
      fs.push(op.f);
      fIndex.set(op.f, fi);
    }
    const sep = count === 0 ? '' : ',';
    add('agent', `${sep}${JSON.stringify(op.agent)}`);
    add('seq', `${sep}${JSON.stringify(op.seq)}`);
    add('f', `${sep}${fi}`);
    add('outcome', OUTCOME_CODE[op.outcome]);
    add('start', `${sep}${JSON.stringify(micro(op.start))}`);
    add('end', `${sep}${op.end === null ? -1 : JSON.stringify(micro(op.end))}`);
    add('value', `${sep}${scriptJson(text(op.value))}`);
    add('result', `${sep}${scriptJson(op.outcome === 'ok' ? text(op.result) : '')}`);
    add('error', `${sep}${scriptJson(op.error ?? '')}`);
    start = Math.min(start, op.start);
    end = Math.max(end, op.end ?? op.start);
    lanes = Math.max(lanes, op.agent + 1);
    count++;
  }
  return { fs, range: count > 0 ? { start: micro(start), end: micro(end) } : { start: 0, end: 1 }, lanes };
}

export function embedChecks(model: Pick<ReportModel, 'summary'>, findings: readonly CheckFindings[]): EmbeddedCheck[] {
  return model.summary.checks.map((check, i): EmbeddedCheck => {
    const found = findings[i];
    return {
      name: check.name,
      verdict: check.verdict,
      details: check.details,
      total: found?.total ?? 0,
      findings: (found?.findings ?? []).map((f) => {
        const e: EmbeddedFinding = {
          kind: f.kind,
          label: f.label,
          ops: f.ops,
          opCount: f.opCount,
          at: f.at === null ? null : micro(f.at),
        };
        if (f.agent !== undefined) e.agent = f.agent;
        return e;
      }),
    };
  });
}

/**
 * The page's data (an EmbeddedReport) into the sink, as JSON safe inside a script element, streaming
 * the op columns: byte for byte what scriptJson(report) gives for the same report.
 */
export function writeEmbeddedReport(
  sink: Sink,
  model: Pick<ReportModel, 'summary'>,
  ops: { columns: OpColumns; embedded: OpsEmbedded },
  checks: readonly EmbeddedCheck[],
  visibility: EmbeddedVisibility | undefined,
): void {
  const s = model.summary;
  const { fs, range, lanes } = ops.embedded;
  const head = scriptJson({ format: 1, scenario: s.scenario, seed: s.seed, verdict: s.verdict, lanes, range, fs });
  // The head without its closing brace, then the ops object, then the checks.
  sink.write(`${head.slice(0, -1)},"ops":{`);
  ops.columns.copyTo(sink);
  sink.write(`},"checks":${scriptJson(checks)}${visibility ? `,"visibility":${scriptJson(visibility)}` : ''}}`);
}

const isNumbers = (v: Json | undefined): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');

/**
 * The visibility check's per-write columns (see lib/models/visibility/checker.ts), for the page's chart;
 * undefined when the run had no such check, it measured no write, or its data is not in that shape.
 */
export function embedVisibility(checks: readonly CheckResult[]): EmbeddedVisibility | undefined {
  const data = checks.find((c) => c.name === VISIBILITY)?.data;
  const perWrite = data?.perWrite;
  if (!data || !perWrite || typeof perWrite !== 'object' || Array.isArray(perWrite)) return undefined;
  const { agent, seq, ack, low, high, every } = perWrite;
  const { budgetMs, percentile } = data;
  if (!isNumbers(agent) || !isNumbers(seq) || !isNumbers(ack) || !isNumbers(low) || !Array.isArray(high))
    return undefined;
  if (typeof budgetMs !== 'number' || typeof percentile !== 'number' || typeof every !== 'number') return undefined;
  if (ack.length === 0) return undefined;
  return {
    budgetMs,
    percentile,
    every,
    agent,
    seq,
    ack,
    low,
    high: high.map((h) => (typeof h === 'number' ? h : null)),
  };
}

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/;

/** JSON that is safe inside <script type="application/json">: nothing in it can close the element. */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!UNSAFE_IN_SCRIPT.test(json)) return json;
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
