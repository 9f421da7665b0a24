// The summary a rebuilt report stands on: the old summary.json with fresh checks and verdict, or,
// when the run died before writing one, a summary assembled from the plan and the history.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { combineVerdicts } from '../run/exit-codes.js';
import { replayCommand, replayDefaults } from '../run/replay.js';
import { runFigures, summarizeAgents, type Summary } from '../run/summary.js';
import type { LoadedRun } from './load-run.js';
import type { Recheck } from './recheck.js';

export function rebuildSummary(loaded: LoadedRun, recheck: Recheck): Summary {
  const verdict = combineVerdicts(recheck.checks.map((c) => c.verdict));
  const budgets = recheck.budgets ? { budgets: recheck.budgets } : {};
  if (loaded.summary) return { ...loaded.summary, checks: recheck.checks, verdict, runDir: loaded.runDir, ...budgets };

  const { plan, ops } = loaded;
  const totals = { attempted: 0, ok: 0, fail: 0, info: 0 };
  for (const c of loaded.counters) {
    totals.attempted += c.attempted;
    totals.ok += c.ok;
    totals.fail += c.fail;
    totals.info += c.info;
  }
  // History times are ms since the run started, so the last event is a lower bound on its duration.
  let durationMs = 0;
  for (const op of ops) durationMs = Math.max(durationMs, op.end ?? op.start);
  const pending = ops.pending;
  const scenario = recheck.scenario;
  // Unknown defaults (-1) make the replay command spell out every option.
  const defaults = scenario
    ? replayDefaults(scenario)
    : { agents: -1, ops: -1, timeoutMs: -1, runTimeoutMs: -1, params: {} };
  const torn =
    loaded.truncatedHistory.length > 0 ? `; torn history lines dropped in ${loaded.truncatedHistory.join(', ')}` : '';
  return {
    format: 1,
    scenario: plan.scenario,
    seed: plan.seed,
    verdict,
    harnessError: `the run did not finish: no summary.json (${pending} ops left pending)${torn}`,
    stopReason: null,
    checks: recheck.checks,
    agents: summarizeAgents(loaded.health, loaded.counters),
    totals,
    ...runFigures(loaded.health, totals, durationMs),
    options: plan.options,
    code: plan.code,
    startedAt: statSync(join(loaded.runDir, 'plan.json')).mtime.toISOString(),
    runDir: loaded.runDir,
    replay: replayCommand(plan, defaults, 'npx'),
    ...budgets,
  };
}
