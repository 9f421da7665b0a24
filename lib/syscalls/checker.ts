// syscalls: the scenario's count gates over the system calls its processes made (strace's tables). A miss is
// a budget miss (`kind: 'budget'`): the system did more (or fewer) fsyncs than it promised, which is its own
// kind of failure, never a lost update. Counts do not depend on the machine's speed.
//
// Per op: ops are the attempted ops (acknowledged or not: a failed op did its work, an unknown one may have).
//   exec agents  each op's process has its own table, so each op is held to the gate alone (the findings
//                name the ops over it), and the figure shown is the mean over the counted ops. An op whose
//                table was lost (its process killed at a deadline) is an unknown op, like an `info` one: too
//                many of them (above the scenario's maxUnknownRatio) make the verdict unknown.
//   session      the agents' tables added up, over the attempted ops.
//   service      its tables added up, over the attempted ops, added to the agents' figure. With a service an
//                exec op's own process is not the whole op, so only the run's figure is held to the gate.
// Over the run (`'<= 10'`): every table added up. A session process or service life whose table was lost
// makes a figure a lower bound: it can still break an upper limit, but it cannot pass one (unknown).
import type { CheckInput, CheckResult, Checker, Finding, Json, Verdict } from '../types.js';
import { MAX_FINDINGS, plural } from '../checkers/words.js';
import { combineVerdicts } from '../run/exit-codes.js';
import { judgeFigure, keeps, type SyscallGate } from './gates.js';
import type { CallCounts } from './parse-table.js';
import { callsOf, foldTables } from './tables.js';

export const SYSCALLS_CHECK = 'syscalls';

/** What the checker needs to know of the run's shape. */
export interface TracedShape {
  /** The run's syscalls folder, where strace wrote its tables. */
  dir: string;
  agentKind: 'exec' | 'session' | 'client';
  hasService: boolean;
}

interface OpExtremes {
  max: { calls: number; agent: number; seq: number } | null;
  min: { calls: number; agent: number; seq: number } | null;
  over: number;
  findings: Finding[];
}

export function syscallsChecker(gates: readonly SyscallGate[], shape: TracedShape): Checker {
  return {
    name: SYSCALLS_CHECK,
    description: "the system calls the target made (counted by strace) keep to the scenario's count gates",
    readsState: false,
    check: (input) => checkCounts(gates, shape, input),
  };
}

