// The same no-op spawns as the harness's exec agents, with nothing else: `child_process.spawn` in a loop,
// `concurrency` children in flight, both pipes drained. In a fresh process, so the spawning process is as
// small as a Node process gets.
//   node dist/bench/cases/bare-spawn.js '{"program":"/bin/true","total":200,"concurrency":10,"threads":0}'
// threads 0: the main thread spawns. threads K > 0: K worker threads each spawn their share (the shape of
// the harness's pool), while the main thread only waits: this is how the cost of spawning from many
// threads is shown without the harness around it.
// Prints one JSON line: BareSpawnResult.
import { spawn } from 'node:child_process';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface BareSpawnSpec {
  program: string;
  total: number;
  concurrency: number;
  threads: number;
}

export interface BareSpawnResult {
  spawns: number;
  seconds: number;
  spawnsPerSec: number;
  maxRssBytes: number;
}

function spawnOnce(program: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [], { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', () => undefined);
    child.once('error', reject);
    child.once('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${program} exited with ${code ?? signal}`)),
    );
  });
}

async function spawnLoop(program: string, total: number, concurrency: number): Promise<void> {
  let left = total;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (left > 0) {
        left -= 1;
        await spawnOnce(program);
      }
    }),
  );
}

if (isMainThread) {
  const spec = JSON.parse(process.argv[2] ?? '') as BareSpawnSpec;
  let seconds: number;
  if (spec.threads === 0) {
    const start = performance.now();
    await spawnLoop(spec.program, spec.total, spec.concurrency);
    seconds = (performance.now() - start) / 1000;
  } else {
    // Share the spawns and the concurrency out as the harness does (agent i -> thread i % threads).
    const shares = Array.from({ length: spec.threads }, (_, t) => ({
      total: Math.floor(spec.total / spec.threads) + (t < spec.total % spec.threads ? 1 : 0),
      concurrency: Math.max(
        1,
        Math.floor(spec.concurrency / spec.threads) + (t < spec.concurrency % spec.threads ? 1 : 0),
      ),
    }));
    const workers = shares.map(
      (share) => new Worker(new URL(import.meta.url), { workerData: { program: spec.program, ...share } }),
    );
    const message = (worker: Worker): Promise<string> =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    await Promise.all(workers.map(message)); // every thread is up before the clock starts
    const start = performance.now();
    const finished = workers.map(message);
    for (const worker of workers) worker.postMessage('go');
    await Promise.all(finished);
    seconds = (performance.now() - start) / 1000;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  const result: BareSpawnResult = {
    spawns: spec.total,
    seconds,
    spawnsPerSec: spec.total / seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const share = workerData as { program: string; total: number; concurrency: number };
  const port = parentPort;
  if (!port) throw new Error('bare-spawn worker has no parent port');
  port.once('message', () => {
    const work = share.total > 0 ? spawnLoop(share.program, share.total, share.concurrency) : Promise.resolve();
    work.then(
      () => port.postMessage('done'),
      (error: unknown) => {
        throw error;
      },
    );
  });
  port.postMessage('ready');
}
