// How exec agents' processes start (lib/agents/launch/): the native spawner (stampede-spawn, posix_spawn)
// and execa give the same results; `auto` takes the native one where it was built; a bad choice is one line
// and exit 2; and a harness killed outright (SIGKILL: no chance to clean up) leaves no agent behind, because
// the native spawner, or for execa the agent reaper (lib/reaper/), kills its children's process groups when
// the harness goes.
import { chmodSync, createReadStream, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { encodeKill, encodeStart, ReplyDecoder, type Reply } from '../dist/lib/agents/launch/frames.js';
import { NativeLauncher } from '../dist/lib/agents/launch/native-launcher.js';
import { FIXTURES, onlyRunDir, readSummary, ROOT, stampede, tempDir } from './helpers.js';

const NATIVE_BUILT = process.platform !== 'win32' && existsSync(join(ROOT, 'dist', 'native', 'stampede-spawn'));

describe('spawner frames', () => {
  it('encodes a start request with lengths, not separators', () => {
    const frame = encodeStart({ id: 7, argv: ['/bin/echo', 'a\nb "c" $(d) é'], env: { A: '1' }, cwd: '/tmp' });
    expect(frame.toString('latin1', 0, 1)).toBe('S');
    expect(frame.readUInt32LE(1)).toBe(frame.length - 5);
    expect(frame.readUInt32LE(5)).toBe(7);
    expect(frame.readUInt32LE(9)).toBe(0); // flags: not gated
    expect(frame.readUInt32LE(13)).toBe(2);
    expect(encodeStart({ id: 7, argv: ['/bin/true'], env: {}, cwd: '/', gated: true }).readUInt32LE(9)).toBe(1);
    expect(frame.includes(Buffer.from('a\nb "c" $(d) é', 'utf8'))).toBe(true);
    expect(encodeKill(9)).toEqual(Buffer.from([0x4b, 4, 0, 0, 0, 9, 0, 0, 0]));
  });

  it('refuses a NUL inside an argument instead of cutting it short', () => {
    expect(() => encodeStart({ id: 1, argv: ['/bin/true', 'a\0b'], env: {}, cwd: '/' })).toThrow(/NUL/);
  });

  it('decodes replies however the pipe cuts them', () => {
    const head = (type: string, body: Buffer): Buffer =>
      Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
    const started = Buffer.alloc(24);
    started.writeUInt32LE(3, 0);
    started.writeUInt32LE(4242, 4);
    started.writeBigUInt64LE(123456789n, 8);
    started.writeBigUInt64LE(123456999n, 16);
    const output = Buffer.concat([Buffer.from([3, 0, 0, 0, 2]), Buffer.from('oops\n')]);
    const exited = Buffer.alloc(17);
    exited.writeUInt32LE(3, 0);
    exited[4] = 1;
    exited.writeUInt32LE(9, 5);
    exited.writeBigUInt64LE(987654321n, 9);
    const failed = Buffer.concat([Buffer.from([4, 0, 0, 0, 2, 0, 0, 0]), Buffer.from('posix_spawn /x: No such file')]);
    const stream = Buffer.concat([head('P', started), head('O', output), head('X', exited), head('F', failed)]);
    const expected: Reply[] = [
      { type: 'started', id: 3, pid: 4242, monotonicNs: 123456789n, ranNs: 123456999n },
      { type: 'output', id: 3, fd: 2, data: Buffer.from('oops\n') },
      { type: 'exited', id: 3, signaled: true, codeOrSignal: 9, monotonicNs: 987654321n },
      { type: 'failed', id: 4, errno: 2, message: 'posix_spawn /x: No such file' },
    ];
    for (let cut = 0; cut <= stream.length; cut++) {
      const got: Reply[] = [];
      const decoder = new ReplyDecoder((reply) => got.push(reply));
      decoder.push(stream.subarray(0, cut));
      decoder.push(stream.subarray(cut));
      expect(got, `cut at ${cut}`).toEqual(expected);
      expect(decoder.leftover).toBe(0);
    }
  });
});

describe.skipIf(!NATIVE_BUILT)('native launcher, driven directly', () => {
  const spec = (args: string[], file = process.execPath) => ({
    file,
    args,
    env: { PATH: process.env.PATH ?? '' },
    cwd: ROOT,
  });
  const collect = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      sinks: {
        stdout: (c: Buffer) => (out.stdout += c.toString()),
        stderr: (c: Buffer) => (out.stderr += c.toString()),
      },
    };
  };

  it('starts, drains both pipes, reports exits and failures, and gates', async () => {
    const launcher = new NativeLauncher(join(ROOT, 'dist', 'native', 'stampede-spawn'));
    await launcher.ready();
    try {
      const plain = collect();
      const title = 'a\nb "c" $(d) `e` é';
      const echo = await launcher.launch(
        spec([
          '-e',
          'process.stdout.write(process.argv[1]); process.stderr.write(process.cwd()); process.exit(3)',
          title,
        ]),
        plain.sinks,
      );
      expect(await echo.exit).toEqual({ exitCode: 3, signal: undefined });
      expect(plain.out).toEqual({ stdout: title, stderr: ROOT.replace(/\/$/, '') });

      await expect(launcher.launch(spec([], '/nonexistent/program'), collect().sinks)).rejects.toThrow(
        /posix_spawn \/nonexistent\/program.*No such file/,
      );
      await expect(launcher.launch(spec([], 'no-such-program-anywhere'), collect().sinks)).rejects.toThrow(
        /not found on the agent's PATH/,
      );

      // A gate killed before it opens: the program never ran, and its end is still reported.
      const waiting = collect();
      const killedGate = await launcher.gate(spec(['-e', 'console.log("ran")']), waiting.sinks);
      await killedGate.kill();
      expect(waiting.out.stdout).toBe('');

      // A gate opened: the program runs then, and its start time is the moment it was let go.
      const gated = collect();
      const gate = await launcher.gate(spec(['-e', 'console.log("ran")']), gated.sinks);
      const before = performance.now();
      const opened = await gate.open();
      expect(opened.pid).toBe(gate.pid);
      expect(opened.startedAt).toBeGreaterThanOrEqual(before - 1);
      expect(await opened.exit).toEqual({ exitCode: 0, signal: undefined });
      expect(gated.out.stdout).toBe('ran\n');

      // Gates opened in the same turn are one batch: one close() lets them all go at the same instant, and
      // each process records when it itself first ran. A gate opened alone lets only its own process go.
      const batch = [collect(), collect(), collect()];
      const gates = await Promise.all(batch.map((c) => launcher.gate(spec(['-e', 'console.log("ran")']), c.sinks)));
      const started = await Promise.all(gates.map((g) => g.open()));
      expect(new Set(started.map((s) => s.startedAt)).size).toBe(1);
      for (const s of started) expect(s.ranAt).toBeGreaterThanOrEqual(s.startedAt);
      for (const s of started) expect(await s.exit).toEqual({ exitCode: 0, signal: undefined });
      expect(batch.map((c) => c.out.stdout)).toEqual(['ran\n', 'ran\n', 'ran\n']);
      const [alone, left] = [collect(), collect()];
      const [aloneGate, leftGate] = await Promise.all(
        [alone, left].map((c) => launcher.gate(spec(['-e', 'console.log("ran")']), c.sinks)),
      );
      expect(await (await aloneGate!.open()).exit).toEqual({ exitCode: 0, signal: undefined });
      await leftGate!.kill();
      expect([alone.out.stdout, left.out.stdout]).toEqual(['ran\n', '']);

      const missing = await launcher.gate(spec([], '/nonexistent/program'), collect().sinks);
      await expect(missing.open()).rejects.toThrow(/exec failed: No such file/);

      // Killing reaches the whole tree: a child that outlives its parent still dies.
      const tree = await launcher.launch(
        spec([
          '-e',
          'require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "inherit" }); setInterval(() => {}, 1e9)',
        ]),
        collect().sinks,
      );
      await tree.kill();
      expect(await tree.exit).toEqual({ exitCode: undefined, signal: 'SIGKILL' });
    } finally {
      await launcher.close();
    }
  });
});

