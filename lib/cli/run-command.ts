// `stampede run`: load every scenario first (a typo fails before anything starts), then run them in turn.
import { existsSync, readFileSync } from 'node:fs';
import { EXIT, worstExitCode, type ExitCode } from '../run/exit-codes.js';
import { run } from '../run/run.js';
import type { Invoker } from '../run/replay.js';
import { loadScenario, suiteNames, type LoadedScenario } from '../scenarios/load.js';
import { progressFor } from '../progress/terminal.js';
import { verdictLines } from './print.js';

export interface RunCommandOptions {
  seed?: number;
  agents?: number;
  ops?: number;
  timeout?: number;
  runTimeout?: number;
  fault?: string[];
  threads?: number;
  results: string;
}

export async function runCommand(refs: string[], options: RunCommandOptions): Promise<ExitCode> {
  const loaded: LoadedScenario[] = [];
  for (const ref of refs.length > 0 ? refs : suiteNames()) loaded.push(await loadScenario(ref));

  // Ctrl-C: stop every agent, write what we have, exit 2. A second Ctrl-C only reminds that we are stopping.
  const interrupt = new AbortController();
  const onSigint = (): void => {
    if (interrupt.signal.aborted) process.stderr.write('stampede: still stopping: killing agents and writing partial results\n');
    else process.stderr.write('\nstampede: interrupted: killing agents and writing partial results\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  const codes: ExitCode[] = [];
  try {
    for (const { scenario, source } of loaded) {
      if (interrupt.signal.aborted) break;
      const result = await run({
        scenario,
        scenarioSource: source,
        seed: options.seed,
        agents: options.agents,
        ops: options.ops,
        timeoutMs: options.timeout,
        runTimeoutMs: options.runTimeout,
        faults: options.fault,
        threads: options.threads,
        resultsDir: options.results,
        progress: progressFor(scenario.name, (line) => process.stderr.write(`${line}\n`)),
        signal: interrupt.signal,
        invoker: invoker(),
      });
      process.stdout.write(`${verdictLines(result.summary).join('\n')}\n`);
      codes.push(result.exitCode);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (interrupt.signal.aborted) codes.push(EXIT.harness);
  return worstExitCode(codes);
}

/** Inside stampede's own checkout the replay command is `npm run stress -- ...`; elsewhere `npx stampede run ...`. */
function invoker(): Invoker {
  if (!existsSync('package.json')) return 'npx';
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name?: string };
  return pkg.name === 'stampede' ? 'npm-run-stress' : 'npx';
}
