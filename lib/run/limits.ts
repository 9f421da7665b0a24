// The bounds every run's inputs are held to, whoever gives them (a flag, a scenario file, a test calling
// run()): past them a run cannot be carried out on any machine stampede targets, so it is refused with one
// line before anything is written, instead of dying of memory or disk halfway.

/** Node's timers hold a signed 32-bit count of ms: a longer delay fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const LIMITS = {
  /** Each agent is a live process (or an in-process client) at once; beyond this the OS, not the target, is stressed. */
  agents: 4096,
  /** A worker thread is tens of MB; more threads than this buys nothing on any machine we run on. */
  threads: 64,
  /** Ops per agent; the plan's size in bytes is bounded separately (PLAN_BYTES). */
  ops: 10_000_000,
  /** `--repeat`, `--runs`, `--tries`, `--seeds`, `--correct-runs`. */
  runs: 100_000,
  /** `--parallel` runs at once. */
  parallel: 64,
  /** `--shard i/n`. */
  shards: 1000,
} as const;

/** plan.json may be at most this big (the history is several times larger again). */
export const MAX_PLAN_BYTES = 1024 ** 3;
