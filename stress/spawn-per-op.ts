// spawn-per-op — seed 002's shape done right: 10 exec agents x 10 creates, one CLI process per op,
// argv arrays and no shell, pipes drained while each process runs, every spawn accounted for.
import { perAgent, storeParses } from '../lib/checkers/index.js';
import { defineScenario } from '../lib/scenario.js';
import { trackerSet } from './tracker/model.js';
import { trackerTarget } from './tracker/target.js';
import { issueTitle } from './tracker/titles.js';

export default defineScenario({
  name: 'spawn-per-op',
  description: 'one CLI process per create, 10 agents at once: every spawn counted, nothing lost',
  target: trackerTarget,
  agents: { count: 10, kind: 'exec' },
  workload: {
    opsPerAgent: 10,
    generate: ({ agent, seq, rng }) => ({ f: 'create', value: { title: issueTitle(agent, seq, rng) } }),
  },
  checks: [storeParses, trackerSet.uniqueIds, trackerSet.items, perAgent],
});