function checkCounts(gates: readonly SyscallGate[], shape: TracedShape, input: CheckInput): CheckResult {
  const eachOp = shape.agentKind === 'exec' && !shape.hasService;
  const perOpGates = eachOp ? gates.filter((g) => g.per === 'op') : [];
  const extremes = new Map<SyscallGate, OpExtremes>(
    perOpGates.map((g) => [g, { max: null, min: null, over: 0, findings: [] }]),
  );
  const tables = foldTables(shape.dir, (op, calls) => {
    for (const gate of perOpGates) noteOp(extremes.get(gate) as OpExtremes, gate, op, calls);
  });

  const attempted = input.counters.reduce((sum, c) => sum + c.attempted, 0);
  const processes = input.health.reduce((sum, h) => sum + h.processes, 0);
  // Lost: started under strace, no whole table. Exec: ops without a table; session: processes without one.
  const lostAgents =
    shape.agentKind === 'exec'
      ? Math.max(0, attempted - tables.agentTables)
      : shape.agentKind === 'session'
        ? Math.max(0, processes - tables.agentTables)
        : 0;
  const lives = input.service ? (input.service.started ? 1 + input.service.restarts : 0) : 0;
  const lostService = Math.max(0, lives - tables.serviceTables);
  const unknownOpsRatio = attempted > 0 ? lostAgents / attempted : 0;

  const rows: Json[] = [];
  const words: string[] = [];
  const verdicts: Verdict[] = [];
  const findings: Finding[] = [];
  /** Each miss in a few words, for the run's verdict line: `fsync 3 per op > 1`, as the budgets checker says `p95 312 ms > 200 ms`. */
  const misses: string[] = [];
  for (const gate of gates) {
    const agentCalls = callsOf(tables.agents, gate.calls);
    const serviceCalls = callsOf(tables.service, gate.calls);
    const total = agentCalls + serviceCalls;
    const row: { [key: string]: Json } = { kind: gate.kind, calls: [...gate.calls], budget: gate.text, total };
    let verdict: Verdict;
    let said: string;
    let after = '';
    if (gate.per === 'run') {
      verdict = judgeFigure(total, gate, lostAgents + lostService > 0);
      said = `${gate.kind}: ${plural(total, 'call')} over the run`;
    } else if (attempted === 0) {
      verdict = 'unknown';
      said = `${gate.kind}: no op was attempted, so there is no figure per op`;
    } else if (shape.agentKind === 'exec' && tables.agentTables === 0) {
      verdict = 'unknown';
      said = `${gate.kind}: no op's process left a whole count (all were killed?)`;
    } else {
      const agentOps = shape.agentKind === 'exec' ? tables.agentTables : attempted;
      const perOp = (shape.agentKind === 'client' ? 0 : agentCalls / agentOps) + serviceCalls / attempted;
      row.perOp = round(perOp);
      said = `${gate.kind}: ${plural(total, 'call')}, ${round(perOp)} per op`;
      const ops = extremes.get(gate);
      if (ops) {
        // Each op alone; its mean follows. Lost ops are unknown ops: a few are tolerated, as in any checker.
        row.maxPerOp = ops.max?.calls ?? null;
        row.minPerOp = ops.min?.calls ?? null;
        row.overOps = ops.over;
        verdict = ops.over > 0 ? 'fail' : unknownOpsRatio > input.maxUnknownRatio ? 'unknown' : 'pass';
        if (ops.over > 0) {
          const worst = gate.comparison.startsWith('>') ? ops.min : ops.max;
          after = ` in ${ops.over} of ${plural(tables.agentTables, 'op')} (worst a${worst?.agent} op ${worst?.seq}: ${worst?.calls})`;
          misses.push(`${gate.kind} ${worst?.calls} in a${worst?.agent} op ${worst?.seq} ${broken(gate)}`);
          findings.push(...ops.findings);
        } else if (ops.max && ops.min) said += ` (${spread(gate, ops.min.calls, ops.max.calls)})`;
      } else {
        verdict = judgeFigure(perOp, gate, lostService > 0 || (shape.agentKind === 'session' && lostAgents > 0));
        if (verdict === 'fail') {
          findings.push({ kind: 'budget', label: `${gate.kind}: ${round(perOp)} calls per op, budget ${gate.text}` });
          misses.push(`${gate.kind} ${round(perOp)} per op ${broken(gate)}`);
        }
      }
    }
    if (gate.per === 'run' && verdict === 'fail') {
      findings.push({ kind: 'budget', label: `${gate.kind}: ${total} calls over the run, budget ${gate.text}` });
      misses.push(`${gate.kind} ${total} over the run ${broken(gate)}`);
    }
    row.verdict = verdict;
    verdicts.push(verdict);
    rows.push(row);
    words.push(`${said}, budget ${gate.text}: ${verdict === 'pass' ? 'pass' : verdict.toUpperCase()}${after}`);
  }
  const lost: string[] = [];
  if (lostAgents > 0)
    lost.push(
      shape.agentKind === 'exec'
        ? `${plural(lostAgents, 'op')} not counted (killed before strace wrote its table)`
        : `${plural(lostAgents, 'agent process', 'agent processes')} not counted (killed before strace wrote its table)`,
    );
  if (lostService > 0) lost.push(`${plural(lostService, 'service life', 'service lives')} not counted (killed)`);
  const verdict = combineVerdicts(verdicts);
  const data: { [key: string]: Json } = {
    gates: rows,
    ops: attempted,
    tables: { agents: tables.agentTables, service: tables.serviceTables, broken: tables.broken.length },
    lost: { agents: lostAgents, service: lostService },
    misses,
    agentCalls: asJson(tables.agents),
    serviceCalls: asJson(tables.service),
  };
  const out: CheckResult = {
    name: SYSCALLS_CHECK,
    kind: 'budget',
    verdict,
    details: [...words, ...lost].join('; '),
    data,
  };
  if (findings.length > 0) out.findings = findings.slice(0, MAX_FINDINGS);
  return out;
}

function noteOp(ops: OpExtremes, gate: SyscallGate, op: { agent: number; seq: number }, counts: CallCounts): void {
  const calls = callsOf(counts, gate.calls);
  if (!ops.max || calls > ops.max.calls) ops.max = { calls, ...op };
  if (!ops.min || calls < ops.min.calls) ops.min = { calls, ...op };
  if (keeps(calls, gate)) return;
  ops.over += 1;
  if (ops.findings.length < MAX_FINDINGS)
    ops.findings.push({
      kind: 'budget',
      label: `a${op.agent} op ${op.seq}: ${plural(calls, `${gate.kind} call`)}, budget ${gate.text}`,
      ops: [op],
    });
}

/** The limit a figure broke, said the other way round: `<= 1` broken is `> 1`. */
function broken(gate: SyscallGate): string {
  const opposite = { '<': '>=', '<=': '>', '==': '!=', '>=': '<', '>': '<=' }[gate.comparison];
  return `${opposite} ${gate.limit}`;
}

/** The ops' extremes that matter to the gate: the most in one op for an upper limit, the fewest for a lower one. */
function spread(gate: SyscallGate, min: number, max: number): string {
  if (gate.comparison.startsWith('<')) return `at most ${max} in one op`;
  if (gate.comparison.startsWith('>')) return `at least ${min} in one op`;
  return min === max ? `${max} in every op` : `${min} to ${max} in one op`;
}

function asJson(counts: CallCounts): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
