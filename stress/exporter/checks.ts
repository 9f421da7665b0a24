// What the exporter promises, checked: writes visible in the export within 1 s (p95) of their ack
// (the visibility model, reading keys.ts's compact reads); no more exports than one per 50 ms window of
// mutation activity (export-batching); one fsync per export (export-fsyncs). The last two hold the
// daemon's own counts, reported in its final state, to what the history says happened.
import { visibilityModel } from '../../lib/models/visibility/index.js';
import { plural, result } from '../../lib/checkers/words.js';
import type { CheckInput, CheckResult, Checker } from '../../lib/types.js';
import { maxSpacedPoints } from './spacing.js';
import { seenKeys } from './keys.js';
import type { ExporterState } from './target.js';
import { WINDOW_MS } from './target-files.js';

/**
 * Seed 003 aims at "< 500 ms (vs 5000 ms polling)" on an idle machine. Under stress on a loaded 2-core
 * machine the correct 50 ms window's p95 was measured up to 0.37 s (load average 20), and the slow
 * export is seconds: 1 s leaves a margin of more than 2x on both sides.
 */
export const VISIBILITY_BUDGET_MS = 1000;

export const exporterVisibility = visibilityModel<ExporterState>({
  write: 'set',
  read: 'read',
  budgetMs: VISIBILITY_BUDGET_MS,
  seen: seenKeys,
  final: (state) => (key) => Object.hasOwn(state.data, key),
});

export const EXPORT_BATCHING = 'export-batching';

/** The daemon's counts, or a result saying they are missing. */
function statsOf(name: string, input: CheckInput<ExporterState>): ExporterState['stats'] | CheckResult {
  const stats = input.state?.stats;
  if (!stats || typeof stats.exports !== 'number') return result(name, 'unknown', 'the daemon reported no counts');
  return stats;
}

/**
 * export-batching: a daemon that exports once per window of `windowMs` starts each window at a mutation
 * that came after the previous export began, so the mutations that opened windows arrived at least a
 * window apart. Each arrived between its op's invoke and its ack (or later, for an unknown one). So the
 * exports can be no more than the most points, pairwise a window apart, that fit in those spans: an
 * upper bound from the history alone, however busy the machine was. More exports than that is a
 * daemon that does not debounce. The gap is a window less 1 ms: the history's times come from several
 * threads, each turning its own clock into time since the run started.
 */
export function exportBatching(windowMs = WINDOW_MS): Checker<ExporterState> {
  return {
    name: EXPORT_BATCHING,
    description: `the daemon exported at most once per ${windowMs} ms window of mutation activity (an event storm folded)`,
    check(input) {
      const stats = statsOf(EXPORT_BATCHING, input);
      if ('verdict' in stats) return stats;
      const spans: [number, number][] = [];
      for (const op of input.ops) {
        if (op.f !== 'set' || op.outcome === 'fail') continue;
        spans.push([op.start, op.end ?? Infinity]);
      }
      const bound = Math.min(stats.mutations, maxSpacedPoints(spans, windowMs - 1));
      const data = {
        exports: stats.exports,
        mutations: stats.mutations,
        bound,
        windowMs,
        mutationsPerExport: stats.exports === 0 ? null : Math.round((stats.mutations / stats.exports) * 10) / 10,
      };
      const words = `${plural(stats.exports, 'export')} for ${plural(stats.mutations, 'mutation')}; a ${windowMs} ms window allows at most ${bound}`;
      return stats.exports > bound
        ? result(
            EXPORT_BATCHING,
            'fail',
            `${words}: ${stats.exports - bound} too many (the storm was not folded)`,
            data,
          )
        : result(EXPORT_BATCHING, 'pass', words, data);
    },
  };
}

export const EXPORT_FSYNCS = 'export-fsyncs';

/** export-fsyncs: one fsync per export (of its temp file, before the rename), never one per record. */
export const exportFsyncs: Checker<ExporterState> = {
  name: EXPORT_FSYNCS,
  description: 'the daemon made one fsync per export, not one per record',
  check(input) {
    const stats = statsOf(EXPORT_FSYNCS, input);
    if ('verdict' in stats) return stats;
    const data = { fsyncs: stats.fsyncs, exports: stats.exports, records: stats.records };
    const words = `${plural(stats.fsyncs, 'fsync')} for ${plural(stats.exports, 'export')} (${plural(stats.records, 'record')} written)`;
    if (stats.fsyncs > stats.exports)
      return result(EXPORT_FSYNCS, 'fail', `${words}: ${stats.fsyncs - stats.exports} more fsyncs than exports`, data);
    return result(EXPORT_FSYNCS, 'pass', words, data);
  },
};
