// stampede's public API: define targets and scenarios, run them, and read what they found.
export { defineScenario, defineTarget, DEFAULT_BUDGETS } from './scenario.js';
export { defineConfig, type StampedeConfig } from './config.js';
export type {
  Budgets,
  ScenarioBudgets,
  ClientAgentSpec,
  ExecAgentSpec,
  ExecResults,
  GenerateContext,
  GeneratedOp,
  OpContext,
  Scenario,
  ScenarioInput,
  ServiceInfo,
  ServiceSpec,
  SessionAgentSpec,
  SetupResult,
  Target,
  TargetContext,
  Workload,
} from './scenario.js';
export type * from './types.js';
export { run, planRun, resolveOptions } from './run/run.js';
export type { RunRequest, RunResult } from './run/run.js';
export { reportRun } from './report/report-run.js';
export type { Summary, AgentSummary } from './run/summary.js';
export { EXIT, combineVerdicts } from './run/exit-codes.js';
export { HarnessError } from './run/errors.js';
export { loadScenario, suiteNames } from './scenarios/load.js';
export { createRng, freshSeed, type Rng } from './plan/rng.js';
export { parseSeed, deriveSeed } from './plan/seed.js';
export { serializePlan } from './plan/plan.js';
export { pairHistory, readHistoryFile } from './history/pair.js';
export { OpLog } from './history/op-log.js';
export * from './checkers/index.js';
export {
  budgetsChecker,
  judgeBudgets,
  parseFigureBudget,
  parseFigureBudgets,
  MULTIPLIER_ENV,
  type BudgetResult,
  type Figure,
  type FigureBudget,
  type FigureBudgets,
  type FigureKey,
} from './checkers/budgets.js';
export { trimmedMean, type Trimmed } from './gate/trim.js';
export { asObject, isUnknown, listSome, normaliseId, opName, opRef, plural, quote, result } from './checkers/words.js';
export { setModel, SetVocabulary, type SetModel, type SetElement, type SetModelOptions } from './models/set/index.js';
export {
  counterModel,
  CounterVocabulary,
  type CounterModel,
  type CounterModelOptions,
  type Increment,
} from './models/counter/index.js';
export {
  visibilityModel,
  VisibilityVocabulary,
  seenIn,
  type Seen,
  type VisibilityModel,
  type VisibilityModelOptions,
} from './models/visibility/index.js';
export { HARNESS_FAULTS, faultsFor, type FaultInfo, type FaultScope, type FaultSpec } from './faults/catalog.js';
export { nodeExec, nodeSession, requireFile } from './targets/node-script.js';
export { plainProgress } from './progress/plain.js';
export { terminalProgress, progressFor } from './progress/terminal.js';
export type { ProgressSink } from './progress/progress.js';
export { OpFailed, isOpFailed } from './agents/op-failed.js';
export type { Client, ClientModule } from './agents/client-module.js';
export { defineMatrix, type Matrix, type MatrixRow, type RunEvidence } from './matrix/define.js';
