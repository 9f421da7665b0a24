// A run's strace tables (its syscalls folder), folded into what the checker needs: the calls of every agent
// process added up, the same for the service, how many tables were whole, and each exec op's own calls
// handed to the caller one at a time (a run of 10,000 ops has 10,000 tables; none is kept).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTable, type CallCounts } from './parse-table.js';
import { tableSource } from './strace-argv.js';

export interface RunTables {
  /** Calls per system call over every agent process whose table was whole (exec ops, session processes). */
  agents: CallCounts;
  /** The same over the service's lives. */
  service: CallCounts;
  /** Whole tables: exec ops, or session processes. */
  agentTables: number;
  serviceTables: number;
  /** Table files that hold no whole count (strace was killed before writing it), by name. */
  broken: string[];
}

export function foldTables(
  dir: string,
  onOp?: (op: { agent: number; seq: number }, calls: CallCounts) => void,
): RunTables {
  const run: RunTables = { agents: {}, service: {}, agentTables: 0, serviceTables: 0, broken: [] };
  if (!existsSync(dir)) return run;
  for (const name of readdirSync(dir).sort()) {
    const source = tableSource(name);
    if (!source) continue;
    const calls = parseTable(readFileSync(join(dir, name), 'utf8'));
    if (!calls) {
      run.broken.push(name);
      continue;
    }
    if (source.source === 'service') {
      run.serviceTables += 1;
      add(run.service, calls);
      continue;
    }
    run.agentTables += 1;
    add(run.agents, calls);
    if (source.source === 'op') onOp?.({ agent: source.agent, seq: source.seq }, calls);
  }
  return run;
}

function add(into: CallCounts, calls: CallCounts): void {
  for (const [call, n] of Object.entries(calls)) into[call] = (into[call] ?? 0) + n;
}

/** The calls a gate counts (a family's members added up). */
export function callsOf(counts: CallCounts, calls: readonly string[]): number {
  let total = 0;
  for (const call of calls) total += counts[call] ?? 0;
  return total;
}
