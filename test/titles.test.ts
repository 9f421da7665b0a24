// No shell anywhere: titles with quotes, $(...), backticks, spaces, newlines and non-ASCII reach the
// target byte for byte, through exec agents (argv) and session agents (JSON lines) alike.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../dist/lib/index.js';
import type { StoreSnapshot } from '../stress/tracker/store.js';
import { FIXTURES, onlyRunDir, stampede, tempDir } from './helpers.js';

describe.each(['exec', 'session'])('titles through %s agents', (kind) => {
  it('arrive byte for byte', async () => {
    const results = tempDir(`titles-${kind}`);
    const run = await stampede(['run', join(FIXTURES, `titles-${kind}.ts`), '--seed', '3', '--results', results]);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const dir = onlyRunDir(results);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as StoreSnapshot;
    const planned = plan.agents.flatMap((a) => a.ops.map((op) => (op.value as { title: string }).title)).sort();
    const stored = state.items.map((i) => i.title).sort();
    expect(stored).toEqual(planned);
    expect(planned.some((t) => t.includes('$(echo injected)'))).toBe(true);
    expect(planned.some((t) => t.includes('\n'))).toBe(true);
    expect(planned.some((t) => t.includes('日本語'))).toBe(true);
    // The raw bytes on disk hold the same UTF-8 (no re-encoding on the way).
    const raw = readFileSync(join(dir, 'workspace', 'issues.jsonl'));
    expect(raw.includes(Buffer.from('héllo ✓ 日本語 🚀', 'utf8'))).toBe(true);
  });
});
