// `--shard i/n`: split a run's work over n CI jobs. The work is the list of runs `stampede run` would do
// (each scenario, then each kept seed, each `--repeat` times, in that order); shard i takes every n-th run,
// starting with the i-th (round-robin), so the n shards together do every run exactly once and each does
// about 1/n of them, whatever the scenarios' sizes.
import { InvalidArgumentError } from 'commander';

export interface Shard {
  /** 1-based: which shard this is. */
  index: number;
  /** How many shards there are. */
  count: number;
}

/** Parse `i/n` (1 <= i <= n). Throws a RangeError that says what is wrong. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new RangeError(`--shard must be i/n with 1 <= i <= n (for example 2/3), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** commander's parser for `--shard <i/n>`: a bad value is a usage error (exit 2). */
export function shardOption(text: string): Shard {
  try {
    return parseShard(text);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InvalidArgumentError(error.message);
  }
}

/** One planned run: a job (a scenario or kept seed) and which of its `--repeat` runs this is (0-based). */
export interface ShardItem<T> {
  job: T;
  repeat: number;
}

/** Every run in order: job 0 repeat 0..k-1, then job 1, and so on. */
export function expandRepeats<T>(jobs: readonly T[], repeat: number): ShardItem<T>[] {
  if (!Number.isInteger(repeat) || repeat < 1) throw new RangeError(`repeat must be a positive integer, got ${repeat}`);
  return jobs.flatMap((job) => Array.from({ length: repeat }, (_, r) => ({ job, repeat: r })));
}

/** The runs that belong to this shard (all of them without one). */
export function pickShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}

/** `shard 2/3: 4 of 11 runs` — printed before the runs, so a CI log says what this job covers. */
export function describeShard(shard: Shard, picked: number, total: number): string {
  return `shard ${shard.index}/${shard.count}: ${picked} of ${total} run${total === 1 ? '' : 's'}`;
}
