// What the memcached example must conclude, over 20 seeds each (`npm run matrix -- examples/memcached/matrix.ts`):
// get-then-set loses updates (caught by `counters` in at least 19 of 20 seeds at 10 agents x 50), incr and
// gets/cas keep every increment (clean in 20 of 20), and a restart of memcached under incr loses the
// counter (a cache keeps nothing across a restart: `counters` must fail).
import { fileURLToPath } from 'node:url';
import { defineMatrix } from 'stampede';

const scenario = fileURLToPath(new URL('./scenario.ts', import.meta.url));
const row = { scenario, agents: 10, ops: 50, alsoAllowed: [] as string[] };

export default defineMatrix({
  target: 'memcached',
  faultRows: [
    {
      ...row,
      fault: null,
      label: 'get-set (client read-modify-write)',
      params: { mode: 'get-set' },
      expected: ['counters'],
      alsoAllowed: ['counter-reads'],
      proves: 'lost updates',
    },
    {
      ...row,
      fault: 'restart',
      label: 'restart under incr',
      params: { mode: 'incr' },
      expected: ['counters'],
      // After a restart the counter starts again from nothing: reads below what was acknowledged before are right to fail.
      alsoAllowed: ['counter-reads'],
      proves: 'a restart loses the counter',
      evidence: ({ summary }) => ((summary.service?.restarts ?? 0) > 0 ? null : 'no restart landed during the run'),
    },
  ],
  correctRows: [
    { ...row, fault: null, label: 'incr', params: { mode: 'incr' }, expected: [], proves: 'no lost increment' },
    {
      ...row,
      fault: null,
      label: 'gets/cas with retry',
      params: { mode: 'cas' },
      expected: [],
      proves: 'no lost increment',
    },
  ],
});
