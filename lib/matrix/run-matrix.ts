// Run every matrix row over many seeds and tally detections.
import { wasInterrupted } from '../run/summary.js';
import { readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { run } from '../run/run.js';
import { deriveSeed } from '../plan/seed.js';
import { loadScenario } from '../scenarios/load.js';
import type { AgentHealth } from '../types.js';
import { judge } from './judge.js';
import type { MatrixRow } from './define.js';

export interface RowResult {
  row: MatrixRow;
  runs: number;
  detected: number;
  /** Runs in which a checker outside the expected ones failed. */
  wrongChecker: number;
  /** Median run duration of the detecting runs, ms. */
  medianDetectMs: number | null;
  /** One line per miss: seed and why. */
  misses: string[];
  /** A kept run folder per miss. */
  missDirs: string[];
}

export interface MatrixRequest {
  rows: MatrixRow[];
  seeds: number;
  /** Seeds are derived from this, so a matrix run is itself replayable. */
  baseSeed: number;
  resultsDir: string;
  signal?: AbortSignal;
  onRun?: (row: MatrixRow, seed: number, detected: boolean, why: string) => void;
  /** Knobs for the target, set in the environment the agents inherit. */
  env?: Record<string, string>;
  /** What the table calls the correct target's rows. */
  target?: string;
}

export async function runMatrix(req: MatrixRequest): Promise<RowResult[]> {
  // The target reads its knobs from the environment the agents inherit.
  for (const [key, value] of Object.entries(req.env ?? {})) process.env[key] ??= value;
  const out: RowResult[] = [];
  for (const [index, row] of req.rows.entries()) {
    const { scenario, source } = await loadScenario(row.scenario);
    const result: RowResult = {
      row,
      runs: 0,
      detected: 0,
      wrongChecker: 0,
      medianDetectMs: null,
      misses: [],
      missDirs: [],
    };
    const durations: number[] = [];
    for (let i = 0; i < req.seeds && !req.signal?.aborted; i++) {
      const seed = deriveSeed(req.baseSeed, index, i);
      const r = await run({
        scenario,
        scenarioSource: source,
        seed,
        agents: row.agents,
        ops: row.ops,
        faults: row.fault ? [row.fault] : [],
        ...(row.params ? { params: row.params } : {}),
        resultsDir: req.resultsDir,
        ...(row.timeoutMs ? { timeoutMs: row.timeoutMs } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      });
      if (wasInterrupted(r.summary.stopReason)) break;
      const health = JSON.parse(readFileSync(join(r.runDir, 'health.json'), 'utf8')) as AgentHealth[];
      const verdict = judge(row, { plan: r.plan, summary: r.summary, health });
      result.runs += 1;
      if (verdict.wrongCheckers.length > 0) result.wrongChecker += 1;
      if (verdict.detected) {
        result.detected += 1;
        durations.push(r.summary.durationMs);
        rmSync(r.runDir, { recursive: true, force: true });
      } else {
        result.misses.push(`seed ${seed}: ${verdict.why} (replay: ${r.summary.replay})`);
        result.missDirs.push(r.runDir);
      }
      req.onRun?.(row, seed, verdict.detected, verdict.why);
    }
    result.medianDetectMs = median(durations);
    out.push(result);
  }
  return out;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A scenario file is shown relative to the working directory (short), a suite name as it is. */
function shown(scenario: string): string {
  return isAbsolute(scenario) ? relative(process.cwd(), scenario) : scenario;
}

/** The table the README and `npm run matrix` print. */
export function matrixTable(results: RowResult[], target = 'target'): string {
  const lines = [
    '| fault | scenario (agents x ops) | checker expected to fail | runs | detected | detection rate | wrong checker | median time to detect |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const expected = r.row.expected.length > 0 ? r.row.expected.join(' or ') : `none: ${r.row.proves}`;
    const rate = r.runs === 0 ? '-' : `${Math.round((100 * r.detected) / r.runs)}%`;
    const time = r.medianDetectMs === null ? '-' : `${(r.medianDetectMs / 1000).toFixed(1)} s`;
    const label = r.row.label ?? r.row.fault ?? `(none: correct ${target})`;
    const detected = r.row.fault || r.row.expected.length > 0 ? String(r.detected) : `${r.detected} passed`;
    lines.push(
      `| ${label} | ${shown(r.row.scenario)} (${r.row.agents}x${r.row.ops}) | ${expected} | ${r.runs} | ${detected} | ${rate} | ${r.wrongChecker} | ${time} |`,
    );
  }
  return lines.join('\n');
}
