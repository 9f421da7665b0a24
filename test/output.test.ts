// Drain before wait: an agent writing 50 MB to stdout and 50 MB to stderr finishes without deadlock,
// every byte is counted, the logs keep only head and tail, and the harness's memory does not grow with it.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BoundedCapture } from '../dist/lib/agents/capture.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const MB = 1024 * 1024;

async function measure(floodBytes: number) {
  const results = tempDir('flood');
  const child = await execa(process.execPath, [join(FIXTURES, 'measure-run.mjs'), join(FIXTURES, 'flood-scenario.ts'), results], {
    cwd: ROOT,
    env: { FIXTURE_FLOOD_BYTES: String(floodBytes) },
    reject: false,
    shell: false,
  });
  expect(child.exitCode, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { exitCode: number; runDir: string; maxRssBytes: number; summary: { agents: { ok: number; stdoutBytes: number; stderrBytes: number }[] } };
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
