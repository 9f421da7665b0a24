// Load a run folder (plan, ops, final state, summary, agent health), so reports and checkers can be
// rebuilt from what was recorded. The ops stay on disk and are streamed (OpLog), like a run's. A folder
// left by a crash is still readable: unmerged history parts are merged by time as they are read, and a
// missing summary.json or health.json is rebuilt from what is there, with a note saying so. Nothing in
// the folder is modified here.
import { newHealth } from '../agents/runner.js';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { historyParts } from '../history/merge.js';
import { OpLog } from '../history/op-log.js';
import { fsError } from '../run/fs-errors.js';
import { checkPlanShape } from '../plan/plan-shape.js';
import { HarnessError } from '../run/errors.js';
import type { Summary } from '../run/summary.js';
import type { AgentCounters, AgentExit, AgentHealth, OpStream, Plan, ServiceHealth } from '../types.js';

export type HistorySource = 'history.jsonl' | 'parts' | 'none';
export type HealthSource = 'health.json' | 'summary.json' | 'history';

export interface LoadedRun {
  runDir: string;
  plan: Plan;
  /** Paired ops, streamed from the history on disk (see OpStream). */
  ops: OpLog;
  /** null when state.json is missing (the run died before reading the final state). */
  state: unknown;
  /** The service's health (service.json), when the target had one. */
  service: ServiceHealth | null;
  /** null when summary.json is missing (the run died before writing it). */
  summary: Summary | null;
  health: AgentHealth[];
  counters: AgentCounters[];
  sources: { history: HistorySource; health: HealthSource; counters: 'summary.json' | 'history' };
  /** History files whose torn last line was dropped. */
  truncatedHistory: string[];
  /** What was unusual about this folder, in words (shown in every report). */
  notes: string[];
}

export async function loadRun(dir: string): Promise<LoadedRun> {
  const runDir = resolve(dir);
  if (!existsSync(runDir) || !statSync(runDir).isDirectory())
    throw new HarnessError(`${dir} is not a run folder (no such directory)`);
  const planPath = join(runDir, 'plan.json');
  if (!existsSync(planPath)) throw new HarnessError(`${dir} is not a run folder (no plan.json)`);
  const plan = checkPlanShape(await readJson(planPath), planPath);
  const notes: string[] = [];

  const history = readHistory(runDir, notes);
  const ops = history.ops;

  const statePath = join(runDir, 'state.json');
  const state = existsSync(statePath) ? await readJson(statePath) : null;
  const servicePath = join(runDir, 'service.json');
  const service = existsSync(servicePath) ? ((await readJson(servicePath)) as ServiceHealth) : null;
  if (!state) notes.push('state.json is missing: the run ended before its final state was read');

  const summaryPath = join(runDir, 'summary.json');
  const summary = existsSync(summaryPath) ? checkSummary(await readJson(summaryPath), summaryPath) : null;
  if (!summary) notes.push('summary.json is missing: totals and agent health are rebuilt from the history');

  const counters = summary ? countersFromSummary(summary, plan) : countersFromOps(ops, plan);
  const healthPath = join(runDir, 'health.json');
  let health: AgentHealth[];
  let healthSource: HealthSource;
  if (existsSync(healthPath)) {
    health = checkHealth(await readJson(healthPath), healthPath);
    healthSource = 'health.json';
  } else if (summary) {
    health = healthFromSummary(summary, ops);
    healthSource = 'summary.json';
  } else {
    health = healthFromOps(ops, plan);
    healthSource = 'history';
    notes.push(
      'agent health is guessed from the history (no health.json or summary.json): an agent that finished all its ops counts as ok',
    );
  }

  return {
    runDir,
    plan,
    ops,
    state,
    service,
    summary,
    health,
    counters,
    sources: { history: history.source, health: healthSource, counters: summary ? 'summary.json' : 'history' },
    truncatedHistory: history.truncated,
    notes,
  };
}

interface HistoryRead {
  ops: OpLog;
  source: HistorySource;
  truncated: string[];
}

/**
 * history.jsonl when present. The merge writes it (atomically, by rename) before removing the parts,
 * so when both exist history.jsonl is already complete and the parts are leftovers. Without it, the
 * parts are merged by time as they are read (same order as the merge), and nothing is written.
 */
function readHistory(runDir: string, notes: string[]): HistoryRead {
  const parts = historyParts(runDir);
  const merged = join(runDir, 'history.jsonl');
  if (existsSync(merged)) {
    if (parts.length > 0)
      notes.push(
        `history.jsonl used; ${parts.length} leftover history part(s) ignored (the merge had finished writing)`,
      );
    const ops = openOpLog([merged]);
    if (ops.truncated.length > 0) notes.push('history.jsonl: torn last line dropped');
    return { ops, source: 'history.jsonl', truncated: ops.truncated.length > 0 ? ['history.jsonl'] : [] };
  }
  if (parts.length === 0) {
    notes.push('no history recorded (no history.jsonl and no history parts)');
    return { ops: openOpLog([]), source: 'none', truncated: [] };
  }
  const ops = openOpLog(parts.map((part) => join(runDir, part)));
  const truncated = parts.filter((part) => ops.truncated.includes(join(runDir, part)));
  notes.push(
    `history read from ${parts.length} unmerged part(s) (${parts.join(', ')}): the run did not finish cleanly`,
  );
  if (truncated.length > 0) notes.push(`torn last line dropped in ${truncated.join(', ')}`);
  return { ops, source: 'parts', truncated };
}

