// Helpers for describing a target whose agents are Node scripts.
import { existsSync } from 'node:fs';
import type { ExecAgentSpec, SessionAgentSpec } from '../scenario.js';
import type { OpLike } from '../types.js';

/** A session agent that is `node <script> ...args`, with the same Node that runs the harness. */
export function nodeSession(script: string, args: string[] = []): SessionAgentSpec {
  return { command: process.execPath, args: [script, ...args] };
}

/** An exec agent that is `node <script> ...args ...opArgv(op)`. */
export function nodeExec<O extends OpLike>(
  script: string,
  opArgv: ExecAgentSpec<O>['opArgv'],
  args: string[] = [],
): ExecAgentSpec<O> {
  return { command: process.execPath, args: [script, ...args], opArgv };
}

/** Throw a readable error now if a script the target needs is not there. */
export function requireFile(path: string, hint: string): string {
  if (!existsSync(path)) throw new Error(`${path} does not exist (${hint})`);
  return path;
}
