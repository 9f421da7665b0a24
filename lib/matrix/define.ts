// A detection matrix: each fault against the scenario that should expose it, what "caught it" means, and
// the correct target's rows that must pass. A matrix is a module (`export default defineMatrix({...})`), so
// any target can prove its faults are caught: `stampede matrix path/to/matrix.ts`.
import type { Summary } from '../run/summary.js';
import type { AgentHealth, Plan } from '../types.js';

export interface RunEvidence {
  plan: Plan;
  summary: Summary;
  health: AgentHealth[];
}

export interface MatrixRow {
  /** The fault switched on, or null: then the row is the correct target (it must pass) unless `expected` names checkers. */
  fault: string | null;
  /** How the table names the row (default: the fault). */
  label?: string;
  /** A suite name, or the path of a scenario file. */
  scenario: string;
  agents: number;
  ops: number;
  timeoutMs?: number;
  /** Scenario parameters for this row. */
  params?: Record<string, string>;
  /** Checkers whose failure is the detection (at least one must fail), or [] when the run must pass. */
  expected: string[];
  /** Checkers that may also fail as a consequence (lost data after a torn write...). */
  alsoAllowed: string[];
  /** What the row proves, for the table. */
  proves: string;
  /** Extra evidence beyond verdicts, for faults whose right answer is a pass (or a harness error). */
  evidence?: (run: RunEvidence) => string | null;
}

export interface Matrix {
  /** What the table calls the target, e.g. `memcached`. */
  target: string;
  faultRows: MatrixRow[];
  /** The correct target's rows: every run must pass. */
  correctRows: MatrixRow[];
  /** Environment for the runs (knobs that make a fault quick to show). */
  env?: Record<string, string>;
  /** Share of a fault row's runs that must detect it. Default 0.95 (19 of 20). */
  detectionRate?: number;
}

export function defineMatrix(matrix: Matrix): Matrix {
  return matrix;
}
