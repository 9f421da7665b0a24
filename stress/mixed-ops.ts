// mixed-ops — 6 session agents x 50 ops drawn from create, update, comment, show, list and ready,
// against 5 preloaded issues. Proves: no lost comments (lost updates), reads always parse.
import { deadlines, perAgent, storeParses } from '../lib/checkers/index.js';
import { defineScenario } from '../lib/scenario.js';
import { trackerCounter, trackerSet } from './tracker/model.js';
import { readsParse } from './tracker/reads-parse.js';
import { tracker, type TrackerOp } from './tracker/target.js';
import { issueTitle } from './tracker/titles.js';

const STATUSES = ['open', 'in_progress', 'closed'] as const;

export default defineScenario({
  name: 'mixed-ops',
  description: 'creates, updates, comments and reads at once: no lost comments, reads parse',
  target: tracker({ preload: 5 }),
  agents: { count: 6, kind: 'session' },
  workload: {
    opsPerAgent: 50,
    jitterMs: [0, 3],
    generate: ({ agent, seq, rng, preloaded }): TrackerOp => {
      const id = String(rng.pick(preloaded).id);
      switch (rng.pick(['create', 'update', 'comment', 'comment', 'show', 'list', 'ready'] as const)) {
        case 'create':
          return { f: 'create', value: { title: issueTitle(agent, seq, rng) } };
        case 'update':
          return { f: 'update', value: { id, status: rng.pick(STATUSES) } };
        case 'comment':
          return { f: 'comment', value: { id } };
        case 'show':
          return { f: 'show', value: { id } };
        case 'list':
          return { f: 'list', value: {} };
        case 'ready':
          return { f: 'ready', value: {} };
      }
    },
  },
  checks: [
    storeParses,
    trackerSet.uniqueIds,
    trackerSet.items,
    trackerCounter.counters,
    readsParse,
    perAgent,
    deadlines,
  ],
});
