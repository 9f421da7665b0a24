// The trimmed mean a perf gate compares to its budget: the runs sorted by the figure, the `trim` lowest and
// the `trim` highest dropped, the rest averaged. One slow run (a noisy neighbour, a cold cache) or one
// lucky run moves it little, where it would move a plain mean or decide a single run.

export interface Trimmed {
  mean: number;
  /** The values averaged, ascending. */
  kept: number[];
  /** The values dropped, the low ones then the high ones, each ascending. */
  dropped: number[];
}

/** The trimmed mean of `values`; throws when trimming would leave no value (`2 * trim >= values.length`). */
export function trimmedMean(values: readonly number[], trim: number): Trimmed {
  if (!Number.isInteger(trim) || trim < 0) throw new Error(`trim must be a whole number from 0, got ${trim}`);
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`cannot average ${values.join(', ')}`);
  if (2 * trim >= values.length)
    throw new Error(
      `trimming ${trim} from each end of ${values.length} values leaves none to average: give at least ${2 * trim + 1} runs, or a smaller trim`,
    );
  const sorted = [...values].sort((a, b) => a - b);
  const kept = sorted.slice(trim, sorted.length - trim);
  const dropped = [...sorted.slice(0, trim), ...sorted.slice(sorted.length - trim)];
  const mean = kept.reduce((sum, v) => sum + v, 0) / kept.length;
  return { mean: Math.round(mean * 1e6) / 1e6, kept, dropped };
}
