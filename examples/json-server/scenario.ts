// json-server (npm) as a service, driven by in-process HTTP clients (client.ts): 10 agents each POST new
// records and bump one counter field with GET then PATCH. The set model checks the records, the counter
// model the field. Run: npm run stress -- examples/json-server/scenario.ts
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { counterModel, defineScenario, defineTarget, perAgent, setModel } from 'stampede';

type Op = { f: 'add'; value: { key: string } } | { f: 'incr'; value: { key: 'c' } };
type State = { elements: { id: number; key: string }[]; counters: Record<string, number> };

const bin = createRequire(import.meta.url).resolve('json-server/lib/cli/bin.js');

const jsonServer = defineTarget<Op, State>({
  name: 'json-server',
  setup(ctx) {
    writeFileSync(join(ctx.workspace, 'db.json'), JSON.stringify({ items: [], counters: [{ id: 'c', value: 0 }] }));
  },
  service: (ctx) => ({
    command: process.execPath,
    args: [bin, '--host', '127.0.0.1', '--port', String(ctx.port), join(ctx.workspace, 'db.json')],
    ready: { port: ctx.port },
  }),
  client: { module: fileURLToPath(new URL('./client.ts', import.meta.url)) },
  // Through HTTP while it runs: json-server answers before its file is written.
  async readState(ctx) {
    const origin = `http://${ctx.service?.host}:${ctx.service?.port}`;
    const items = (await (await fetch(`${origin}/items`)).json()) as { id: number; title: string }[];
    const counter = (await (await fetch(`${origin}/counters/c`)).json()) as { value: number };
    return { elements: items.map((i) => ({ id: i.id, key: i.title })), counters: { c: counter.value } };
  },
});

const set = setModel<State>();
const counter = counterModel<State>();

export default defineScenario({
  name: 'json-server-records',
  description:
    'records POSTed by 10 clients at once are all kept with distinct ids; a counter bumped with GET then PATCH keeps every increment',
  target: jsonServer,
  agents: { count: 10, kind: 'client' },
  workload: {
    opsPerAgent: 50,
    generate: ({ agent, seq, rng }) =>
      rng.chance(0.5) ? { f: 'add', value: { key: `a${agent}-${seq}` } } : { f: 'incr', value: { key: 'c' } },
  },
  checks: [...set.checks, counter.counters, perAgent],
});
