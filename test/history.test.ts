// The history on disk as the run and `stampede report` read it: the k-way merge of the threads' parts,
// the op stream that pairs invokes with completions as it reads (OpLog), and checkers fed that stream.
// Real files in a temp folder; nothing is mocked.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { allCheckers } from '../lib/checkers/index.js';
import { faultsFor } from '../lib/faults/catalog.js';
import { trackerCounter, trackerSet } from '../stress/tracker/model.js';
import { readsParse } from '../stress/tracker/reads-parse.js';
import { trackerTarget } from '../stress/tracker/target.js';
import { mergeHistoryParts } from '../lib/history/merge.js';
import { OpLog } from '../lib/history/op-log.js';
import { pairHistory } from '../lib/history/pair.js';
import { createRng } from '../lib/plan/rng.js';
import type { AgentCounters, AgentHealth, CheckInput, HistoryEvent, Json, Outcome, Plan } from '../lib/types.js';
import type { Issue } from '../stress/tracker/store.js';
import { ROOT, scratchDirs } from './helpers.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';

const freshDir = scratchDirs();

const lines = (events: readonly HistoryEvent[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join('');

function readEvents(path: string): HistoryEvent[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as HistoryEvent);
}

/** Deterministic floats in [0, 1) from the project's own seeded stream. */
function rng(seed: number): () => number {
  const stream = createRng(seed);
  return () => stream.float();
}

/**
 * One thread's part: its agents run ops one after another, each event at the thread's clock, which
 * often does not move (equal times within a part and across parts are what the merge must keep in order).
 */
function threadEvents(thread: number, agents: number[], opsPerAgent: number, random: () => number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const next = new Map(agents.map((a) => [a, 0]));
  const open = new Map<number, number>();
  let clock = 0;
  const outcomes: Outcome[] = ['ok', 'ok', 'fail', 'info'];
  while ([...next.values()].some((seq) => seq < opsPerAgent) || open.size > 0) {
    clock += random() < 0.5 ? 0 : Math.round(random() * 4) / 2;
    const agent = agents[Math.floor(random() * agents.length)] as number;
    const seq = open.get(agent);
    if (seq !== undefined) {
      const type = outcomes[Math.floor(random() * outcomes.length)] as Outcome;
      const event: HistoryEvent = {
        type,
        agent,
        seq,
        f: 'create',
        value: type === 'ok' ? { id: `t-${thread}-${agent}-${seq}` } : null,
        time: clock,
      };
      if (type !== 'ok') event.error = `thread ${thread} said ${type}`;
      events.push(event);
      open.delete(agent);
    } else if ((next.get(agent) ?? 0) < opsPerAgent) {
      const s = next.get(agent) ?? 0;
      events.push({ type: 'invoke', agent, seq: s, f: 'create', value: { title: `a${agent}-${s}` }, time: clock });
      open.set(agent, s);
      next.set(agent, s + 1);
    }
  }
  return events;
}

describe('merging history parts', () => {
  it('orders events by time like a stable sort: equal times keep part order, then file order', () => {
    const dir = freshDir('merge');
    const random = rng(7);
    // Parts 2 and 10: numerically 2 comes first, whatever the names sort to.
    const parts = [
      { name: 'history.part-0.jsonl', events: threadEvents(0, [0, 3, 6], 40, random) },
      { name: 'history.part-2.jsonl', events: threadEvents(2, [2, 5], 40, random) },
      { name: 'history.part-10.jsonl', events: threadEvents(10, [10, 13], 40, random) },
    ];
    for (const part of parts) writeFileSync(join(dir, part.name), lines(part.events));
    const merged = mergeHistoryParts(dir);
    const expected = parts.flatMap((p) => p.events).sort((a, b) => a.time - b.time);
    expect(readEvents(join(dir, 'history.jsonl'))).toEqual(expected);
    expect(merged).toEqual({ events: expected.length, truncatedParts: [] });
    // Ties across parts did occur, so the order rule was exercised.
    const times = expected.map((e) => e.time);
    expect(new Set(times).size).toBeLessThan(times.length / 2);
    // The parts are removed once history.jsonl is written, and nothing else is left.
    expect(readdirSync(dir)).toEqual(['history.jsonl']);
    // The merged history pairs: every invoke is before its completion.
    expect(pairHistory(expected).filter((op) => op.outcome === 'pending')).toEqual([]);
  });

  it('drops a torn last line and names its part', () => {
    const dir = freshDir('merge-torn');
    const a = threadEvents(0, [0], 5, rng(1));
    const b = threadEvents(1, [1], 5, rng(2));
    writeFileSync(join(dir, 'history.part-0.jsonl'), lines(a));
    writeFileSync(join(dir, 'history.part-1.jsonl'), `${lines(b)}{"type":"invoke","agent":1,"se`);
    const merged = mergeHistoryParts(dir);
    expect(merged.truncatedParts).toEqual(['history.part-1.jsonl']);
    expect(readEvents(join(dir, 'history.jsonl'))).toHaveLength(a.length + b.length);
  });

  it('reads lines longer than its read chunk and characters split across chunks', () => {
    const dir = freshDir('merge-long');
    // 200 kB values of 3-byte characters: every 64 kB read ends inside a line and mostly inside a character.
    const big = '€'.repeat(70_000);
    const events: HistoryEvent[] = [
      { type: 'invoke', agent: 0, seq: 0, f: 'create', value: { title: big }, time: 1 },
      { type: 'ok', agent: 0, seq: 0, f: 'create', value: { id: 't-1', echo: `${big}x` }, time: 2 },
    ];
    writeFileSync(join(dir, 'history.part-0.jsonl'), lines(events));
    mergeHistoryParts(dir);
    expect(readEvents(join(dir, 'history.jsonl'))).toEqual(events);
  });

  it('stops on a bad line in the middle, naming file and line, and leaves the parts as they were', () => {
    const dir = freshDir('merge-bad');
    const a = threadEvents(0, [0], 3, rng(3));
    const text = `${lines(a.slice(0, 2))}{oops\n${lines(a.slice(2))}`;
    writeFileSync(join(dir, 'history.part-0.jsonl'), text);
    expect(() => mergeHistoryParts(dir)).toThrow(/history\.part-0\.jsonl:3: history line does not parse/);
    expect(readdirSync(dir)).toEqual(['history.part-0.jsonl']);
    expect(readFileSync(join(dir, 'history.part-0.jsonl'), 'utf8')).toBe(text);
  });

  it('refuses a part whose times go backwards (a thread writes in time order)', () => {
    const dir = freshDir('merge-backwards');
    const events: HistoryEvent[] = [
      { type: 'invoke', agent: 0, seq: 0, f: 'noop', value: null, time: 5 },
      { type: 'ok', agent: 0, seq: 0, f: 'noop', value: null, time: 4 },
    ];
    writeFileSync(join(dir, 'history.part-0.jsonl'), lines(events));
    expect(() => mergeHistoryParts(dir)).toThrow(/history\.part-0\.jsonl:2: time 4 is before the previous line's 5/);
    expect(existsSync(join(dir, 'history.jsonl'))).toBe(false);
  });
});

describe('the op stream (OpLog)', () => {
  const history: HistoryEvent[] = [
    { type: 'invoke', agent: 0, seq: 0, f: 'create', value: { title: 'a0-0' }, time: 1 },
    { type: 'invoke', agent: 1, seq: 0, f: 'create', value: { title: 'a1-0' }, time: 1.5 },
    { type: 'fail', agent: 1, seq: 0, f: 'create', value: null, error: 'no', time: 2 },
    { type: 'invoke', agent: 2, seq: 0, f: 'show', value: { id: 't-9' }, time: 2.5 },
    { type: 'invoke', agent: 1, seq: 1, f: 'comment', value: { id: 't-1' }, time: 3 },
    { type: 'ok', agent: 0, seq: 0, f: 'create', value: { id: 't-1' }, time: 4, pid: 42 },
    { type: 'info', agent: 1, seq: 1, f: 'comment', value: null, error: 'timed out', time: 5 },
    { type: 'invoke', agent: 0, seq: 1, f: 'list', value: {}, time: 6 },
  ];

  function logOf(events: readonly HistoryEvent[], tail = ''): { log: OpLog; path: string } {
    const dir = freshDir('oplog');
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, lines(events) + tail);
    return { log: OpLog.ofRun(dir), path };
  }

  it('pairs invokes with completions: as they completed, then the pending ones in invoke order', () => {
    const { log } = logOf(history);
    expect(log.count).toBe(5);
    expect(log.pending).toBe(2);
    expect([...log]).toEqual([
      {
        agent: 1,
        seq: 0,
        f: 'create',
        value: { title: 'a1-0' },
        outcome: 'fail',
        result: null,
        error: 'no',
        start: 1.5,
        end: 2,
      },
      {
        agent: 0,
        seq: 0,
        f: 'create',
        value: { title: 'a0-0' },
        outcome: 'ok',
        result: { id: 't-1' },
        start: 1,
        end: 4,
      },
      {
        agent: 1,
        seq: 1,
        f: 'comment',
        value: { id: 't-1' },
        outcome: 'info',
        result: null,
        error: 'timed out',
        start: 3,
        end: 5,
      },
      { agent: 2, seq: 0, f: 'show', value: { id: 't-9' }, outcome: 'pending', result: null, start: 2.5, end: null },
      { agent: 0, seq: 1, f: 'list', value: {}, outcome: 'pending', result: null, start: 6, end: null },
    ]);
    // The same order as pairing the events in memory.
    expect([...log]).toEqual(pairHistory(history));
  });

  it('can be read again and again, the same ops in the same order, and stopped early', () => {
    const { log } = logOf(history);
    const first = [...log];
    for (const op of log) if (op.seq === 0) break;
    expect([...log]).toEqual(first);
    expect([...log]).toEqual(first);
  });

  it('closes its file when a loop stops early', () => {
    const { log } = logOf(history);
    const open = (): number => readdirSync('/proc/self/fd').length;
    if (!existsSync('/proc/self/fd')) return;
    const before = open();
    for (let i = 0; i < 20; i++) for (const op of log) if (op.agent >= 0) break;
    expect(open()).toBe(before);
  });

  it('drops a torn last line of history.jsonl and says so', () => {
    const { log } = logOf(history, '{"type":"ok","agent":0,"seq":1,"f":"li');
    expect(log.truncated).toHaveLength(1);
    expect(log.count).toBe(5);
  });

  it('reads a crashed run from its parts, merged by time as it goes, without writing anything', () => {
    const dir = freshDir('oplog-parts');
    const byThread = [history.filter((e) => e.agent !== 1), history.filter((e) => e.agent === 1)];
    byThread.forEach((events, thread) => writeFileSync(join(dir, `history.part-${thread}.jsonl`), lines(events)));
    const log = OpLog.open(byThread.map((_, thread) => join(dir, `history.part-${thread}.jsonl`)));
    expect([...log]).toEqual(pairHistory(history));
    expect(readdirSync(dir).sort()).toEqual(['history.part-0.jsonl', 'history.part-1.jsonl']);
  });

  it('names the file when the history does not pair', () => {
    const broken = [...history, { type: 'ok', agent: 1, seq: 0, f: 'create', value: null, time: 9 } as HistoryEvent];
    const dir = freshDir('oplog-bad');
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, lines(broken));
    expect(() => OpLog.ofRun(dir)).toThrow(
      new RegExp(
        `${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: history: duplicate completion \\(ok\\) for agent a1 seq 0`,
      ),
    );
  });

  it('holds only the open ops: a long history streams through without its ops piling up', async () => {
    // 60,000 ops of 8 agents with 500-byte values: about 60 MB as objects, were they kept. A child with
    // --expose-gc measures the heap halfway through a pass (after collecting garbage) against before it.
    const dir = freshDir('oplog-long');
    const pad = 'x'.repeat(500);
    const chunks: string[] = [];
    for (let seq = 0; seq < 7500; seq++) {
      const events: HistoryEvent[] = [];
      for (let agent = 0; agent < 8; agent++)
        events.push({
          type: 'invoke',
          agent,
          seq,
          f: 'create',
          value: { title: `${pad}${agent}-${seq}` },
          time: seq * 20 + agent,
        });
      for (let agent = 0; agent < 8; agent++)
        events.push({
          type: 'ok',
          agent,
          seq,
          f: 'create',
          value: { id: `t-${agent}-${seq}`, echo: pad },
          time: seq * 20 + 10 + agent,
        });
      chunks.push(lines(events));
    }
    writeFileSync(join(dir, 'history.jsonl'), chunks.join(''));
    const script = `
      const { OpLog } = await import(${JSON.stringify(join(ROOT, 'dist/lib/history/op-log.js'))});
      const log = OpLog.ofRun(process.argv[1]);
      gc();
      const before = process.memoryUsage().heapUsed;
      let seen = 0, grown = 0;
      for (const op of log) {
        if (++seen === 30000) { gc(); grown = process.memoryUsage().heapUsed - before; }
      }
      console.log(JSON.stringify({ count: log.count, seen, grown }));`;
    const child = await execa(process.execPath, ['--expose-gc', '--input-type=module', '-e', script, dir], {
      reject: false,
    });
    expect(child.exitCode, child.stderr).toBe(0);
    const measured = JSON.parse(child.stdout) as { count: number; seen: number; grown: number };
    expect(measured).toMatchObject({ count: 60_000, seen: 60_000 });
    expect(measured.grown).toBeLessThan(4 * 2 ** 20);
  });
});

