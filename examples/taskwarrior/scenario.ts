// taskwarrior (`apt-get install taskwarrior`): 10 agents run `task add` at once, one process per add, each
// in a private TASKRC/TASKDATA. The set model reads the id each add prints ("Created task 7.") and checks
// it against `task export`. Run: npm run stress -- examples/taskwarrior/scenario.ts
//   --param ids=uuid   print and check uuids instead (rc.verbose=new-uuid)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineScenario, defineTarget, perAgent, setModel, type TargetContext } from 'stampede';

type Op = { f: 'add'; value: { key: string } };
type Task = { id: number; uuid: string; description: string };
/** The set model's default state: each task by the id the run printed, keyed by its description. */
type State = { elements: { id: number | string; key: string }[] };

const env = (ctx: TargetContext) => ({ TASKRC: join(ctx.workspace, 'taskrc'), TASKDATA: join(ctx.workspace, 'data') });
const byUuid = (ctx: TargetContext) => ctx.params.ids === 'uuid';

const taskwarrior = defineTarget<Op, State>({
  name: 'taskwarrior',
  exec: {
    command: 'task',
    // `--` so a title like `+tag` or `due:x` stays a title.
    opArgv: (op, ctx) => [
      'rc.confirmation=off',
      `rc.verbose=${byUuid(ctx) ? 'new-uuid' : 'new-id'}`,
      'add',
      '--',
      op.value.key,
    ],
    results: {
      okExitCodes: [0],
      failExitCodes: [1, 2], // 1: nothing matched, 2: usage; anything else (a signal) leaves it unknown
      parse: ({ stdout }) => {
        const id = /^Created task (\S+)\.$/m.exec(stdout)?.[1];
        return id === undefined ? { stdout } : { id: /^\d+$/.test(id) ? Number(id) : id };
      },
    },
  },
  env,
  setup(ctx) {
    writeFileSync(join(ctx.workspace, 'taskrc'), ''); // an rc file, so task never asks to create one
  },
  readState(ctx) {
    const out = execFileSync('task', ['rc.verbose=nothing', 'export'], {
      env: { ...process.env, ...env(ctx) },
      encoding: 'utf8',
    });
    const tasks = JSON.parse(out) as Task[];
    return { elements: tasks.map((t) => ({ id: byUuid(ctx) ? t.uuid : t.id, key: t.description })) };
  },
});

const set = setModel<State>();

export default defineScenario({
  name: 'taskwarrior-add',
  description: 'concurrent `task add`: every task stored once, and the id each add prints names its own task',
  target: taskwarrior,
  agents: { count: 10, kind: 'exec' },
  workload: {
    opsPerAgent: 20,
    generate: ({ agent, seq, rng }) => ({
      f: 'add',
      value: { key: `a${agent}-${seq} ${rng.int(0, 0xffff).toString(16)}` },
    }),
  },
  params: { ids: 'number' },
  checks: [...set.checks, perAgent],
});
