// scenario + seed + options -> Plan. Pure: no clock, no I/O; everything random comes from the seed.
import type { Scenario } from '../scenario.js';
import type { AgentPlan, Plan, PlannedKill, PlannedOp, PreloadItem, RunOptions } from '../types.js';
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

export function buildPlan(req: PlanRequest): Plan {
  const { scenario, seed, options } = req;
  for (const fault of options.faults) faultInfo(fault); // unknown names fail here, before anything runs
  const preload: PreloadItem[] = Array.from({ length: scenario.workload.preload ?? 0 }, (_, i) => ({ id: `t-${i + 1}`, title: `preload-${i + 1}` }));
  const faultRng = createRng(deriveSeed(seed, STREAM.faults));
  const processFaults = options.faults.filter((f) => faultInfo(f).scope === 'process');
  const opFaults = options.faults.filter((f) => faultInfo(f).scope === 'op');
  const oneAgentFaults = new Map(options.faults.filter((f) => faultInfo(f).scope === 'one-agent').map((f) => [f, faultRng.int(0, options.agents - 1)]));

  const agents: AgentPlan[] = [];
  for (let id = 0; id < options.agents; id++) {
    const rng = createRng(deriveSeed(seed, STREAM.agent, id));
    const opRng = createRng(deriveSeed(seed, STREAM.faults, id));
    const [jMin, jMax] = scenario.workload.jitterMs ?? [0, 0];
    const ops: PlannedOp[] = [];
    for (let seq = 0; seq < options.ops; seq++) {
      const op = scenario.workload.generate({ agent: id, seq, rng, preload });
      const planned: PlannedOp = { seq, f: op.f, value: op.value, delayMs: seq === 0 ? 0 : rng.int(jMin, jMax) };
      // Draw for every op whether or not a fault is on, so switching faults never shifts the op stream.
      const faultDraw = opRng.float();
      if (op.fault !== undefined) planned.fault = faultInfo(op.fault).name;
      else if (opFaults.length > 0 && faultDraw < OP_FAULT_RATE) planned.fault = opFaults[opRng.int(0, opFaults.length - 1)];
      if (scenario.agents.kind === 'exec') {
        const exec = scenario.target.exec;
        if (!exec) throw new Error(`scenario ${scenario.name}: target ${scenario.target.name} cannot run exec agents`);
        planned.argv = exec.opArgv({ f: op.f, value: op.value });
        // No OS passes a NUL byte in argv: say so at plan time rather than as a spawn failure mid-run.
        if (planned.argv.some((arg) => arg.includes('\0'))) {
          throw new Error(`agent a${id} op #${seq} ${op.f}: its argv contains a NUL byte, which no operating system can pass to a process; send such values through a session agent`);
        }
      }
      ops.push(planned);
    }
    const faults = [...processFaults, ...[...oneAgentFaults].filter(([, agent]) => agent === id).map(([f]) => f)];
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

/** The plan as written to plan.json: stable key order, two-space indent, trailing newline. */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
