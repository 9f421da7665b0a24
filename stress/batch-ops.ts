// batch-ops — 4 session agents x 50 batches. Each batch creates 1-3 issues and comments on preloaded
// ones in one atomic step. Proves: every batch is all-or-nothing, and no comment increment is lost.
import { perAgent, storeParses } from '../lib/checkers/index.js';
import { defineScenario } from '../lib/scenario.js';
import type { Json } from '../lib/types.js';
import { trackerCounter, trackerSet } from './tracker/model.js';
import { tracker } from './tracker/target.js';
import { issueTitle } from './tracker/titles.js';

export default defineScenario({
  name: 'batch-ops',
  description: 'atomic batches of creates and comments: every batch all-or-nothing',
  target: tracker({ preload: 4 }),
  agents: { count: 4, kind: 'session' },
  workload: {
    opsPerAgent: 50,
    jitterMs: [0, 3],
    generate: ({ agent, seq, rng, preloaded }) => {
      const ops: Json[] = [];
      const creates = rng.int(1, 3);
      for (let part = 0; part < creates; part++)
        ops.push({ f: 'create', value: { title: issueTitle(agent, seq, rng, part) } });
      const comments = rng.int(0, 2);
      for (let c = 0; c < comments; c++) ops.push({ f: 'comment', value: { id: rng.pick(preloaded).id } });
      return { f: 'batch' as const, value: { ops: rng.shuffle(ops) } };
    },
  },
  checks: [
    storeParses,
    trackerSet.uniqueIds,
    trackerSet.batchAtomicity,
    trackerSet.items,
    trackerCounter.counters,
    perAgent,
  ],
});
