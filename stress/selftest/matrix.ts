// The reference tracker's detection matrix: each of its faults against the scenario that should expose
// it, and what "caught it" means. A row is detected in a run when its evidence holds AND no checker outside
// the expected ones failed (a fault caught by the wrong checker is a defect too). The correct tracker must
// pass every run. `npm run matrix` runs it. The exporter daemon's rows (stress/exporter/) follow the
// tracker's: its faults against its own scenario, and the correct daemon.
import { defineMatrix, type MatrixRow } from '../../lib/matrix/define.js';
import { EXPORTER_CORRECT_ROWS, EXPORTER_FAULT_ROWS } from '../exporter/matrix.js';

const MB = 1024 * 1024;
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Tracker knobs for matrix runs: short enough to run hundreds of times. */
const MATRIX_ENV = { TRACKER_SLOW_START_MS: '1000' } as const;

const FAULT_ROWS: MatrixRow[] = [
  {
    fault: 'no-lock',
    scenario: 'concurrent-creates',
    agents: 4,
    ops: 10,
    expected: ['items'],
    alsoAllowed: ['unique-ids', 'per-agent'],
    proves: 'lost items',
  },
  {
    fault: 'no-lock',
    scenario: 'mixed-ops',
    agents: 4,
    ops: 30,
    expected: ['counters'],
    alsoAllowed: ['items', 'unique-ids', 'per-agent'],
    proves: 'lost comment increments',
  },
  {
    fault: 'tmp-collision',
    scenario: 'concurrent-creates',
    agents: 4,
    ops: 10,
    expected: ['items', 'store-parses', 'unique-ids'],
    alsoAllowed: ['per-agent'],
    proves: 'crashed ops and lost items',
  },
  {
    fault: 'counter-race',
    scenario: 'unique-ids',
    agents: 4,
    ops: 10,
    expected: ['unique-ids'],
    alsoAllowed: [],
    proves: 'duplicate ids',
  },
  {
    fault: 'torn-write',
    scenario: 'concurrent-creates',
    agents: 3,
    ops: 8,
    expected: ['store-parses'],
    alsoAllowed: ['items', 'unique-ids', 'per-agent'],
    proves: 'corruption, with the line',
  },
  {
    fault: 'crash-before-rename',
    scenario: 'concurrent-creates',
    agents: 4,
    ops: 25,
    expected: [],
    alsoAllowed: [],
    proves: 'info ops; acknowledged items all present',
    evidence: ({ summary }) => (summary.totals.info > 0 ? null : 'no op ended info'),
  },
  {
    fault: 'hang',
    scenario: 'mixed-ops',
    agents: 4,
    // 5% of 160 ops: a seed planning no hang at all (0.95^160, 1 in 3,700) would prove nothing.
    ops: 40,
    timeoutMs: 500,
    expected: [],
    alsoAllowed: [],
    proves: 'deadline hit, info, tree killed, run ends in time',
    evidence: ({ plan, summary, health }) => {
      if (summary.stopReason) return `run stopped: ${summary.stopReason}`;
      // The deadlines checker (mixed-ops runs it) passing means every planned hang ended info; here, that there was one.
      const planned = (
        summary.checks.find((c) => c.name === 'deadlines')?.data as { plannedHangs?: number } | undefined
      )?.plannedHangs;
      if (planned === undefined) return 'the deadlines check did not run';
      if (planned === 0) return 'no op was planned to hang';
      // An agent with ops after its hang had its process tree killed and a fresh process started.
      for (const agent of plan.agents) {
        let last = -1;
        for (const op of agent.ops) if (op.fault === 'hang') last = op.seq;
        const restarts = health.find((h) => h.agent === agent.id)?.restarts ?? 0;
        if (last >= 0 && last < agent.ops.length - 1 && restarts === 0)
          return `a${agent.id} hung at a planned op but no fresh process was started`;
      }
      return null;
    },
  },
  {
    fault: 'flood',
    scenario: 'spawn-per-op',
    agents: 2,
    ops: 1,
    // 200 MB through two pipes: slow on a loaded machine, and a deadline here would hide what we measure.
    timeoutMs: 60_000,
    expected: [],
    alsoAllowed: [],
    proves: 'no deadlock, output counted, bounded memory',
    evidence: ({ summary }) => {
      const flooder = summary.agents.find((a) => a.stdoutBytes >= 100 * MB && a.stderrBytes >= 100 * MB);
      return flooder ? null : 'no agent had 100 MB counted on both pipes';
    },
  },
  {
    fault: 'slow-start',
    scenario: 'concurrent-creates',
    agents: 3,
    ops: 5,
    expected: [],
    alsoAllowed: [],
    proves: 'the barrier waits; not a failure',
    evidence: ({ plan, health }) => {
      const slow = plan.agents.find((a) => a.faults.includes('slow-start'));
      const arrived = health.find((h) => h.agent === slow?.id)?.arrivedAt ?? null;
      if (!slow || arrived === null) return 'no agent planned to start slowly, or it never arrived';
      if (arrived < Number(MATRIX_ENV.TRACKER_SLOW_START_MS))
        return `the slow agent a${slow.id} arrived after only ${arrived.toFixed(0)} ms`;
      const early = health.filter((h) => (h.firstInvokeAt ?? Infinity) < arrived);
      return early.length === 0
        ? null
        : `an op started before the slow agent arrived: ${early.map((h) => `a${h.agent}`).join(', ')}`;
    },
  },
  {
    fault: 'exit-early',
    scenario: 'concurrent-creates',
    agents: 3,
    ops: 5,
    expected: ['harness-health'],
    alsoAllowed: ['per-agent'],
    proves: 'harness error naming the agent',
    evidence: ({ summary }) => {
      const early = summary.agents.find((a) => a.exit === 'early-exit');
      if (!early) return 'no agent recorded as exiting early';
      return summary.harnessError?.includes(`agent ${early.name}`) ? null : 'the harness error does not name the agent';
    },
  },
  {
    fault: 'kill',
    scenario: 'concurrent-creates',
    agents: 4,
    ops: 25,
    expected: [],
    alsoAllowed: [],
    proves: 'store parses, acknowledged writes present, unknowns counted',
    evidence: ({ plan, summary }) => {
      if (plan.kills.length === 0) return 'no kill was planned';
      if (sum(summary.agents.map((a) => a.restarts)) + summary.totals.info === 0) return 'no kill landed';
      // Every create with an unknown outcome is counted as recovered (present) or absent.
      const items = summary.checks.find((c) => c.name === 'items')?.data as
        { unknown?: number; recovered?: unknown[]; unknownAbsent?: unknown[] } | undefined;
      if (!items || items.unknown === undefined) return 'the items check did not run';
      const counted = (items.recovered?.length ?? 0) + (items.unknownAbsent?.length ?? 0);
      return counted === items.unknown
        ? null
        : `${items.unknown} creates with unknown outcomes, but ${counted} counted as recovered or absent`;
    },
  },
];

