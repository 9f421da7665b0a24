#!/usr/bin/env node
// The reference tracker's CLI: one process per op (for exec agents and people), plus the
// session-agent entry. Imports stay minimal because every op pays Node's start-up again.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Json } from '../lib/types.js';
import { applyProcessFaults, faultsFromEnv } from '../stress/tracker/faults.js';
import { parseOp, runOp, type TrackerOp } from '../stress/tracker/ops.js';
import { STATUSES, TrackerError, initStore, type Issue } from '../stress/tracker/store.js';

const USAGE = `usage: tracker [--workspace DIR] [--json] <command> [args]

commands:
  init [--preload FILE.json]       create an empty store (FILE: [{"id":"t-1","title":".."}, ...])
  create [--] <title>              print the new id
  update <id> --status <${STATUSES.join('|')}>
  comment <id>                     add one to the issue's comment count
  show <id>                        print one issue
  list                             print every issue
  ready                            print the open issues
  batch <json>                     [{"f":"create","value":{"title":".."}}, {"f":"comment","value":{"id":".."}}, ...]
                                   applied all together or not at all
  session                          run as a session agent (JSON lines on stdin/stdout)

The workspace comes from --workspace or STAMPEDE_WORKSPACE. Put titles that start with '-' after --.
Faults (for stress runs): STAMPEDE_FAULTS, STAMPEDE_OP_FAULT (see stress/tracker/faults.ts).
Tuning: TRACKER_LOCK_TIMEOUT_MS (30000), TRACKER_SLOW_START_MS, TRACKER_FLOOD_BYTES; TRACKER_DEBUG=1 traces.
Exit: 0 ok, 1 op failed, 2 usage; 3, 70, 71 are deliberate fault exits.`;

class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = 'see `tracker --help`',
  ) {
    super(message);
  }
}

/** `tracker: <what> (<hint>)`, on one line whatever the message holds. */
function report(message: string, hint: string): void {
  process.stderr.write(`tracker: ${message.replace(/\r?\n/g, '\\n')} (${hint})\n`);
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function arity(command: string, args: string[], n: number, names: string): void {
  if (args.length !== n)
    throw new UsageError(`${command} takes ${names || 'no arguments'}, got ${args.length} argument(s)`);
}

/** The op a command line asks for. */
function opFromArgv(command: string, args: string[], status: string | undefined): TrackerOp {
  if (status !== undefined && command !== 'update') throw new UsageError(`--status only goes with update`);
  switch (command) {
    case 'create':
      arity(command, args, 1, '<title>');
      return parseOp('create', { title: args[0] });
    case 'update':
      arity(command, args, 1, '<id>');
      if (status === undefined || !(STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`update needs --status ${STATUSES.join('|')}`);
      }
      return parseOp('update', { id: args[0], status });
    case 'comment':
    case 'show':
      arity(command, args, 1, '<id>');
      return parseOp(command, { id: args[0] });
    case 'list':
    case 'ready':
      arity(command, args, 0, '');
      return parseOp(command, {});
    case 'batch': {
      arity(command, args, 1, '<json>');
      let ops: unknown;
      try {
        ops = JSON.parse(args[0]!);
      } catch (e) {
        throw new UsageError(`batch argument is not JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(ops)) throw new UsageError('batch argument must be a JSON array of {f, value}');
      return parseOp('batch', { ops });
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function issueLine(i: Issue): string {
  return `${i.id}\t${i.status}\t${i.comments} comments\t${JSON.stringify(i.title)}`;
}

/** The human-readable form of a result. */
function human(op: TrackerOp, result: Json): string {
  const r = result as Record<string, Json>;
  switch (op.f) {
    case 'create':
    case 'update':
      return String(r.id);
    case 'comment':
      return `${r.id}\t${r.comments} comments`;
    case 'show': {
      const i = result as unknown as Issue;
      return `id: ${i.id}\nstatus: ${i.status}\ncomments: ${i.comments}\ntitle: ${i.title}`;
    }
    case 'list':
    case 'ready':
      return (result as unknown as Issue[]).map(issueLine).join('\n') || '(no issues)';
    case 'batch':
      return (r.ids as string[]).join('\n');
  }
}

function readPreload(file: string): Array<{ id: string; title: string }> {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read preload file ${file}: ${(e as Error).message}`);
  }
  const ok = Array.isArray(data) && data.every((p) => typeof p?.id === 'string' && typeof p?.title === 'string');
  if (!ok) throw new UsageError(`preload file ${file} must be a JSON array of {"id": string, "title": string}`);
  return data as Array<{ id: string; title: string }>;
}

async function main(argv: string[]): Promise<number> {
  // Faults first: an unknown name is a usage error, and exit-early must exit before anything else.
  const faults = faultsFromEnvOrUsage();
  const { values, positionals } = parseArgsOrUsage(argv);
  const [command, ...args] = positionals;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (command === undefined) throw new UsageError('no command');
  if (command === 'session') {
    const { runSession } = await import('../stress/tracker/session.js');
    return runSession(values.workspace);
  }
  const workspace = values.workspace ?? process.env.STAMPEDE_WORKSPACE;
  if (!workspace) throw new UsageError('no workspace', 'pass --workspace DIR or set STAMPEDE_WORKSPACE');
  if (command === 'init') {
    arity(command, args, 0, '');
    initStore(workspace, values.preload === undefined ? [] : readPreload(values.preload));
    print(values.json ? JSON.stringify({ workspace }) : `initialised ${workspace}`);
    return 0;
  }
  if (values.preload !== undefined) throw new UsageError('--preload only goes with init');
  const op = opFromArgv(command, args, values.status);
  await applyProcessFaults(faults, 'exec', process.env);
  const result = await runOp(workspace, op, faults);
  print(values.json ? JSON.stringify(result) : human(op, result));
  return 0;
}

function faultsFromEnvOrUsage(): ReturnType<typeof faultsFromEnv> {
  try {
    return faultsFromEnv(process.env, true);
  } catch (e) {
    throw new UsageError((e as Error).message, 'fix STAMPEDE_FAULTS / STAMPEDE_OP_FAULT');
  }
}

function parseArgsOrUsage(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        workspace: { type: 'string' },
        json: { type: 'boolean' },
        status: { type: 'string' },
        preload: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, "see `tracker --help`; put titles that start with '-' after --");
  }
}

// exitCode, not process.exit(): let stdout drain (a flood can leave megabytes queued on a pipe).
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      report(e.message, e.hint);
      process.exitCode = 2;
    } else if (e instanceof TrackerError) {
      report(e.message, e.hint);
      process.exitCode = 1;
    } else {
      const err = e as Error;
      report(err.message ?? String(e), 'unexpected error; TRACKER_DEBUG=1 prints the stack');
      if (process.env.TRACKER_DEBUG === '1') process.stderr.write(`${err.stack}\n`);
      process.exitCode = 1;
    }
  },
);
