// timeouts — 4 exec agents x 10 creates; each agent's op #3 hangs forever (before taking the lock).
// Proves: an op past its deadline is recorded `info`, its process tree is killed, the other ops carry
// on, and the run ends in time with a correct verdict.
import { deadlines, perAgent, storeParses } from '../lib/checkers/index.js';
import { defineScenario } from '../lib/scenario.js';
import { trackerSet } from './tracker/model.js';
import { trackerTarget } from './tracker/target.js';
import { issueTitle } from './tracker/titles.js';

export const HANGING_SEQ = 3;

export default defineScenario({
  name: 'timeouts',
  description: 'hanging ops hit their deadline: info, process tree killed, run ends in time',
  target: trackerTarget,
  agents: { count: 4, kind: 'exec' },
  workload: {
    opsPerAgent: 10,
    generate: ({ agent, seq, rng }) => ({
      f: 'create' as const,
      value: { title: issueTitle(agent, seq, rng) },
      ...(seq === HANGING_SEQ ? { fault: 'hang' } : {}),
    }),
  },
  checks: [deadlines, storeParses, trackerSet.uniqueIds, trackerSet.items, perAgent],
  // 3 s: a tracker op (a Node process) takes well under that even on a loaded 2-core machine, so only the
  // planned hangs end `info`.
  budgets: { opTimeoutMs: 3000, runTimeoutMs: 60_000 },
});
