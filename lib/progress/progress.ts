// Live progress from the shared counters. Reads only; never touches the op loop.
import type { Counters } from '../pool/shared.js';

export interface ProgressSink {
  /** The barrier opened: start showing progress. */
  start(counters: Counters, totalOps: number): void;
  stop(): void;
}