// ---------- checkers fed the stream ----------

/** Three agents of four creates; agent a1's last one is planned to hang. */
function hangingPlan(): Plan {
  return unitPlan([0, 1, 2], {
    opsPerAgent: 4,
    op: (id, seq) => ({ f: 'create', value: {}, ...(id === 1 && seq === 3 ? { fault: 'hang' } : {}) }),
    preloaded: [{ id: 't-1', title: 'preload-1' }],
  });
}

/** A small run with something for every checker to find: lost, duplicated and phantom items, a partial batch, a bad read, a pending op. */
function eventfulHistory(): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let clock = 0;
  const op = (
    agent: number,
    seq: number,
    f: string,
    value: Json,
    outcome: Outcome | 'pending',
    result: Json = null,
    gap = 1,
  ): void => {
    events.push({ type: 'invoke', agent, seq, f, value, time: clock });
    clock += gap;
    if (outcome === 'pending') return;
    const e: HistoryEvent = { type: outcome, agent, seq, f, value: outcome === 'ok' ? result : null, time: clock };
    if (outcome !== 'ok') e.error = outcome;
    events.push(e);
  };
  op(0, 0, 'create', { title: 'a0-0' }, 'ok', { id: 't-2' });
  op(1, 0, 'create', { title: 'a1-0' }, 'ok', { id: 't-2' });
  op(0, 1, 'create', { title: 'a0-1' }, 'ok', { id: 't-3' });
  op(1, 1, 'create', { title: 'a1-1' }, 'fail');
  op(0, 2, 'comment', { id: 't-1' }, 'ok', { id: 't-1', comments: 1 });
  op(
    1,
    2,
    'batch',
    {
      ops: [
        { f: 'create', value: { title: 'b-1' } },
        { f: 'create', value: { title: 'b-2' } },
        { f: 'comment', value: { id: 't-1' } },
      ],
    },
    'ok',
    { ids: ['t-4', 't-5'] },
  );
  op(0, 3, 'show', { id: 't-1' }, 'ok', 'not an item');
  op(1, 3, 'create', { title: 'a1-3' }, 'info', null, 5000);
  op(2, 0, 'create', { title: 'a2-0' }, 'pending');
  return events;
}

