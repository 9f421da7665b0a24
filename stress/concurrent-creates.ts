// concurrent-creates — the seed-000 shape: 8 session agents x 100 creates, all at once.
// Proves: no id collisions, nothing acknowledged is lost, nothing appears that nobody created.
import { perAgent, storeParses } from '../lib/checkers/index.js';
import { defineScenario } from '../lib/scenario.js';
import { trackerSet } from './tracker/model.js';
import { trackerTarget } from './tracker/target.js';
import { issueTitle } from './tracker/titles.js';

export default defineScenario({
  name: 'concurrent-creates',
  description: 'creates from many agents at once: no id collisions, nothing lost',
  target: trackerTarget,
  agents: { count: 8, kind: 'session' },
  workload: {
    opsPerAgent: 100,
    jitterMs: [0, 2],
    generate: ({ agent, seq, rng }) => ({ f: 'create', value: { title: issueTitle(agent, seq, rng) } }),
  },
  checks: [storeParses, trackerSet.uniqueIds, trackerSet.items, perAgent],
  budgets: { opTimeoutMs: 15_000, runTimeoutMs: 180_000 },
});
