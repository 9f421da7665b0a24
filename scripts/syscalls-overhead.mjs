// What counting system calls costs: the reference tracker's spawn-per-op (exec) and concurrent-creates
// (session) scenarios, each run with count gates and without (STAMPEDE_SYSCALLS=off), the two interleaved in
// every round on the same seed, and the median ops/s printed side by side. A measurement, not a test:
// nothing here asserts a figure. Needs `npm run build` first, and Linux with strace.
//   node scripts/syscalls-overhead.mjs [--rounds 3] [--agents 4] [--ops 25] [--results DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { run } from '../dist/lib/index.js';
import spawnPerOp from '../dist/stress/spawn-per-op.js';
import concurrentCreates from '../dist/stress/concurrent-creates.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    agents: { type: 'string', default: '4' },
    ops: { type: 'string', default: '25' },
    results: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const agents = Number(values.agents);
const ops = Number(values.ops);
const results = values.results ?? mkdtempSync(join(tmpdir(), 'stampede-syscalls-overhead-'));
// Gates the tracker keeps (a create locks, writes a temp file, fsyncs it and renames it over the store).
const gates = { fsync: '<= 4 per op', rename: '<= 4 per op', open: '< 200 per op' };
const cases = [
  { label: 'exec (spawn-per-op)', scenario: spawnPerOp },
  { label: 'session (concurrent-creates)', scenario: concurrentCreates },
];

const seen = new Map();
for (let round = 0; round < rounds; round++) {
  for (const { label, scenario } of cases) {
    // Alternate which goes first, so neither always runs on a machine the other just warmed (or loaded).
    const order = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    for (const mode of order) {
      process.env.STAMPEDE_SYSCALLS = mode === 'off' ? 'off' : 'require';
      const result = await run({
        scenario: { ...scenario, syscalls: gates },
        seed: 1,
        agents,
        ops,
        resultsDir: results,
      });
      const { summary } = result;
      if (result.exitCode === 2) throw new Error(`${label} ${mode}: harness error: ${summary.harnessError}`);
      const all = summary.latency?.at(-1);
      const key = `${label}\0${mode}`;
      if (!seen.has(key)) seen.set(key, { run: [], window: [], details: '' });
      const s = seen.get(key);
      s.run.push(summary.opsPerSec);
      s.window.push(all?.opsPerSec ?? 0);
      s.details = summary.checks.find((c) => c.name === 'syscalls')?.details ?? s.details;
      process.stderr.write(
        `round ${round + 1} ${label} counting ${mode}: ${summary.opsPerSec} ops/s (${summary.verdict})\n`,
      );
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lines = [
  `${agents} agents x ${ops} ops, seed 1, ${rounds} rounds (medians); ops/s over the run | while ops ran`,
  '',
  '| scenario | without counting | with counting | with / without |',
  '|---|---|---|---|',
];
for (const { label } of cases) {
  const off = seen.get(`${label}\0off`);
  const on = seen.get(`${label}\0on`);
  const ratio = (median(on.run) / median(off.run)).toFixed(2);
  lines.push(
    `| ${label} | ${median(off.run)} \\| ${median(off.window)} | ${median(on.run)} \\| ${median(on.window)} | ${ratio} |`,
  );
}
lines.push('');
for (const { label } of cases) lines.push(`${label}: ${seen.get(`${label}\0on`).details}`);
process.stdout.write(`${lines.join('\n')}\n`);
if (!values.results) rmSync(results, { recursive: true, force: true });