describe('checkers fed the op stream', () => {
  it('give the same verdicts, words and data as fed an array', () => {
    const events = eventfulHistory();
    const dir = freshDir('stream-checks');
    writeFileSync(join(dir, 'history.jsonl'), lines(events));
    const stream = OpLog.ofRun(dir);
    const array = pairHistory(events);
    const items: Partial<Issue>[] = [
      { id: 't-1', title: 'preload-1', comments: 7 },
      { id: 't-2', title: 'a1-0' },
      { id: 't-4', title: 'b-1' },
      { id: 't-9', title: 'a1-1' },
      { id: 't-9', title: 'never-attempted' },
    ];
    const counters: AgentCounters[] = [0, 1, 2].map((agent) => ({ agent, attempted: 4, ok: 3, fail: 0, info: 1 }));
    const health: AgentHealth[] = [0, 1, 2].map((agent) => healthyAgent(agent));
    const base: Omit<CheckInput, 'ops'> = {
      plan: hangingPlan(),
      state: { items, corruption: [] },
      health,
      counters,
      maxUnknownRatio: 0.5,
      faults: faultsFor(trackerTarget),
    };
    const checkers = [
      ...allCheckers,
      trackerSet.uniqueIds,
      trackerSet.items,
      trackerSet.batchAtomicity,
      trackerCounter.counters,
      trackerCounter.reads,
      readsParse,
    ];
    for (const checker of checkers) {
      const fromStream = checker.check({ ...base, ops: stream });
      const fromArray = checker.check({ ...base, ops: array });
      expect(fromStream, checker.name).toEqual(fromArray);
    }
    // Something was found, so the comparison meant something.
    const verdicts = checkers.map((c) => c.check({ ...base, ops: stream }).verdict);
    expect(verdicts.filter((v) => v === 'fail').length).toBeGreaterThanOrEqual(6);
  });
});
