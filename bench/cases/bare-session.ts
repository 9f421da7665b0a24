// The same no-op session agents as the harness drives, driven by a bare loop in one thread with nothing
// else: spawn N agents, wait for every `ready`, then each agent gets its ops one at a time (write a line,
// read the answer), all agents at once. The op phase is timed from the first write to the last answer.
//   node dist/bench/cases/bare-session.js '{"agent":"/abs/noop-session-agent.mjs","agents":8,"ops":1000}'
// Prints one JSON line: BareSessionResult.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface BareSessionSpec {
  agent: string;
  agents: number;
  ops: number;
}

export interface BareSessionResult {
  ops: number;
  opPhaseMs: number;
  opsPerSec: number;
  meanOpMs: number;
}

interface Agent {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Called with each stdout line. */
  onLine: (line: string) => void;
}

function start(script: string, id: number): Promise<Agent> {
  const child = spawn(process.execPath, [script], {
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: false,
    env: { ...process.env, STAMPEDE_AGENT_ID: String(id) },
  });
  child.stderr.on('data', () => undefined);
  const agent: Agent = { child, onLine: () => undefined };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      agent.onLine(line);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`agent ${id} exited with ${code} before ready`)));
    agent.onLine = (line) => {
      if (line !== '{"type":"ready"}')
        return reject(new Error(`agent ${id}: expected ready, got ${line.slice(0, 200)}`));
      child.removeAllListeners('exit');
      resolve(agent);
    };
  });
}

async function drive(agent: Agent, ops: number): Promise<number> {
  let busy = 0;
  for (let seq = 0; seq < ops; seq++) {
    const sent = performance.now();
    const answer = new Promise<string>((resolve) => (agent.onLine = resolve));
    agent.child.stdin.write(`${JSON.stringify({ type: 'op', id: seq, f: 'noop', value: null })}\n`);
    const line = await answer;
    const message = JSON.parse(line) as { type?: string; id?: number };
    if (message.type !== 'ok' || message.id !== seq)
      throw new Error(`expected ok for op ${seq}, got ${line.slice(0, 200)}`);
    busy += performance.now() - sent;
  }
  return busy;
}

function finish(agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    agent.child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`agent exited with ${code} after stdin closed`)),
    );
    agent.child.stdin.end();
  });
}

const spec = JSON.parse(process.argv[2] ?? '') as BareSessionSpec;
const agents = await Promise.all(Array.from({ length: spec.agents }, (_, id) => start(spec.agent, id)));
const begin = performance.now();
const busy = await Promise.all(agents.map((agent) => drive(agent, spec.ops)));
const opPhaseMs = performance.now() - begin;
await Promise.all(agents.map(finish));
const total = spec.agents * spec.ops;
const result: BareSessionResult = {
  ops: total,
  opPhaseMs,
  opsPerSec: total / (opPhaseMs / 1000),
  meanOpMs: busy.reduce((a, b) => a + b, 0) / total,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