/** The correct tracker across the default suite: every run must pass. Sizes kept small for many seeds. */
const CORRECT_ROWS: MatrixRow[] = [
  {
    fault: null,
    scenario: 'concurrent-creates',
    agents: 4,
    ops: 15,
    expected: [],
    alsoAllowed: [],
    proves: 'no false positive',
  },
  {
    fault: null,
    scenario: 'batch-ops',
    agents: 4,
    ops: 15,
    expected: [],
    alsoAllowed: [],
    proves: 'no false positive',
  },
  {
    fault: null,
    scenario: 'mixed-ops',
    agents: 4,
    ops: 20,
    expected: [],
    alsoAllowed: [],
    proves: 'no false positive',
  },
  {
    fault: null,
    scenario: 'unique-ids',
    agents: 4,
    ops: 15,
    expected: [],
    alsoAllowed: [],
    proves: 'no false positive',
  },
  {
    fault: null,
    scenario: 'spawn-per-op',
    agents: 3,
    ops: 3,
    expected: [],
    alsoAllowed: [],
    proves: 'no false positive',
  },
];

export default defineMatrix({
  target: 'tracker',
  faultRows: [...FAULT_ROWS, ...EXPORTER_FAULT_ROWS],
  correctRows: [...CORRECT_ROWS, ...EXPORTER_CORRECT_ROWS],
  env: MATRIX_ENV,
});