/** A history that does not parse or pair is reported as a harness error naming the file. */
function openOpLog(files: string[]): OpLog {
  try {
    return OpLog.open(files);
  } catch (error) {
    rethrowAsHarness(error);
  }
}

function rethrowAsHarness(error: unknown): never {
  throw new HarnessError((error as Error).message);
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // A folder where the file should be, no permission: one line naming the file.
    throw fsError(error, path, 'read');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HarnessError(`${path} does not parse as JSON: ${(error as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// Shape checks: enough to fail with one clear line on a folder that is not a stampede run,
// not a full schema (the files are written by this harness).
function checkSummary(value: unknown, path: string): Summary {
  if (!isObject(value) || value.format !== 1 || !Array.isArray(value.checks) || !Array.isArray(value.agents))
    throw new HarnessError(`${path} is not a stampede summary (format 1)`);
  return value as unknown as Summary;
}

function checkHealth(value: unknown, path: string): AgentHealth[] {
  if (
    !Array.isArray(value) ||
    !value.every((h) => isObject(h) && Number.isInteger(h.agent) && typeof h.exit === 'string')
  ) {
    throw new HarnessError(`${path} is not a list of agent health records`);
  }
  return value as AgentHealth[];
}

function countersFromSummary(summary: Summary, plan: Plan): AgentCounters[] {
  const byId = new Map(summary.agents.map((a) => [a.id, a]));
  return plan.agents.map(({ id }) => {
    const a = byId.get(id);
    return { agent: id, attempted: a?.attempted ?? 0, ok: a?.ok ?? 0, fail: a?.fail ?? 0, info: a?.info ?? 0 };
  });
}

/** Without summary.json the live counters are gone; the history is the next best record (pending counted as info). */
function countersFromOps(ops: OpStream, plan: Plan): AgentCounters[] {
  const counters = plan.agents.map(({ id }) => ({ agent: id, attempted: 0, ok: 0, fail: 0, info: 0 }));
  const byId = new Map(counters.map((c) => [c.agent, c]));
  for (const op of ops) {
    const c = byId.get(op.agent);
    if (!c) continue;
    c.attempted++;
    c[op.outcome === 'pending' ? 'info' : op.outcome]++;
  }
  return counters;
}

function firstInvokes(ops: OpStream): Map<number, number> {
  const first = new Map<number, number>();
  for (const op of ops)
    if (!first.has(op.agent) || op.start < (first.get(op.agent) ?? Infinity)) first.set(op.agent, op.start);
  return first;
}

/** Exits that mean the agent never got as far as the barrier (or never started). */
const BEFORE_BARRIER: ReadonlySet<AgentExit> = new Set(['spawn-failed', 'early-exit', 'not-run']);

/** summary.json keeps each agent's exit but not the barrier timings: those come back as null, first invoke from the history. */
function healthFromSummary(summary: Summary, ops: OpStream): AgentHealth[] {
  const first = firstInvokes(ops);
  return summary.agents.map((a) => {
    const h: AgentHealth = {
      agent: a.id,
      spawned: a.exit !== 'spawn-failed' && a.exit !== 'not-run',
      reachedBarrier: !BEFORE_BARRIER.has(a.exit),
      exit: a.exit,
      processes: a.processes,
      restarts: a.restarts,
      stdoutBytes: a.stdoutBytes,
      stderrBytes: a.stderrBytes,
      arrivedAt: null,
      releasedAt: null,
      firstInvokeAt: first.get(a.id) ?? null,
    };
    if (a.error !== undefined) h.error = a.error;
    return h;
  });
}

function healthFromOps(ops: OpStream, plan: Plan): AgentHealth[] {
  // One pass: per agent, its ops, how many never completed, and when it first invoked one.
  const seen = new Map<number, { ops: number; pending: number; first: number }>();
  for (const op of ops) {
    const s = seen.get(op.agent);
    if (!s) seen.set(op.agent, { ops: 1, pending: op.outcome === 'pending' ? 1 : 0, first: op.start });
    else {
      s.ops++;
      if (op.outcome === 'pending') s.pending++;
      if (op.start < s.first) s.first = op.start;
    }
  }
  return plan.agents.map((agent) => {
    const own = seen.get(agent.id);
    const ran = own !== undefined;
    const finished = own !== undefined && own.ops === agent.ops.length && own.pending === 0;
    return {
      ...newHealth(agent.id),
      spawned: ran,
      reachedBarrier: ran,
      exit: !ran ? 'not-run' : finished ? 'ok' : 'crashed',
      firstInvokeAt: own?.first ?? null,
    };
  });
}
