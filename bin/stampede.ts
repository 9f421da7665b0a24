#!/usr/bin/env node
// The harness CLI. Exit codes: 0 pass, 1 an invariant failed, 2 usage or harness error, 3 unknown.
import { Command, CommanderError } from 'commander';
import { runCommand } from '../lib/cli/run-command.js';
import { listCommand } from '../lib/cli/list-command.js';
import {
  durationOption,
  faultOption,
  figureOption,
  paramOption,
  positiveInt,
  seedOption,
  shardOption,
  spawnerOption,
  wholeNumber,
} from '../lib/cli/options.js';
import { reproCommand } from '../lib/cli/repro-command.js';
import { huntCommand } from '../lib/cli/hunt-command.js';
import { shrinkCommand } from '../lib/cli/shrink-command.js';
import { matrixCommand } from '../lib/cli/matrix-command.js';
import { reportCommand } from '../lib/cli/report-command.js';
import { mergeCommand } from '../lib/cli/merge-command.js';
import { gateCommand } from '../lib/cli/gate-command.js';
import { packageVersion } from '../lib/run/code-version.js';
import { EXIT } from '../lib/run/exit-codes.js';
import { LIMITS } from '../lib/run/limits.js';
import { HarnessError } from '../lib/run/errors.js';
import { describeFsError } from '../lib/run/fs-errors.js';

/** Repeatable and comma-separated: `--reporter html,junit --reporter markdown`. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

// `stampede list | head`, `stampede run 2>&1 | head`: a reader that goes away is not the command's failure.
// Output to it stops; the command (a run included) carries on, cleans up and exits with its own code. Any
// other output error is said once on the other stream and makes the exit code 2.
let outputFailed = false;
for (const [stream, other] of [
  [process.stdout, process.stderr],
  [process.stderr, process.stdout],
] as const) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || outputFailed) return;
    outputFailed = true;
    other.write(`stampede: cannot write output: ${error.message}\n`);
  });
}
process.on('exit', () => {
  if (outputFailed) process.exitCode = EXIT.harness;
});

/** The flags that shape one run, shared by `run` and `gate`. */
function withRunFlags(command: Command): Command {
  return command
    .option('--agents <n>', 'number of agent processes', positiveInt('--agents', LIMITS.agents))
    .option('--ops <n>', 'ops per agent', positiveInt('--ops', LIMITS.ops))
    .option(
      '--timeout <duration>',
      'per-op deadline (500ms, 30s, 10m; a bare number is ms); on expiry the op is `info` and its process tree is killed',
      durationOption('--timeout', 'ms'),
    )
    .option(
      '--run-timeout <duration>',
      'whole-run deadline (500ms, 30s, 10m; a bare number is ms); reaching it stops the run, verdict unknown unless a check failed',
      durationOption('--run-timeout', 'ms'),
    )
    .option(
      '--fault <name>',
      "switch a fault on (repeatable): the target's own or the harness's kill, restart, pause (see `stampede list --faults <scenario>`)",
      faultOption,
    )
    .option(
      '--param <key=value>',
      'set a scenario parameter (repeatable); recorded in the plan and the replay command',
      paramOption,
    )
    .option(
      '--threads <n>',
      'worker threads driving the agents (default: 1 for exec agents; cores - 1, at most the agents, for session agents)',
      positiveInt('--threads', LIMITS.threads),
    )
    .option(
      '--spawner <kind>',
      "how agents' processes start: native (exec agents by the posix_spawn helper, session agents in a process group of their own through it), node (execa; session agents in sessions of their own) or auto (native where built)",
      spawnerOption,
      'auto',
    );
}

const program = new Command('stampede')
  .description(
    'Many agent processes hammer one program at once; checkers find what broke. Every run is planned from a seed.',
  )
  .version(packageVersion(), '--version', 'print the version and exit')
  .exitOverride()
  // Bad input gets one line, like every other usage error: `stampede: unknown option '--x' (run with --help for usage)`.
  .configureOutput({
    outputError: (text, write) =>
      write(
        `${text
          .trim()
          .replace(/^error: /, 'stampede: ')
          .replace(/\s*\n\s*/g, ' ')} (run with --help for usage)\n`,
      ),
  });

const runCli = program
  .command('run')
  .description('run scenarios (default: the whole default suite) and check the final state')
  .argument(
    '[scenarios...]',
    "scenario files, folders or globs (default: stampede.config.ts's scenarios), or names from the default suite (see `stampede list`)",
  )
  .option('--seed <n>', 'replay the plan of this seed (default: a fresh seed per scenario)', seedOption);
