// scenario + seed + options -> Plan. Pure: no clock, no I/O; everything random comes from the seed.
import type { OpContext, Scenario } from '../scenario.js';
import type {
  AgentPlan,
  Json,
  Plan,
  PlannedKill,
  PlannedOp,
  PlannedOps,
  PlannedServiceFault,
  Preloaded,
  RunOptions,
} from '../types.js';
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
  /** What the target's setup said it holds (generate picks from it). */
  preloaded: Preloaded[];
  /** Where the run's system under test lives: exec targets' `opArgv` is told (argv is fixed at plan time). */
  workspace: string;
  runDir: string;
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
  const target = scenario.target;
  const scopeOf = (f: string): string => faultInfo(f, target).scope; // unknown names fail here, before anything runs
  for (const fault of options.faults) scopeOf(fault);
  const faultRng = createRng(deriveSeed(seed, STREAM.faults));
  const processFaults = options.faults.filter((f) => scopeOf(f) === 'process');
  const opFaults = options.faults.filter((f) => scopeOf(f) === 'op');
  const oneAgentFaults = new Map(
    options.faults.filter((f) => scopeOf(f) === 'one-agent').map((f) => [f, faultRng.int(0, options.agents - 1)]),
  );
  if (!target[scenario.agents.kind])
    throw new Error(`scenario ${scenario.name}: target ${target.name} cannot run ${scenario.agents.kind} agents`);

  const agents: AgentPlan[] = [];
  for (let id = 0; id < options.agents; id++) {
    const faults = [...processFaults, ...[...oneAgentFaults].filter(([, agent]) => agent === id).map(([f]) => f)];
    const ops = opsOf(() => agentOps(req, id, opFaults), options.ops);
    agents.push({ id, kind: scenario.agents.kind, thread: id % options.threads, faults, ops });
  }

  const startOrder = createRng(deriveSeed(seed, STREAM.start)).shuffle(agents.map((a) => a.id));
  const plan: Plan = {
    format: 1,
    scenario: scenario.name,
    scenarioSource: req.scenarioSource,
    seed,
    options,
    code: req.code,
    preloaded: req.preloaded,
    startOrder,
    agents,
    kills: planKills(seed, options),
  };
  const serviceFaults = planServiceFaults(seed, options);
  if (serviceFaults.length > 0) plan.serviceFaults = serviceFaults;
  return plan;
}

/** When kills, restarts and pauses land: spread over the early part of the run, where every agent is still busy. */
function faultWindow(options: RunOptions): number {
  return Math.max(50, Math.min(options.runTimeoutMs / 4, options.ops * 5));
}

function planKills(seed: number, options: RunOptions): PlannedKill[] {
  if (!options.faults.includes('kill')) return [];
  const killRng = createRng(deriveSeed(seed, STREAM.kills));
  const count = Math.max(1, Math.round(options.agents / 4));
  const kills: PlannedKill[] = [];
  for (let k = 0; k < count; k++)
    kills.push({ agent: killRng.int(0, options.agents - 1), atMs: killRng.int(10, faultWindow(options)) });
  return kills.sort((a, b) => a.atMs - b.atMs || a.agent - b.agent);
}

/**
 * Two restarts and two pauses per run: each one costs the service a start or a stall. They land in the first
 * half of the fault window, so that a short run still sees them with work before and after.
 */
function planServiceFaults(seed: number, options: RunOptions): PlannedServiceFault[] {
  const rng = createRng(deriveSeed(seed, STREAM.service));
  const window = Math.max(50, faultWindow(options) / 2);
  const out: PlannedServiceFault[] = [];
  if (options.faults.includes('restart'))
    for (let k = 0; k < 2; k++) out.push({ kind: 'restart', atMs: rng.int(10, window) });
  if (options.faults.includes('pause'))
    for (let k = 0; k < 2; k++) out.push({ kind: 'pause', atMs: rng.int(10, window), forMs: rng.int(50, 500) });
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** One agent's ops, from its own seeded streams alone (so dropping other agents leaves them as they are). */
function* agentOps(req: PlanRequest, id: number, opFaults: string[]): Generator<PlannedOp, void> {
  const { scenario, seed, options } = req;
  const rng = createRng(deriveSeed(seed, STREAM.agent, id));
  const opRng = createRng(deriveSeed(seed, STREAM.faults, id));
  const [jMin, jMax] = scenario.workload.jitterMs ?? [0, 0];
  const params = options.params ?? {};
  const exec = scenario.agents.kind === 'exec' ? scenario.target.exec : undefined;
  const ctx: OpContext = {
    agent: id,
    seed,
    workspace: req.workspace,
    runDir: req.runDir,
    faults: options.faults,
    params,
  };
  for (let seq = 0; seq < options.ops; seq++) {
    const op = scenario.workload.generate({ agent: id, seq, rng, preloaded: req.preloaded, params });
    const planned: PlannedOp = {
      seq,
      f: op.f,
      value: (op.value ?? null) as Json,
      delayMs: seq === 0 ? 0 : rng.int(jMin, jMax),
    };
    // Draw for every op whether or not a fault is on, so switching faults never shifts the op stream.
    const faultDraw = opRng.float();
    if (op.fault !== undefined) planned.fault = faultInfo(op.fault, scenario.target).name;
    else if (opFaults.length > 0 && faultDraw < OP_FAULT_RATE)
      planned.fault = opFaults[opRng.int(0, opFaults.length - 1)];
    if (exec) planned.argv = execArgv(exec.opArgv, planned, ctx);
    yield planned;
  }
}

/** An exec op's argv, from the target's opArgv; a value no argv can carry is said at plan time, naming the op. */
export function execArgv(opArgv: (op: never, ctx: OpContext) => string[], op: PlannedOp, ctx: OpContext): string[] {
  const argv = (opArgv as (op: { f: string; value: Json }, ctx: OpContext) => string[])(
    { f: op.f, value: op.value },
    ctx,
  );
  if (!Array.isArray(argv) || argv.some((arg) => typeof arg !== 'string'))
    throw new Error(`agent a${ctx.agent} op #${op.seq} ${op.f}: opArgv must return an array of strings`);
  // No OS passes a NUL byte in argv: say so at plan time rather than as a spawn failure mid-run.
  if (argv.some((arg) => arg.includes('\0'))) {
    throw new Error(
      `agent a${ctx.agent} op #${op.seq} ${op.f}: its argv contains a NUL byte, which no operating system can pass to a process; send such values through a session or client agent`,
    );
  }
  return argv;
}

/** The plan as written to plan.json: stable key order, two-space indent, trailing newline. */
export function serializePlan(plan: Plan): string {
  // Each agent's ops as an array, in the ops member's place (a spread keeps the key order).
  const agents = plan.agents.map((agent) => ({ ...agent, ops: [...agent.ops] }));
  return `${JSON.stringify({ ...plan, agents }, null, 2)}\n`;
}
