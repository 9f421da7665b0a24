// Latency per op kind (f) from an HDR histogram, and throughput over the window in which ops ran.
// Latency counts ops that got an answer (ok or fail): an `info` op was cut off at its deadline or
// by a kill, so its duration says when the harness gave up, not how fast the system was.
import hdr from 'hdr-histogram-js';
import type { OpRecord, OpStream } from '../types.js';

export interface LatencyRow {
  /** The op kind, or `all`. */
  f: string;
  count: number;
  ok: number;
  fail: number;
  info: number;
  pending: number;
  /** Milliseconds; null when no op of this kind got an answer. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  /** Ops of this kind per second of the window. */
  opsPerSec: number;
}

export interface LatencyReport {
  rows: LatencyRow[];
  all: LatencyRow;
  /** From the first invoke to the last completion, ms. */
  windowMs: number;
}

/** Histograms hold integers: latency is recorded in microseconds, 3 significant digits. */
const US_PER_MS = 1000;

class KindStats {
  readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  count = 0;
  ok = 0;
  fail = 0;
  info = 0;
  pending = 0;

  add(op: OpRecord): void {
    this.count++;
    this[op.outcome]++;
    if ((op.outcome === 'ok' || op.outcome === 'fail') && op.end !== null)
      this.histogram.recordValue(Math.max(1, Math.round((op.end - op.start) * US_PER_MS)));
  }

  row(f: string, windowMs: number): LatencyRow {
    const h = this.histogram;
    const answered = h.totalCount > 0;
    const ms = (us: number): number => Math.round((us / US_PER_MS) * 1000) / 1000;
    // A percentile is reported as the top of its histogram bucket, which can lie just above the
    // largest value recorded: never show a p99 above the max.
    const at = (p: number): number | null => (answered ? ms(Math.min(h.getValueAtPercentile(p), h.maxValue)) : null);
    const row: LatencyRow = {
      f,
      count: this.count,
      ok: this.ok,
      fail: this.fail,
      info: this.info,
      pending: this.pending,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: answered ? ms(h.maxValue) : null,
      opsPerSec: windowMs > 0 ? Math.round((this.count / (windowMs / 1000)) * 10) / 10 : 0,
    };
    h.destroy();
    return row;
  }
}

/** One pass over the ops: the histograms are incremental. */
export function latencyReport(ops: OpStream): LatencyReport {
  const byKind = new Map<string, KindStats>();
  const all = new KindStats();
  let first = Infinity;
  let last = -Infinity;
  let count = 0;
  for (const op of ops) {
    count++;
    let stats = byKind.get(op.f);
    if (!stats) byKind.set(op.f, (stats = new KindStats()));
    stats.add(op);
    all.add(op);
    first = Math.min(first, op.start);
    last = Math.max(last, op.end ?? op.start);
  }
  const windowMs = count > 0 ? Math.max(0, last - first) : 0;
  const rows = [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([f, stats]) => stats.row(f, windowMs));
  return { rows, all: all.row('all', windowMs), windowMs: Math.round(windowMs * 1000) / 1000 };
}
