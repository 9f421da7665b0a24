// scenario + seed + options -> Plan. Pure: no clock, no I/O; everything random comes from the seed.
import type { Scenario } from '../scenario.js';
import type { AgentPlan, Plan, PlannedKill, PlannedOp, PlannedOps, PreloadItem, RunOptions } from '../types.js';
import { faultInfo, OP_FAULT_RATE } from '../faults/catalog.js';
import { createRng } from './rng.js';
import { deriveSeed, STREAM } from './seed.js';

export interface PlanRequest {
  scenario: Scenario;
  /** A suite name or an absolute scenario file path; recorded so `repro` can find the scenario again. */
  scenarioSource: string;
  seed: number;
  options: RunOptions;
  code: Plan['code'];
}

/** The plan with every op in memory: for tests and small tools (`planRun`). */
export function buildPlan(req: PlanRequest): Plan {
  return planWith(req, (generate) => [...generate()]);
}

/**
 * The same plan, its ops generated afresh on every pass instead of held. A run reads each agent's ops from
 * it once, while writing plan.json (writePlanFile), and from then on reads them back from that file.
 */
export function planLazily(req: PlanRequest): Plan {
  return planWith(req, (generate, length) => ({ length, [Symbol.iterator]: generate }));
}

type OpsOf = (generate: () => Generator<PlannedOp, void>, length: number) => PlannedOps;

function planWith(req: PlanRequest, opsOf: OpsOf): Plan {
  const { scenario, seed, options } = req;
  for (const fault of options.faults) faultInfo(fault); // unknown names fail here, before anything runs
  const preload: PreloadItem[] = Array.from({ length: scenario.workload.preload ?? 0 }, (_, i) => ({ id: `t-${i + 1}`, title: `preload-${i + 1}` }));
  const faultRng = createRng(deriveSeed(seed, STREAM.faults));
  const processFaults = options.faults.filter((f) => faultInfo(f).scope === 'process');
  const opFaults = options.faults.filter((f) => faultInfo(f).scope === 'op');
  const oneAgentFaults = new Map(options.faults.filter((f) => faultInfo(f).scope === 'one-agent').map((f) => [f, faultRng.int(0, options.agents - 1)]));
  if (scenario.agents.kind === 'exec' && !scenario.target.exec) throw new Error(`scenario ${scenario.name}: target ${scenario.target.name} cannot run exec agents`);

  const agents: AgentPlan[] = [];
  for (let id = 0; id < options.agents; id++) {
    const faults = [...processFaults, ...[...oneAgentFaults].filter(([, agent]) => agent === id).map(([f]) => f)];
    const ops = opsOf(() => agentOps(req, id, preload, opFaults), options.ops);
    agents.push({ id, kind: scenario.agents.kind, thread: id % options.threads, faults, ops });
  }

  const kills: PlannedKill[] = [];
  if (options.faults.includes('kill')) {
    const killRng = createRng(deriveSeed(seed, STREAM.kills));
    const count = Math.max(1, Math.round(options.agents / 4));
    // Spread kills over the early part of the run, where every agent is still busy.
    const window = Math.max(50, Math.min(options.runTimeoutMs / 4, options.ops * 5));
    for (let k = 0; k < count; k++) kills.push({ agent: killRng.int(0, options.agents - 1), atMs: killRng.int(10, window) });
    kills.sort((a, b) => a.atMs - b.atMs || a.agent - b.agent);
  }

  const startOrder = createRng(deriveSeed(seed, STREAM.start)).shuffle(agents.map((a) => a.id));
  return { format: 1, scenario: scenario.name, scenarioSource: req.scenarioSource, seed, options, code: req.code, preload, startOrder, agents, kills };
}

/** One agent's ops, from its own seeded streams alone (so dropping other agents leaves them as they are). */
function* agentOps(req: PlanRequest, id: number, preload: PreloadItem[], opFaults: string[]): Generator<PlannedOp, void> {
  const { scenario, seed, options } = req;
  const rng = createRng(deriveSeed(seed, STREAM.agent, id));
  const opRng = createRng(deriveSeed(seed, STREAM.faults, id));
  const [jMin, jMax] = scenario.workload.jitterMs ?? [0, 0];
  for (let seq = 0; seq < options.ops; seq++) {
    const op = scenario.workload.generate({ agent: id, seq, rng, preload });
    const planned: PlannedOp = { seq, f: op.f, value: op.value, delayMs: seq === 0 ? 0 : rng.int(jMin, jMax) };
    // Draw for every op whether or not a fault is on, so switching faults never shifts the op stream.
    const faultDraw = opRng.float();
    if (op.fault !== undefined) planned.fault = faultInfo(op.fault).name;
    else if (opFaults.length > 0 && faultDraw < OP_FAULT_RATE) planned.fault = opFaults[opRng.int(0, opFaults.length - 1)];
    const exec = scenario.agents.kind === 'exec' ? scenario.target.exec : undefined;
    if (exec) {
      planned.argv = exec.opArgv({ f: op.f, value: op.value });
      // No OS passes a NUL byte in argv: say so at plan time rather than as a spawn failure mid-run.
      if (planned.argv.some((arg) => arg.includes('\0'))) {
        throw new Error(`agent a${id} op #${seq} ${op.f}: its argv contains a NUL byte, which no operating system can pass to a process; send such values through a session agent`);
      }
    }
    yield planned;
  }
}

/** The plan as written to plan.json: stable key order, two-space indent, trailing newline. */
export function serializePlan(plan: Plan): string {
  // Each agent's ops as an array, in the ops member's place (a spread keeps the key order).
  const agents = plan.agents.map((agent) => ({ ...agent, ops: [...agent.ops] }));
  return `${JSON.stringify({ ...plan, agents }, null, 2)}\n`;
}
