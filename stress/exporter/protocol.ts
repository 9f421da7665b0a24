// The exporter daemon's wire protocol: one JSON object per line over TCP, each request with an id the
// answer repeats (a connection may have several requests in flight).
//   {"id":1,"op":"set","key":"a3-7","value":"..."}   -> {"id":1,"ok":true,"version":42}
//   {"id":2,"op":"stats"}                            -> {"id":2,"ok":true,"stats":{...}}
//   {"id":3,"op":"settle"}                           -> the same, once no export is pending or running
//   anything else                                    -> {"id":..,"ok":false,"error":"..."} (nothing changed)
// Reads do not go through the daemon: readers read the export file, as seed 003's readers read its JSONL.

/** What the daemon counts: its own report of the work it did (the checkers hold it to the history). */
export interface ExporterStats {
  mutations: number;
  /** Exports after mutations (the one written at start-up is not counted). */
  exports: number;
  /** fsync calls made by those exports. */
  fsyncs: number;
  /** Records written by those exports, in all. */
  records: number;
  /** The export window in ms the daemon ran with. */
  windowMs: number;
  faults: string[];
  /** An export is waiting for its window or being written. */
  pending: boolean;
}

export type Request =
  { id: number; op: 'set'; key: string; value: string } | { id: number; op: 'stats' } | { id: number; op: 'settle' };

export type Response =
  { id: number; ok: true; version?: number; stats?: ExporterStats } | { id: number; ok: false; error: string };

/** A request line, or why it is not one. */
export function parseRequest(line: string): Request | { id: number | null; error: string } {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (error) {
    return { id: null, error: `not JSON: ${(error as Error).message}` };
  }
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
  if (id === null) return { id, error: 'id must be an integer' };
  if (m.op === 'stats' || m.op === 'settle') return { id, op: m.op };
  if (m.op === 'set') {
    if (typeof m.key !== 'string' || m.key === '') return { id, error: 'set: key must be a non-empty string' };
    if (typeof m.value !== 'string') return { id, error: 'set: value must be a string' };
    return { id, op: 'set', key: m.key, value: m.value };
  }
  return { id, error: `unknown op ${JSON.stringify(m.op)} (set, stats, settle)` };
}