withRunFlags(runCli)
  .option(
    '--repeat <k>',
    'run the same plan k times and print how often it failed',
    positiveInt('--repeat', LIMITS.runs),
  )
  .option(
    '--reporter <names>',
    'reports to write: html, junit, markdown, json (comma-separated or repeated; default all)',
    collect,
  )
  .option(
    '--shard <i/n>',
    'run only every n-th scenario run (counting repeats), from the i-th: for splitting across CI jobs',
    shardOption,
  )
  .option('--results <dir>', "parent folder of run folders (default: the config's, else results)")
  .option('--config <file>', 'a stampede.config.ts (default: the one in the current folder, if any)')
  .option(
    '--json',
    "print each run's summary on stdout as one JSON line instead of the tables (progress stays on stderr)",
  )
  .option('--quiet', 'no progress and no tables: only the last line over all runs, and errors')
  .action(async (scenarios: string[], options) => {
    process.exitCode = await runCommand(scenarios, options);
  });

const gateCli = program
  .command('gate')
  .description(
    "a perf gate: run one plan N times and hold each figure's trimmed mean to its budget (x STAMPEDE_BUDGET_MULTIPLIER)",
  )
  .argument('<scenario>', 'a scenario file, or a name from the default suite')
  .option('--runs <n>', 'runs of the same plan', positiveInt('--runs', LIMITS.runs), 11)
  .option(
    '--trim <k>',
    'runs dropped from each end (lowest and highest figure) before averaging',
    wholeNumber('--trim', LIMITS.runs),
    1,
  )
  .option(
    '--figure <name>',
    "gate on this figure's budget only (repeatable or comma-separated: create.p95, all.errorRatio; default: every figure budget the scenario has)",
    figureOption,
  )
  .option('--seed <n>', 'the plan to run (default: one fresh seed for all runs)', seedOption);
withRunFlags(gateCli)
  .option('--reporter <names>', "each run's reports: html, junit, markdown, json (default all)", collect)
  .option('--results <dir>', "parent folder of the gate's folder (default: the config's, else results)")
  .option('--config <file>', 'a stampede.config.ts (default: the one in the current folder, if any)')
  .option('--json', "print gate.json's content on stdout as one JSON line (every other line goes to stderr)")
  .option('--quiet', 'no progress and no per-run lines: the gate lines and the last line')
  .action(async (scenario: string, options) => {
    process.exitCode = await gateCommand(scenario, options);
  });

program
  .command('report')
  .description('rebuild every report of a run folder from its history and final state, re-running the checkers')
  .argument('<run-dir>', 'a run folder')
  .option('--reporter <names>', 'html, junit, markdown, json (default all)', collect)
  .option('--json', 'print the re-checked summary on stdout as one JSON line instead of the table (notes go to stderr)')
  .option('--quiet', 'no table: one line with the verdict and whether it changed, and errors')
  .action(async (runDir: string, options) => {
    process.exitCode = await reportCommand(runDir, options);
  });

program
  .command('merge')
  .description('one summary.json, junit.xml and summary.md over many runs (CI shards, --repeat)')
  .argument('<run-dirs...>', 'run folders, or folders of run folders')
  .requiredOption('--out <dir>', 'where the merged files go')
  .option('--reporter <names>', 'json, junit, markdown (default all)', collect)
  .option('--json', 'print the merged summary.json on stdout as one JSON line (the words go to stderr)')
  .action(async (dirs: string[], options) => {
    process.exitCode = await mergeCommand(dirs, options);
  });

program
  .command('repro')
  .description('re-run exactly the plan a results folder recorded')
  .argument('<run-dir>', 'a run folder (results/<run-id>)')
  .option('--repeat <k>', 'run it k times and print how often it failed', positiveInt('--repeat', LIMITS.runs))
  .option('--results <dir>', 'parent folder of the new run folders (default: beside <run-dir>)')
  .option(
    '--json',
    "print each run's summary on stdout as one JSON line instead of the tables (progress and the last line go to stderr)",
  )
  .option('--quiet', 'no progress and no tables: only the last line, and errors')
  .action(async (runDir: string, options) => {
    process.exitCode = await reproCommand(runDir, options);
  });

