// What every part of the bench gets, and what it hands back.
import type { HarnessCaseResult } from '../cases/harness-case.js';
import type { NativeLimit } from './spawn.js';

export interface BenchContext {
  /** The no-op native program exec agents run (`/bin/true`). */
  trueProgram: string;
  native: NativeLimit;
  /** Parent folder for the harness's run folders (each case removes its own). */
  runsDir: string;
  /** A fresh seed per run, itself derived from the bench's seed, so a bench run can be repeated. */
  seed(): number;
  /** A harness run the bench measures must have passed: a number from a broken run is not a measurement. */
  expectPass(label: string, result: HarnessCaseResult): void;
}

export interface TargetResult {
  name: string;
  met: boolean;
  measured: string;
}

export interface SectionResult {
  name: string;
  /** A Markdown section: heading, what was measured, the table, and what it shows. */
  markdown: string;
  /** Every measurement, for results/bench/*.json. */
  data: unknown;
  targets: TargetResult[];
  /** Figures by pool size (worker threads), for the bench's pool-size summary. */
  pool?: PoolMeasure[];
}

export interface PoolMeasure {
  /** What was measured, e.g. `exec spawns/s, 10 agents`. */
  metric: string;
  higherIsBetter: boolean;
  /** Median by thread count. */
  byThreads: Record<number, number>;
}
