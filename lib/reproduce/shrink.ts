// Shrink a failing run: look for fewer agents, fewer ops and fewer faults that still fail at least as
// often, with the same checker failing. A seed fixes each agent's op list independently of the others,
// and shorter op lists are prefixes of longer ones, so a smaller plan is a sub-plan of the original.
import { rmSync } from 'node:fs';
import type { Plan } from '../types.js';
import { run, planRun, type RunRequest, type RunResult } from '../run/run.js';
import { completeReports } from '../report/write-reports.js';
import type { Scenario } from '../scenario.js';
import { planOptions } from './run-folder.js';

export interface ShrinkSize {
  agents: number;
  ops: number;
  faults: string[];
}

export interface Attempt {
  size: ShrinkSize;
  tries: number;
  failures: number;
  accepted: boolean;
  /** A run folder of a failing try, kept for the person to look at. */
  failingRunDir: string | null;
}

export interface ShrinkResult {
  original: Attempt;
  smallest: Attempt;
  attempts: Attempt[];
  /** The checkers that failed in the original: a smaller plan counts only when one of them fails again. */
  checkers: string[];
  plan: Plan;
}

export interface ShrinkRequest {
  scenario: Scenario;
  plan: Plan;
  tries: number;
  resultsDir: string;
  /** The figure budgets the original run was judged by (its summary.json), judged in every try. */
  budgets?: { defaultBudgets?: Record<string, string>; budgetMultiplier?: number; checkBudgets?: false };
  signal?: AbortSignal;
  onAttempt?: (attempt: Attempt) => void;
}

export async function shrink(req: ShrinkRequest): Promise<ShrinkResult> {
  const { plan } = req;
  const checkers = new Set<string>();
  // Each plan's first failing run, by folder: the original's and the smallest's get every report at the end.
  const kept = new Map<string, RunResult>();
  const original = await attempt(
    req,
    { agents: plan.options.agents, ops: plan.options.ops, faults: plan.options.faults },
    req.tries,
    0,
    checkers,
    true,
    kept,
  );
  const attempts: Attempt[] = [original];
  req.onAttempt?.(original);
  if (original.failures === 0) return { original, smallest: original, attempts, checkers: [], plan };

  let best = original;
  // Greedy: in each dimension try the smallest candidate first; any acceptance restarts the search.
  for (let improved = true; improved && !req.signal?.aborted;) {
    improved = false;
    for (const size of candidates(best.size)) {
      if (req.signal?.aborted) break;
      const tried = await attempt(req, size, req.tries, original.failures, checkers, false, kept);
      attempts.push(tried);
      req.onAttempt?.(tried);
      if (tried.accepted) {
        best = tried;
        improved = true;
        break;
      }
    }
  }
  for (const dir of new Set([original.failingRunDir, best.failingRunDir])) {
    const failing = dir === null ? undefined : kept.get(dir);
    if (failing) await completeReports(failing);
  }
  const smallestPlan = await planFor(req, best.size);
  return { original, smallest: best, attempts, checkers: [...checkers], plan: smallestPlan };
}

/** Smaller sizes to try, smallest first within each dimension: agents, then ops, then faults. */
export function candidates(size: ShrinkSize): ShrinkSize[] {
  const out: ShrinkSize[] = [];
  const below = (n: number, options: number[]): number[] =>
    [...new Set(options.filter((x) => x >= 1 && x < n))].sort((a, b) => a - b);
  for (const agents of below(size.agents, [1, 2, Math.floor(size.agents / 2)])) out.push({ ...size, agents });
  for (const ops of below(size.ops, [1, 2, 5, 10, Math.floor(size.ops / 4), Math.floor(size.ops / 2)]))
    out.push({ ...size, ops });
  for (const fault of size.faults) out.push({ ...size, faults: size.faults.filter((f) => f !== fault) });
  return out;
}

function planFor(req: ShrinkRequest, size: ShrinkSize): Promise<Plan> {
  const options = planOptions(req.plan);
  // Fewer agents need no more threads than agents.
  const threads = Math.min(options.threads ?? 1, size.agents);
  return planRun({
    scenario: req.scenario,
    scenarioSource: req.plan.scenarioSource,
    seed: req.plan.seed,
    ...options,
    ...size,
    threads,
    preloaded: req.plan.preloaded ?? [],
  });
}

async function attempt(
  req: ShrinkRequest,
  size: ShrinkSize,
  tries: number,
  needed: number,
  checkers: Set<string>,
  isOriginal: boolean,
  kept: Map<string, RunResult>,
): Promise<Attempt> {
  const plan = isOriginal ? req.plan : await planFor(req, size);
  let failures = 0;
  let failingRunDir: string | null = null;
  let done = 0;
  for (; done < tries && !req.signal?.aborted; done++) {
    // Stop early once this candidate can no longer fail as often as the original.
    if (!isOriginal && failures + (tries - done) < needed) break;
    const request: RunRequest = {
      scenario: req.scenario,
      scenarioSource: plan.scenarioSource,
      plan,
      resultsDir: req.resultsDir,
      ...req.budgets,
    };
    if (req.signal) request.signal = req.signal;
    const result = await run(request);
    const failed = result.summary.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
    const sameBug = isOriginal ? failed.length > 0 : failed.some((name) => checkers.has(name));
    if (isOriginal) for (const name of failed) checkers.add(name);
    if (sameBug && !result.summary.harnessError) {
      failures += 1;
      if (failingRunDir) rmSync(result.runDir, { recursive: true, force: true });
      else {
        failingRunDir = result.runDir;
        kept.set(result.runDir, result);
      }
    } else {
      rmSync(result.runDir, { recursive: true, force: true });
    }
  }
  const accepted = !isOriginal && failures >= needed && failures > 0;
  return { size, tries: done, failures, accepted, failingRunDir };
}