program
  .command('hunt')
  .description('try fresh seeds until one fails or the limits run out; keeps every failing run folder')
  .argument('[scenarios...]', "scenarios to hunt in, round robin (default: stampede.config.ts's scenarios)")
  .option('--runs <n>', 'stop after n runs', positiveInt('--runs', LIMITS.runs), 100)
  .option(
    '--time-limit <duration>',
    'stop after this long (500ms, 30s, 10m, 2h)',
    durationOption('--time-limit', 's'),
    600_000,
  )
  .option('--parallel <p>', 'runs at once', positiveInt('--parallel', LIMITS.parallel), 1)
  .option('--keep-going', 'keep hunting after the first failure, until the limits')
  .option('--agents <n>', 'number of agent processes', positiveInt('--agents', LIMITS.agents))
  .option('--ops <n>', 'ops per agent', positiveInt('--ops', LIMITS.ops))
  .option(
    '--timeout <duration>',
    'per-op deadline (500ms, 30s; a bare number is ms)',
    durationOption('--timeout', 'ms'),
  )
  .option('--fault <name>', 'switch a fault on (repeatable)', faultOption)
  .option('--threads <n>', 'worker threads per run', positiveInt('--threads', LIMITS.threads))
  .option('--results <dir>', "parent folder of run folders (default: the config's, else results)")
  .option('--config <file>', 'a stampede.config.ts (default: the one in the current folder, if any)')
  .option(
    '--json',
    "print each failing run's summary on stdout as one JSON line as it is found (status and the last lines go to stderr)",
  )
  .option('--quiet', 'no status lines and no per-run verdicts: only the closing lines, and errors')
  .action(async (scenarios: string[], options) => {
    process.exitCode = await huntCommand(scenarios, options);
  });

program
  .command('shrink')
  .description('find the smallest plan (fewer agents, ops, faults) that still fails at least as often')
  .argument('<run-dir>', 'a failing run folder')
  .option('--tries <k>', 'runs per candidate plan', positiveInt('--tries', LIMITS.runs), 5)
  .option('--results <dir>', "parent folder of the tries' run folders (default: <run-dir>/../shrink)")
  .option('--json', 'print shrink.json (the original, the smallest and every attempt) on stdout as one JSON line')
  .option('--quiet', 'no line per attempt: only the result, and errors')
  .action(async (runDir: string, options) => {
    process.exitCode = await shrinkCommand(runDir, options);
  });

program
  .command('matrix')
  .description(
    'run every fault against the scenario that should expose it, over many seeds, and print the detection table',
  )
  .argument(
    '[matrix-file]',
    "a .ts/.js file that exports defineMatrix({...}) (default: the reference tracker's self-test)",
  )
  .option('--seeds <n>', 'seeds per fault', positiveInt('--seeds', LIMITS.runs), 20)
  .option(
    '--correct-runs <n>',
    'runs of the correct target, spread over its rows',
    positiveInt('--correct-runs', LIMITS.runs),
    50,
  )
  .option('--base-seed <n>', 'derive every run seed from this one (default: fresh)', seedOption)
  .option('--fault <name>', 'only these faults (repeatable); skips the correct-target rows', faultOption)
  .option('--results <dir>', 'parent folder; the table goes to <dir>/matrix/latest.md', 'results')
  .option(
    '--json',
    'print { baseSeed, results, problems } on stdout as one JSON line instead of the table (progress goes to stderr)',
  )
  .option('--quiet', 'no line per run and no table: only whether every row met the bar, and errors')
  .action(async (file: string | undefined, options) => {
    process.exitCode = await matrixCommand(file, options);
  });

program
  .command('list')
  .description('list the default suite (or the named scenarios), one line per scenario')
  .argument('[scenarios...]', 'scenario names or .ts/.js files (default: the suite)')
  .option('--faults', "list the faults each scenario's target can carry instead")
  .action(async (scenarios: string[], options: { faults?: boolean }) => {
    process.exitCode = await listCommand(scenarios, options);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander rejects is a usage error.
    process.exitCode =
      error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
        ? 0
        : EXIT.harness;
  } else if (error instanceof HarnessError) {
    process.stderr.write(`stampede: ${error.message}\n`);
    process.exitCode = EXIT.harness;
  } else if (describeFsError(error)) {
    // A full disk, a folder without permission, a file where a folder should be: the user's to fix, one line.
    process.stderr.write(`stampede: ${describeFsError(error)}\n`);
    process.exitCode = EXIT.harness;
  } else {
    process.stderr.write(`stampede: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.harness;
  }
}
