// The data report.html embeds, as a contract between its two sides: html-data.ts writes it (Node) and
// the page's script in client/ reads it (the browser). Types only, so both compile it.

/** One character per op: ok, fail, info, pending. */
export type OutcomeCode = 'o' | 'f' | 'i' | 'p';

export interface EmbeddedOps {
  agent: number[];
  seq: number[];
  /** Index into `fs`. */
  f: number[];
  /** One OutcomeCode per op. */
  outcome: string;
  /** ms since the run started, rounded to the microsecond. */
  start: number[];
  /** -1 when pending. */
  end: number[];
  value: string[];
  result: string[];
  error: string[];
}

/** A finding as the page draws it (findings.ts bounds how many there are and how many ops each links). */
export interface EmbeddedFinding {
  kind: string;
  label: string;
  /** Positions in the embedded op columns. */
  ops: number[];
  /** How many ops the checker named; more than `ops` when some were cut or are not in the history. */
  opCount: number;
  agent?: number;
  /** When its first linked op was invoked, rounded like the op columns; null when it links none. */
  at: number | null;
}

export interface EmbeddedCheck {
  name: string;
  verdict: string;
  details: string;
  findings: EmbeddedFinding[];
  /** Findings the check returned, drawn or not. */
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
  /** Present when the run had a visibility check that measured some write. */
  visibility?: EmbeddedVisibility;
}

/**
 * The visibility check's per-write figures, for its chart: one write in every `every` (the checker keeps
 * at most a thousand), in ack order, each with the bounds of its ack-to-visible time in ms.
 */
export interface EmbeddedVisibility {
  budgetMs: number;
  percentile: number;
  every: number;
  agent: number[];
  seq: number[];
  /** ms since the run started. */
  ack: number[];
  /** At least this long after the ack before another agent saw it (the last miss started after it). */
  low: number[];
  /** At most this long (the first hit's end); null: never seen by another agent. */
  high: (number | null)[];
}
