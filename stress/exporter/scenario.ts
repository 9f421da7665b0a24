// export-visibility — seed 003's event-driven daemon under a storm: 8 client agents at once send
// mutations (each a fresh key) and read the export file the daemon writes. Proves: each mutation is
// visible in the export within 1 s of its ack (p95; checks.ts says why 1 s), a burst is folded into one
// export per 50 ms window, and an export costs one fsync. Run: npm run stress -- stress/exporter/scenario.ts
//   --fault slow-export | no-debounce | fsync-per-record | debounce-reset | restart
import { perAgent } from '../../lib/checkers/index.js';
import { defineScenario } from '../../lib/scenario.js';
import { exportBatching, exportFsyncs, exporterVisibility } from './checks.js';
import { writeKey } from './keys.js';
import { exporterTarget, type ExporterOp } from './target.js';

export default defineScenario({
  name: 'export-visibility',
  description:
    'mutations to an event-driven daemon from many clients: visible in its export within 500 ms, a storm folded',
  target: exporterTarget,
  agents: { count: 8, kind: 'client' },
  workload: {
    opsPerAgent: 60,
    // Reads keep coming for about a second and a half: long enough after most writes to see them late.
    jitterMs: [5, 40],
    generate: ({ agent, seq, rng }): ExporterOp =>
      rng.chance(0.4)
        ? { f: 'set', value: { key: writeKey(agent, seq), value: rng.pick(['x', 'é', '"q"', 'a b', '\n']) } }
        : { f: 'read', value: {} },
  },
  checks: [exporterVisibility.visibility, exportBatching(), exportFsyncs, perAgent],
  budgets: { opTimeoutMs: 5_000, runTimeoutMs: 120_000 },
});