describe('spawner end to end', () => {
  for (const kind of ['native', 'node'] as const) {
    it.skipIf(kind === 'native' && !NATIVE_BUILT)(
      `--spawner ${kind} runs exec agents against the tracker`,
      async () => {
        const results = tempDir(`spawner-${kind}`);
        const done = await stampede([
          'run',
          'spawn-per-op',
          '--agents',
          '3',
          '--ops',
          '3',
          '--seed',
          '11',
          '--spawner',
          kind,
          '--results',
          results,
        ]);
        expect(done.exitCode, done.stderr).toBe(0);
        const summary = readSummary(onlyRunDir(results));
        expect(summary.spawner).toBe(kind);
        expect(summary.totals).toEqual({ attempted: 9, ok: 9, fail: 0, info: 0 });
        if (kind === 'native') {
          // One thread, one helper: the three first ops are let go by one close() of their shared gate, and
          // when each process itself first ran is recorded beside it.
          expect(summary.startSkewMs).toBe(0);
          expect(summary.processSkewMs).toEqual(expect.any(Number));
        } else {
          expect(summary.processSkewMs).toBeNull();
        }
      },
    );
  }

  it.skipIf(!NATIVE_BUILT)('auto takes the native spawner where it was built', async () => {
    const results = tempDir('spawner-auto');
    const done = await stampede([
      'run',
      'spawn-per-op',
      '--agents',
      '2',
      '--ops',
      '1',
      '--seed',
      '12',
      '--results',
      results,
    ]);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(readSummary(onlyRunDir(results)).spawner).toBe('native');
  });

  it('rejects an unknown spawner with one line and exit 2', async () => {
    const done = await stampede(['run', 'spawn-per-op', '--spawner', 'fork']);
    expect(done.exitCode).toBe(2);
    expect(done.stderr.trimEnd()).toMatch(
      /^stampede: .*--spawner must be one of auto, native, node, got "fork" \(run with --help for usage\)$/,
    );
  });

  /** Reads the FIFO the hanging agents hold open; `lines` resolves once n agents wrote, `eof` once no process holds it. */
  function fifoReader(fifo: string, n: number): { lines: Promise<string[]>; eof: Promise<void> } {
    const reader = createReadStream(fifo, { encoding: 'utf8' });
    let text = '';
    const eof = new Promise<void>((resolve, reject) => {
      reader.on('end', resolve);
      reader.on('error', reject);
    });
    const lines = new Promise<string[]>((resolve) => {
      reader.on('data', (chunk) => {
        text += chunk;
        const got = text.split('\n').filter(Boolean);
        if (got.length === n) resolve(got);
      });
    });
    return { lines, eof };
  }

  // A deadline kills the op's whole process tree (the agent and the child it started), on both spawners.
  for (const spawner of ['native', 'node'] as const) {
    it.skipIf(process.platform === 'win32' || (spawner === 'native' && !NATIVE_BUILT))(
      `kills the whole process tree of an op past its deadline (${spawner} spawner)`,
      async () => {
        const dir = tempDir(`deadline-tree-${spawner}`);
        const fifo = join(dir, 'hang.fifo');
        await execa('mkfifo', [fifo]);
        const results = join(dir, 'results');
        const harness = stampede(
          [
            'run',
            join(FIXTURES, 'fifo-hang-scenario.ts'),
            '--seed',
            '1',
            '--timeout',
            '3000',
            '--spawner',
            spawner,
            '--results',
            results,
          ],
          {
            env: { CI: 'true', HANG_FIFO: fifo },
          },
        );
        const { lines, eof } = fifoReader(fifo, 3);
        expect(await lines).toHaveLength(3);
        // End of file: every agent and every grandchild is dead, though nothing but the deadline killed them.
        await eof;
        const done = await harness;
        const summary = readSummary(onlyRunDir(results));
        expect(summary.harnessError, done.stdout + done.stderr).toBeNull();
        expect(summary.totals).toMatchObject({ attempted: 3, info: 3 });
      },
      60_000,
    );
  }

  // native: the spawner kills its children's groups when the harness goes; node: the agent reaper does.
  for (const spawner of ['native', 'node'] as const) {
    it.skipIf(process.platform === 'win32' || (spawner === 'native' && !NATIVE_BUILT))(
      `leaves no agent process behind when the harness is SIGKILLed mid-op (${spawner} spawner)`,
      async () => {
        const dir = tempDir(`spawner-sigkill-${spawner}`);
        const fifo = join(dir, 'hang.fifo');
        await execa('mkfifo', [fifo]);
        const harness = stampede(
          [
            'run',
            join(FIXTURES, 'fifo-hang-scenario.ts'),
            '--seed',
            '1',
            '--spawner',
            spawner,
            '--results',
            join(dir, 'results'),
          ],
          {
            env: { CI: 'true', HANG_FIFO: fifo },
          },
        );
        // Every hanging op (and the grandchild it started) holds the FIFO open for writing.
        const { lines, eof } = fifoReader(fifo, 3);
        expect(await lines).toHaveLength(3);
        harness.kill('SIGKILL');
        const killed = await harness;
        expect(killed.signal).toBe('SIGKILL');
        // End of file: no process holds the FIFO any more; each op's whole tree was killed.
        await eof;
      },
    );
  }
});

describe.skipIf(process.platform === 'win32')('choosing the spawner (auto)', () => {
  it('uses a helper only if it runs here: one built for another machine is refused, saying why', async () => {
    const { probeNative } = await import('../dist/lib/agents/launch/choose.js');
    // What a helper compiled for another architecture looks like to this one: a file the kernel cannot exec.
    const foreign = join(tempDir('foreign-helper'), 'stampede-spawn');
    writeFileSync(foreign, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xff]));
    chmodSync(foreign, 0o755);
    expect(probeNative(foreign)).toMatch(
      /stampede-spawn does not run here \(.*\); exec agents are started with execa$/,
    );
    if (NATIVE_BUILT) expect(probeNative(join(ROOT, 'dist', 'native', 'stampede-spawn'))).toBeNull();
  });

  it("refuses a helper older than --exec-in-own-group (it would read session agents' op lines as requests)", async () => {
    const { probeNative } = await import('../dist/lib/agents/launch/choose.js');
    // An old helper exits 0 on an empty stdin and ignores its arguments: so does /bin/true.
    expect(probeNative('/bin/true')).toBe(
      '/bin/true is older than this stampede (it has no --exec-in-own-group: run `npm run build`); exec agents are started with execa',
    );
  });
});
