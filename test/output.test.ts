// Drain before wait: an agent writing 50 MB to stdout and 50 MB to stderr finishes without deadlock,
// every byte is counted, the logs keep only head and tail, and the harness's memory does not grow with it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { AgentLog } from '../dist/lib/agents/agent-log.js';
import { ChunkReclaimer } from '../dist/lib/agents/chunk-reclaimer.js';
import { BoundedCapture } from '../dist/lib/agents/capture.js';
import { LineSplitter } from '../dist/lib/agents/lines.js';
import { createRng } from '../dist/lib/plan/rng.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const MB = 1024 * 1024;

async function measure(floodBytes: number) {
  const results = tempDir('flood');
  const child = await execa(
    process.execPath,
    [join(FIXTURES, 'measure-run.mjs'), join(FIXTURES, 'flood-scenario.ts'), results],
    {
      cwd: ROOT,
      env: { FIXTURE_FLOOD_BYTES: String(floodBytes) },
      reject: false,
      shell: false,
    },
  );
  expect(child.exitCode, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as {
    exitCode: number;
    runDir: string;
    maxRssBytes: number;
    summary: { agents: { ok: number; stdoutBytes: number; stderrBytes: number }[] };
  };
}

describe('output draining', () => {
  it('keeps head and tail, counts the rest', () => {
    const capture = new BoundedCapture(4, 4);
    capture.push(Buffer.from('0123456789'));
    capture.push(Buffer.from('abcdef'));
    expect(capture.total).toBe(16);
    expect(capture.toBuffer().toString()).toBe('0123\n[... 8 bytes omitted ...]\ncdef');
  });

  it('survives 50 MB on stdout and 50 MB on stderr with bounded memory', async () => {
    const quiet = await measure(1024);
    const flood = await measure(50 * MB);
    const bigger = await measure(200 * MB);
    expect(flood.exitCode).toBe(0);
    const agent = flood.summary.agents[0];
    expect(agent?.ok).toBe(1);
    expect(agent?.stdoutBytes).toBe(50 * MB);
    expect(agent?.stderrBytes).toBe(50 * MB);
    // The logs are bounded: head + tail + a marker, not 50 MB.
    for (const stream of ['stdout', 'stderr']) {
      const log = join(flood.runDir, 'agents', `a0.${stream}.log`);
      expect(statSync(log).size).toBeLessThan(200 * 1024);
      expect(readFileSync(log, 'utf8')).toMatch(/\[\.\.\. \d+ bytes omitted \.\.\.\]/);
    }
    // Memory does not follow output: 300 MB more output through the pipes costs (next to) nothing more,
    // and the 50 MB run stays well under what holding its 100 MB would take. (Peak RSS includes chunks
    // waiting for the garbage collector, hence the allowance.)
    expect(bigger.summary.agents[0]?.stdoutBytes).toBe(200 * MB);
    expect(bigger.maxRssBytes - flood.maxRssBytes).toBeLessThan(32 * MB);
    expect(flood.maxRssBytes - quiet.maxRssBytes).toBeLessThan(80 * MB);
  });
});

/** Deterministic floats in [0, 1) from the project's own seeded stream. */
function rng(seed: number): () => number {
  const stream = createRng(seed);
  return () => stream.float();
}

/** What a capture or log must keep, computed the obvious way from all the bytes. */
function expected(all: Buffer, head: number, tail: number): string {
  const kept = all.subarray(0, head);
  const rest = all.subarray(kept.length);
  const end = rest.subarray(Math.max(0, rest.length - tail));
  const omitted = all.length - kept.length - end.length;
  return Buffer.concat([
    kept,
    omitted > 0 ? Buffer.from(`\n[... ${omitted} bytes omitted ...]\n`) : Buffer.alloc(0),
    end,
  ]).toString('latin1');
}

const LIMITS = [
  [4, 4],
  [0, 16],
  [16, 0],
  [0, 0],
  [100, 37],
  [1024, 4096],
] as const;

/** Random chunks (mostly small, some larger than any limit), fed to `push`; returns all the bytes. */
function feed(random: () => number, push: (chunk: Buffer) => void): Buffer {
  const chunks: Buffer[] = [];
  const n = Math.floor(random() * 30);
  for (let i = 0; i < n; i++) {
    const size = Math.floor(random() * (random() < 0.2 ? 9000 : 40));
    const chunk = Buffer.alloc(size);
    for (let j = 0; j < size; j++) chunk[j] = Math.floor(random() * 256);
    chunks.push(chunk);
    push(chunk);
  }
  return Buffer.concat(chunks);
}

describe('AgentLog', () => {
  it('writes to its file the same bytes as the whole output would give, for any chunking', () => {
    const random = rng(12);
    const dir = tempDir('agent-log');
    for (const [head, tail] of LIMITS) {
      for (let round = 0; round < 20; round++) {
        const path = join(dir, `h${head}-t${tail}-r${round}.log`);
        const log = new AgentLog(path, head, tail);
        const all = feed(random, (chunk) => log.push(chunk));
        const want = expected(all, head, tail);
        expect(log.total).toBe(all.length);
        // Read back before closing (an agent's last words in an error message) and after.
        expect(log.kept().toString('latin1'), `kept: head ${head} tail ${tail} round ${round}`).toBe(want);
        log.close();
        expect(readFileSync(path).toString('latin1'), `file: head ${head} tail ${tail} round ${round}`).toBe(want);
      }
    }
  });

  it('creates an empty file for a silent stream, and says which file it could not write', () => {
    const dir = tempDir('agent-log');
    const silent = new AgentLog(join(dir, 'silent.log'), 4, 4);
    silent.close();
    expect(readFileSync(join(dir, 'silent.log'), 'utf8')).toBe('');
    const nowhere = join(dir, 'no-such-folder', 'a1.stderr.log');
    const broken = new AgentLog(nowhere, 4, 4);
    broken.push(Buffer.from('lost words'));
    // The bytes are still counted; the failure comes out at close, with the path.
    expect(broken.total).toBe(10);
    expect(() => broken.close()).toThrow(`could not write the log ${nowhere}`);
    expect(existsSync(nowhere)).toBe(false);
  });
});

describe('ChunkReclaimer', () => {
  it('asks for a young-generation collection every so many bytes read, and leaves gc unexposed', () => {
    const reclaimer = new ChunkReclaimer(64 * 1024);
    expect(reclaimer.active).toBe(true);
    for (let i = 0; i < 100; i++) reclaimer.read(16 * 1024);
    expect(reclaimer.collections).toBe(25);
    // The flag is on only while its one context is made: the process and later contexts do not see gc.
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});

describe('BoundedCapture', () => {
  it('keeps the same bytes as the whole output would give, for any chunking', () => {
    const random = rng(11);
    for (const [head, tail] of LIMITS) {
      for (let round = 0; round < 20; round++) {
        const capture = new BoundedCapture(head, tail);
        const all = feed(random, (chunk) => capture.push(chunk));
        expect(capture.total).toBe(all.length);
        expect(capture.toBuffer().toString('latin1'), `head ${head} tail ${tail} round ${round}`).toBe(
          expected(all, head, tail),
        );
        expect(capture.headText()).toBe(all.subarray(0, head).toString('utf8'));
        expect(capture.overflowed).toBe(all.length > head);
        expect(capture.omitted).toBe(Math.max(0, all.length - head - tail));
      }
    }
  });

  it('copies what it keeps: a pipe chunk it took a few bytes of is not kept alive by it', () => {
    const capture = new BoundedCapture(4, 4);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    capture.push(chunk);
    chunk.fill('b');
    expect(capture.toBuffer().toString()).toBe(`aaaa\n[... ${64 * 1024 - 8} bytes omitted ...]\naaaa`);
  });
});

describe('LineSplitter', () => {
  it('gives whole lines, however the bytes were chunked, and reports an overlong one', () => {
    const text = 'one\r\ntwo €uro\n\nthree-' + 'x'.repeat(50) + '\nfour\n';
    const bytes = Buffer.from(text);
    const want = ['one', 'two €uro', '', `three-${'x'.repeat(50)}`, 'four'];
    // Every split point, including inside the 3-byte '€'.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got: string[] = [];
      const splitter = new LineSplitter(
        1000,
        (line) => got.push(line),
        () => got.push('OVERLONG'),
      );
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      expect(got, `cut at ${cut}`).toEqual(want);
    }
    const overlong: number[] = [];
    const splitter = new LineSplitter(
      10,
      () => undefined,
      (n) => overlong.push(n),
    );
    splitter.push(Buffer.from('x'.repeat(25)));
    expect(overlong).toEqual([25]);
  });
});
