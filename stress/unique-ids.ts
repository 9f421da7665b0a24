// unique-ids — 10 session agents x 100 creates: zero duplicate ids across 1000 creates.
import { perAgent, storeParses } from '../lib/checkers/index.js';
import { defineScenario } from '../lib/scenario.js';
import { trackerSet } from './tracker/model.js';
import { trackerTarget } from './tracker/target.js';
import { issueTitle } from './tracker/titles.js';

export default defineScenario({
  name: 'unique-ids',
  description: '1000 creates from 10 agents: zero duplicate ids',
  target: trackerTarget,
  agents: { count: 10, kind: 'session' },
  workload: {
    opsPerAgent: 100,
    generate: ({ agent, seq, rng }) => ({ f: 'create', value: { title: issueTitle(agent, seq, rng) } }),
  },
  checks: [storeParses, trackerSet.uniqueIds, trackerSet.items, perAgent],
  budgets: { opTimeoutMs: 15_000, runTimeoutMs: 180_000 },
});
