// Two checks on a plan before plan.json is written, each from a small sample of its ops: that the
// scenario's generate is pure (the same seed gives the same ops, or no printed replay can reproduce the
// run), and that the plan fits (a typo'd --ops must not fill the disk before anything runs).
import { statfsSync } from 'node:fs';
import type { Plan, PlannedOp } from '../types.js';
import { MAX_PLAN_BYTES } from '../run/limits.js';

/** Ops of each sampled agent compared and measured: enough to see an impure generate at once, cheap at any size. */
const SAMPLE_OPS = 64;

/** The first ops of the first and the last agent. */
function sample(plan: Plan): { agent: number; ops: PlannedOp[] }[] {
  const ids = [...new Set([0, plan.agents.length - 1])];
  return ids.map((id) => ({ agent: id, ops: first(plan.agents[id]?.ops ?? [], SAMPLE_OPS) }));
}

function first(ops: Iterable<PlannedOp>, n: number): PlannedOp[] {
  const out: PlannedOp[] = [];
  if (n <= 0) return out;
  for (const op of ops) {
    out.push(op);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * `again()` plans the same request a second time. The ops it gives must be the same, op for op: a generate
 * that calls Math.random or Date.now, or keeps a counter between calls, is named here (the run would pass,
 * and its replay command would run something else).
 */
export function checkPure(scenario: string, plan: Plan, again: () => Plan): void {
  const second = again();
  for (const { agent, ops } of sample(plan)) {
    const other = first(second.agents[agent]?.ops ?? [], ops.length);
    for (let i = 0; i < ops.length; i++) {
      const a = JSON.stringify(ops[i]);
      const b = JSON.stringify(other[i]);
      if (a === b) continue;
      throw new Error(
        `scenario ${scenario}: workload.generate is not deterministic: with seed ${plan.seed}, agent a${agent} op #${i} came out ${a.slice(0, 160)} once and ${String(b).slice(0, 160)} the next time; ` +
          'draw every random choice from its rng argument (not Math.random, Date.now or a counter kept between calls), so that a seed replays the run',
      );
    }
  }
}

/** About how many bytes plan.json will take: the sampled ops' mean size times the op count, plus a little per agent. */
export function estimatePlanBytes(plan: Plan): number {
  const sampled = sample(plan).flatMap((s) => s.ops);
  // Written at 6 spaces of indent (plan.agents[i].ops[j]), each line of an op's JSON indented that much more.
  const bytes = sampled.reduce((sum, op) => {
    const json = JSON.stringify(op, null, 2);
    return sum + Buffer.byteLength(json) + json.split('\n').length * 6 + 2;
  }, 0);
  const perOp = sampled.length > 0 ? bytes / sampled.length : 0;
  const ops = plan.agents.reduce((sum, agent) => sum + agent.ops.length, 0);
  return Math.round(perOp * ops + plan.agents.length * 200);
}

/** Refuse a plan bigger than MAX_PLAN_BYTES or than the free space where it is to be written, in one line. */
export function checkPlanFits(plan: Plan, folder: string, maxBytes = MAX_PLAN_BYTES): void {
  const bytes = estimatePlanBytes(plan);
  const ops = plan.options.agents * plan.options.ops;
  const what = `the plan (${plan.options.agents.toLocaleString('en-US')} agents x ${plan.options.ops.toLocaleString('en-US')} ops = ${ops.toLocaleString('en-US')} ops) would take about ${formatBytes(bytes)} in plan.json`;
  if (bytes > maxBytes)
    throw new Error(`${what}, more than the ${formatBytes(maxBytes)} a plan may take; lower --ops or --agents`);
  const stats = statfsSync(folder);
  const free = stats.bavail * stats.bsize;
  // The history takes several times the plan again: a plan that half fills the disk will not finish.
  if (bytes * 2 > free)
    throw new Error(
      `${what}, and ${formatBytes(free)} are free on the results disk (${folder}); free some space, point --results elsewhere, or lower --ops or --agents`,
    );
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
