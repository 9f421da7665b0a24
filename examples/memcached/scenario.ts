// memcached (`apt-get install memcached`) as a service, driven by in-process clients (client.ts): 10 agents
// increment one counter 50 times each and now and then read it; the counter model checks the final value
// and every read. Run: npm run stress -- examples/memcached/scenario.ts --param mode=get-set|incr|cas
//   --fault restart   SIGKILL memcached twice mid-run and start it again
import { fileURLToPath } from 'node:url';
import { MemcacheClient } from 'memcache-client';
import { counterModel, defineScenario, defineTarget, perAgent } from 'stampede';

type Op = { f: 'incr'; value: { key: 'counter' } } | { f: 'read'; value: { key: 'counter' } };
type State = { counters: Record<string, number> };

const memcached = defineTarget<Op, State>({
  name: 'memcached',
  service: (ctx) => ({
    command: 'memcached',
    // -u root: memcached refuses to run as root without it (ignored for other users).
    args: ['-p', String(ctx.port), '-l', '127.0.0.1', '-U', '0', '-u', 'root'],
    ready: { port: ctx.port },
  }),
  client: { module: fileURLToPath(new URL('./client.ts', import.meta.url)) },
  async readState(ctx) {
    const mc = new MemcacheClient({ server: `${ctx.service?.host}:${ctx.service?.port}` });
    try {
      const got = await mc.get<string>('counter');
      // Absent after a restart: memcached keeps nothing, and the counter model says what that lost.
      const counters: Record<string, number> = got ? { counter: Number(got.value) } : {};
      return { counters };
    } finally {
      mc.shutdown();
    }
  },
});

const counter = counterModel<State>();

export default defineScenario({
  name: 'memcached-counter',
  description: 'one counter incremented by 10 clients at once: no increment lost, no read out of bounds',
  target: memcached,
  agents: { count: 10, kind: 'client' },
  workload: {
    opsPerAgent: 50,
    jitterMs: [0, 4], // spread the ops out, so the restart nemesis lands mid-run
    generate: ({ rng }) =>
      rng.chance(0.1) ? { f: 'read', value: { key: 'counter' } } : { f: 'incr', value: { key: 'counter' } },
  },
  params: { mode: 'incr' },
  checks: [...counter.checks, perAgent],
  budgets: { opTimeoutMs: 2_000 },
});
