// Unit tests for history pairing and every checker, on small hand-made histories.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairHistory, readHistoryFile } from '../lib/history/pair.js';
import {
  allCheckers as builtIns,
  checkersByName,
  deadlines,
  getChecker,
  harnessHealth,
  perAgent,
  storeParses,
} from '../lib/checkers/index.js';
import { KILL_GRACE_MS } from '../lib/checkers/deadlines.js';
import { quote } from '../lib/checkers/words.js';
import { faultsFor } from '../lib/faults/catalog.js';
import { commentTargets, trackerCounter, trackerSet, type TrackerState } from '../stress/tracker/model.js';
import { readsParse } from '../stress/tracker/reads-parse.js';
import { trackerTarget } from '../stress/tracker/target.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';
import type {
  AgentCounters,
  AgentHealth,
  CheckInput,
  Corruption,
  HistoryEvent,
  Json,
  OpRecord,
  Outcome,
  PlannedKill,
  Preloaded,
} from '../lib/types.js';

// The tracker's wiring of the set and counter models: what these tests were written against.
const uniqueIds = trackerSet.uniqueIds;
const itemsChecker = trackerSet.items;
const batchAtomicity = trackerSet.batchAtomicity;
const counters = trackerCounter.counters;
const allCheckers = [...builtIns, uniqueIds, itemsChecker, batchAtomicity, counters, readsParse];
const createdTitles = (op: OpRecord): string[] => trackerSet.vocabulary.addedKeys(op);
const resultIds = (op: OpRecord): (string | null)[] | null => trackerSet.vocabulary.resultIds(op);
type Item = { id: string; title: string; comments?: number };
type PreloadItem = Preloaded;

// ---------- factories ----------

type Ending = Outcome | 'pending';

/** Builds a history one op at a time: seq numbers and times are filled in per agent. */
class History {
  readonly events: HistoryEvent[] = [];
  private readonly nextSeq = new Map<number, number>();
  private clock = 0;

  op(agent: number, f: string, value: Json, outcome: Ending, result: Json = null): this {
    const seq = this.nextSeq.get(agent) ?? 0;
    this.nextSeq.set(agent, seq + 1);
    this.events.push({ type: 'invoke', agent, seq, f, value, time: this.clock++ });
    if (outcome === 'pending') return this;
    const event: HistoryEvent = {
      type: outcome,
      agent,
      seq,
      f,
      value: outcome === 'ok' ? result : null,
      time: this.clock++,
    };
    if (outcome !== 'ok') event.error = outcome === 'fail' ? 'target said no' : 'timed out';
    this.events.push(event);
    return this;
  }

  create(agent: number, title: string, outcome: Ending, id?: string): this {
    return this.op(agent, 'create', { title }, outcome, id === undefined ? null : { id });
  }

  comment(agent: number, id: string, outcome: Ending, comments = 0): this {
    return this.op(agent, 'comment', { id }, outcome, { id, comments });
  }

  batch(agent: number, subs: Json[], outcome: Ending, ids: string[] = []): this {
    return this.op(agent, 'batch', { ops: subs }, outcome, { ids });
  }

  records(): OpRecord[] {
    return pairHistory(this.events);
  }
}

const item = (id: string, title: string, comments?: number): Item =>
  comments === undefined ? { id, title } : { id, title, comments };

function countersFrom(ops: OpRecord[], agentIds: number[]): AgentCounters[] {
  return agentIds.map((agent) => {
    const mine = ops.filter((op) => op.agent === agent);
    return {
      agent,
      attempted: mine.length,
      ok: mine.filter((op) => op.outcome === 'ok').length,
      fail: mine.filter((op) => op.outcome === 'fail').length,
      info: mine.filter((op) => op.outcome === 'info').length,
    };
  });
}

interface InputOptions {
  history?: History;
  items?: Item[];
  preload?: PreloadItem[];
  corruption?: Corruption[];
  agents?: number[];
  kills?: PlannedKill[];
  health?: AgentHealth[];
  counters?: AgentCounters[];
  maxUnknownRatio?: number;
  opsPerAgent?: number;
}

/** A consistent CheckInput: counters agree with the history and every agent is healthy unless overridden. */
function makeInput(o: InputOptions = {}): CheckInput<TrackerState> {
  const ops = (o.history ?? new History()).records();
  const agents = o.agents ?? [...new Set([0, ...ops.map((op) => op.agent)])].sort((a, b) => a - b);
  const planExtra: { preloaded?: PreloadItem[]; kills?: PlannedKill[]; opsPerAgent?: number } = {};
  if (o.preload) planExtra.preloaded = o.preload;
  if (o.kills) planExtra.kills = o.kills;
  if (o.opsPerAgent !== undefined) planExtra.opsPerAgent = o.opsPerAgent;
  return {
    plan: unitPlan(agents, planExtra),
    ops,
    // The tracker's issues carry more fields (status); the checkers read id, title and comments.
    state: { items: o.items ?? [], corruption: o.corruption ?? [] } as TrackerState,
    health: o.health ?? agents.map((agent) => healthyAgent(agent, 1)),
    counters: o.counters ?? countersFrom(ops, agents),
    maxUnknownRatio: o.maxUnknownRatio ?? 0.5,
    faults: faultsFor(trackerTarget),
  };
}

// ---------- history ----------

describe('pairHistory', () => {
  it('pairs invoke and completion, keeping the result only for ok', () => {
    const ops = new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'fail').records();
    expect(ops).toHaveLength(2);
    expect(ops[0]).toMatchObject({
      agent: 0,
      seq: 0,
      f: 'create',
      outcome: 'ok',
      result: { id: 't-1' },
      start: 0,
      end: 1,
    });
    expect(ops[1]).toMatchObject({ seq: 1, outcome: 'fail', result: null, error: 'target said no' });
  });

  it('marks an invoke without completion as pending', () => {
    const ops = new History().create(2, 'a2-0', 'pending').records();
    expect(ops[0]).toMatchObject({ agent: 2, seq: 0, outcome: 'pending', end: null });
  });

  it('throws on a completion without invoke, naming agent and seq', () => {
    const events: HistoryEvent[] = [{ type: 'ok', agent: 1, seq: 3, f: 'create', value: { id: 't-1' }, time: 1 }];
    expect(() => pairHistory(events)).toThrow(/a1 seq 3/);
  });

  it('throws on a duplicate completion', () => {
    const h = new History().create(4, 'a4-0', 'ok', 't-1');
    const last = h.events[h.events.length - 1] as HistoryEvent;
    expect(() => pairHistory([...h.events, { ...last, time: 99 }])).toThrow(/duplicate completion.*a4 seq 0/);
  });
});

describe('readHistoryFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stampede-history-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const lines = new History().create(0, 'a0-0', 'ok', 't-1').events.map((e) => JSON.stringify(e));

  it('reads a clean file', async () => {
    const path = join(dir, 'clean.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);
    const file = await readHistoryFile(path);
    expect(file.truncatedTail).toBe(false);
    expect(pairHistory(file.events)[0]?.outcome).toBe('ok');
  });

  it('tolerates a torn last line and reports it', async () => {
    const path = join(dir, 'torn.jsonl');
    await writeFile(path, `${lines.join('\n')}\n{"type":"invoke","agent":0,"se`);
    const file = await readHistoryFile(path);
    expect(file.truncatedTail).toBe(true);
    expect(file.events).toHaveLength(2);
  });

  it('throws with the line number on a bad middle line', async () => {
    const path = join(dir, 'bad.jsonl');
    await writeFile(path, `${lines[0]}\n{oops\n${lines[1]}\n`);
    await expect(readHistoryFile(path)).rejects.toThrow(/bad\.jsonl:2:/);
  });

  it('throws on a line that parses but is not an event', async () => {
    const path = join(dir, 'shape.jsonl');
    await writeFile(path, `${lines[0]}\n{"type":"maybe"}\n`);
    await expect(readHistoryFile(path)).rejects.toThrow(/shape\.jsonl:2: not a history event/);
  });
});

// ---------- helpers ----------

describe("set and counter vocabulary (the tracker's words)", () => {
  const op = (f: string, value: Json, result: Json = null): OpRecord => ({
    agent: 0,
    seq: 0,
    f,
    value,
    outcome: 'ok',
    result,
    start: 0,
    end: 1,
  });

  it('finds titles and comment targets of batches', () => {
    const b = op('batch', {
      ops: [
        { f: 'create', value: { title: 'x' } },
        { f: 'comment', value: { id: 't-1' } },
        { f: 'create', value: { title: 'y' } },
        { f: 'comment', value: { id: 't-1' } },
      ],
    });
    expect(createdTitles(b)).toEqual(['x', 'y']);
    expect(commentTargets(b)).toEqual(['t-1', 't-1']);
    expect(commentTargets(op('comment', { id: 7 }))).toEqual(['7']);
  });

  it('normalises ids from results', () => {
    expect(resultIds(op('create', { title: 'x' }, { id: 't-1' }))).toEqual(['t-1']);
    expect(resultIds(op('create', { title: 'x' }, 't-2'))).toEqual(['t-2']);
    expect(resultIds(op('create', { title: 'x' }, {}))).toBeNull();
    expect(resultIds(op('batch', {}, { ids: ['t-1', 3, null] }))).toEqual(['t-1', '3', null]);
  });

  it('quotes awkward titles readably', () => {
    expect(quote(`it's "$(rm -rf)"\n`)).toBe(`'it\\'s "$(rm -rf)"\\n'`);
  });
});

// ---------- checkers ----------

describe('unique-ids', () => {
  it('passes when every id is unique and holds its title', () => {
    const history = new History()
      .create(0, 'a0-0', 'ok', 't-1')
      .batch(1, [{ f: 'create', value: { title: 'a1-0' } }], 'ok', ['t-2']);
    const r = uniqueIds.check(makeInput({ history, items: [item('t-1', 'a0-0'), item('t-2', 'a1-0')] }));
    expect(r.verdict).toBe('pass');
  });

  it('fails on an id present twice in the final state', () => {
    const history = new History().create(1, 'a1-3', 'ok', 't-17').create(4, 'a4-9', 'ok', 't-17');
    const r = uniqueIds.check(makeInput({ history, items: [item('t-17', 'a1-3'), item('t-17', 'a4-9')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("t-17 (x2: 'a1-3', 'a4-9')");
    expect(r.data?.duplicates).toEqual(['t-17']);
  });

  it('fails when two acknowledged creates (one in a batch) got the same id', () => {
    const history = new History()
      .create(0, 'a0-0', 'ok', 't-5')
      .batch(1, [{ f: 'create', value: { title: 'a1-0' } }], 'ok', ['t-5']);
    const r = uniqueIds.check(makeInput({ history, items: [item('t-5', 'a0-0')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toMatch(/t-5 \(x2: a0 seq 0 'a0-0', a1 seq 0 'a1-0'\)/);
  });

  it('fails when an acknowledged id holds another title', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-5');
    const r = uniqueIds.check(makeInput({ history, items: [item('t-5', 'other'), item('t-6', 'a0-0')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("t-5 acked to a0 seq 0 for 'a0-0' holds 'other'");
  });

  it('fails when an ack reuses a preloaded id', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1');
    const r = uniqueIds.check(
      makeInput({ history, preload: [{ id: 't-1', title: 'pre' }], items: [item('t-1', 'pre'), item('t-1', 'a0-0')] }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("preloaded 'pre'");
  });

  it('fails on an ok batch whose ids do not line up with its creates', () => {
    const subs = [
      { f: 'create', value: { title: 'x' } },
      { f: 'create', value: { title: 'y' } },
    ];
    const history = new History().batch(0, subs, 'ok', ['t-1']);
    const r = uniqueIds.check(makeInput({ history, items: [item('t-1', 'x'), item('t-2', 'y')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('without usable ids');
  });
});

describe('items', () => {
  it('passes when acknowledged items are present and preloaded ones kept', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-2').comment(0, 't-1', 'ok', 1);
    const r = itemsChecker.check(
      makeInput({
        history,
        preload: [{ id: 't-1', title: 'pre' }],
        items: [item('t-1', 'pre', 1), item('t-2', 'a0-0')],
      }),
    );
    expect(r.verdict).toBe('pass');
  });

  it('fails on an acknowledged create that is absent, naming its id and agent', () => {
    const history = new History()
      .create(2, 'a2-0', 'ok', 't-17')
      .create(5, 'a5-0', 'ok', 't-40')
      .create(5, 'a5-1', 'ok');
    const r = itemsChecker.check(makeInput({ history, items: [] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("3 acknowledged items lost: t-17, t-40, 'a5-1' (agents a2, a5)");
  });

  it('passes an info create that is present (recovered) and one that is absent', () => {
    const history = new History()
      .create(0, 'a0-0', 'ok', 't-1')
      .create(0, 'a0-1', 'info')
      .create(0, 'a0-2', 'info')
      .create(0, 'a0-3', 'ok', 't-4');
    const r = itemsChecker.check(
      makeInput({ history, items: [item('t-1', 'a0-0'), item('t-2', 'a0-1'), item('t-4', 'a0-3')] }),
    );
    expect(r.verdict).toBe('pass');
    expect(r.details).toContain('recovered 1 of 2 unknown');
    expect(r.data?.recovered).toEqual(['a0-1']);
    expect(r.data?.unknownAbsent).toEqual(['a0-2']);
  });

  it('treats a pending create like info', () => {
    const history = new History()
      .create(0, 'a0-0', 'ok', 't-1')
      .create(0, 'a0-1', 'ok', 't-2')
      .create(0, 'a0-2', 'pending');
    const r = itemsChecker.check(
      makeInput({ history, items: [item('t-1', 'a0-0'), item('t-2', 'a0-1'), item('t-3', 'a0-2')] }),
    );
    expect(r.verdict).toBe('pass');
    expect(r.data?.recovered).toEqual(['a0-2']);
  });

  it('fails when a failed create is present anyway (unexpected)', () => {
    const history = new History().create(3, 'a3-0', 'fail');
    const r = itemsChecker.check(makeInput({ history, items: [item('t-1', 'a3-0')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("'a3-0' (a3 seq 0 failed, yet it is present)");
  });

  it('fails on an item nobody attempted, but never on a preloaded one', () => {
    const r = itemsChecker.check(
      makeInput({ preload: [{ id: 't-1', title: 'pre' }], items: [item('t-1', 'pre'), item('t-9', 'ghost')] }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("1 unexpected item: t-9 'ghost' (never attempted)");
    expect(r.details).not.toContain("'pre'");
  });

  it('fails when a preloaded item disappears', () => {
    const r = itemsChecker.check(makeInput({ preload: [{ id: 't-1', title: 'pre' }], items: [] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("1 preloaded item lost: t-1 'pre'");
  });

  it('fails when one title is present twice', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1');
    const r = itemsChecker.check(makeInput({ history, items: [item('t-1', 'a0-0'), item('t-2', 'a0-0')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("'a0-0' (x2: t-1, t-2)");
  });

  it('answers unknown when too many creates have unknown outcomes and nothing failed', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'info').create(0, 'a0-2', 'info');
    const r = itemsChecker.check(makeInput({ history, items: [item('t-1', 'a0-0')], maxUnknownRatio: 0.5 }));
    expect(r.verdict).toBe('unknown');
    expect(r.details).toMatch(/2 of 3 adds .* unknown outcomes/);
  });

  it('still fails, not unknown, when something is lost among many unknowns', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'info').create(0, 'a0-2', 'info');
    const r = itemsChecker.check(makeInput({ history, items: [] }));
    expect(r.verdict).toBe('fail');
  });

  it('counts the creates inside batches', () => {
    const history = new History().batch(
      1,
      [
        { f: 'create', value: { title: 'b1' } },
        { f: 'create', value: { title: 'b2' } },
      ],
      'ok',
      ['t-1', 't-2'],
    );
    const r = itemsChecker.check(makeInput({ history, items: [item('t-1', 'b1')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('1 acknowledged item lost: t-2 (agents a1)');
  });
});

describe('counters', () => {
  const preload = [{ id: 't-1', title: 'pre' }];

  it('passes when nothing commented and every count is still zero', () => {
    const r = counters.check(makeInput({ items: [item('t-1', 'pre')], preload }));
    expect(r.verdict).toBe('pass');
    expect(r.details).toMatch(/^0 increments .*every final value within bounds/);
    expect(counters.check(makeInput()).details).toBe('no counter ops');
  });

  it('passes exactly at the lower bound (all acknowledged landed, no unknown one did)', () => {
    const history = new History().comment(0, 't-1', 'ok').comment(0, 't-1', 'ok').comment(1, 't-1', 'info');
    expect(counters.check(makeInput({ history, preload, items: [item('t-1', 'pre', 2)] })).verdict).toBe('pass');
  });

  it('passes at the upper bound with info increments', () => {
    const history = new History()
      .comment(0, 't-1', 'ok')
      .comment(0, 't-1', 'ok')
      .comment(1, 't-1', 'info')
      .comment(1, 't-1', 'pending');
    expect(counters.check(makeInput({ history, preload, items: [item('t-1', 'pre', 4)] })).verdict).toBe('pass');
  });

  it('fails above the upper bound (phantom increments)', () => {
    const history = new History().comment(0, 't-1', 'ok').comment(1, 't-1', 'info').comment(1, 't-1', 'fail');
    const r = counters.check(makeInput({ history, preload, items: [item('t-1', 'pre', 3)] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('t-1: 3, but at most 2 could have landed (1 phantom increment)');
  });

  it('fails below the lower bound (lost updates)', () => {
    const history = new History();
    for (let i = 0; i < 50; i++) history.comment(i % 2, 't-3', 'ok');
    const r = counters.check(
      makeInput({ history, preload: [{ id: 't-3', title: 'pre' }], items: [item('t-3', 'pre', 41)] }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('t-3: 41, but 50 increments acknowledged (9 lost updates)');
    expect(r.data?.lostUpdates).toBe(9);
  });

  it('treats a missing comments field as zero', () => {
    const history = new History().comment(0, 't-1', 'ok');
    expect(counters.check(makeInput({ history, preload, items: [item('t-1', 'pre')] })).verdict).toBe('fail');
  });

  it('counts batch comment sub-ops per the batch outcome', () => {
    const subs = [
      { f: 'comment', value: { id: 't-1' } },
      { f: 'comment', value: { id: 't-1' } },
    ];
    const history = new History().batch(0, subs, 'ok').batch(0, subs, 'fail');
    expect(counters.check(makeInput({ history, preload, items: [item('t-1', 'pre', 2)] })).verdict).toBe('pass');
    expect(counters.check(makeInput({ history, preload, items: [item('t-1', 'pre', 4)] })).verdict).toBe('fail');
  });

  it('fails when an item with acknowledged increments is gone', () => {
    const history = new History().comment(0, 't-1', 'ok');
    const r = counters.check(makeInput({ history, preload, items: [] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('t-1: absent, but 1 increment acknowledged');
  });
});

describe('per-agent', () => {
  it('passes when every agent succeeded and its items are present', () => {
    const history = new History()
      .create(0, 'a0-0', 'ok', 't-1')
      .create(1, 'a1-0', 'ok', 't-2')
      .create(1, 'a1-1', 'info');
    expect(perAgent.check(makeInput({ history, items: [item('t-1', 'a0-0'), item('t-2', 'a1-0')] })).verdict).toBe(
      'pass',
    );
  });

  it('leaves a missing acknowledged item to the model, which names its agent and its op', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1').create(1, 'a1-0', 'ok', 't-2');
    const input = makeInput({ history, items: [item('t-1', 'a0-0')] });
    const r = perAgent.check(input);
    expect(r.verdict).toBe('pass');
    expect(r.details).toContain('whether acknowledged work survived is for the model checks');
    const items = itemsChecker.check(input);
    expect(items.details).toContain('1 acknowledged item lost: t-2 (agents a1)');
    expect(items.findings).toEqual([
      { kind: 'lost', label: "t-2 'a1-0' acknowledged, absent", ops: [{ agent: 1, seq: 0 }] },
    ]);
  });

  it('fails an agent that attempted ops but none succeeded', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1').create(3, 'a3-0', 'fail').create(3, 'a3-1', 'info');
    const r = perAgent.check(makeInput({ history, items: [item('t-1', 'a0-0')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('a3 attempted 2 ops, 0 succeeded');
  });

  it('fails an agent that was planned ops but attempted none', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1');
    const r = perAgent.check(makeInput({ history, agents: [0, 1], opsPerAgent: 1, items: [item('t-1', 'a0-0')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('a1 was planned 1 op but attempted none');
  });

  it('fails when the shared counters disagree with the history', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'ok', 't-2');
    const r = perAgent.check(
      makeInput({
        history,
        items: [item('t-1', 'a0-0'), item('t-2', 'a0-1')],
        counters: [{ agent: 0, attempted: 2, ok: 1, fail: 0, info: 1 }],
      }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('a0 counters disagree with the history (counters vs history): ok 1 vs 2, info 1 vs 0');
  });

  it('accepts a pending op counted as info by the live counters', () => {
    const history = new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'pending');
    const input = makeInput({
      history,
      items: [item('t-1', 'a0-0')],
      counters: [{ agent: 0, attempted: 2, ok: 1, fail: 0, info: 1 }],
    });
    expect(perAgent.check(input).verdict).toBe('pass');
  });
});

describe('batch-atomicity', () => {
  const subs: Json[] = [
    { f: 'create', value: { title: 'b-x' } },
    { f: 'create', value: { title: 'b-y' } },
    { f: 'comment', value: { id: 't-1' } },
  ];

  it('passes with no batches', () => {
    expect(batchAtomicity.check(makeInput())).toMatchObject({ verdict: 'pass', details: 'no batch ops' });
  });

  it('passes an ok batch fully present, and info batches all-or-nothing', () => {
    const history = new History()
      .batch(0, subs, 'ok', ['t-2', 't-3'])
      .batch(
        1,
        [
          { f: 'create', value: { title: 'i-x' } },
          { f: 'create', value: { title: 'i-y' } },
        ],
        'info',
      )
      .batch(1, [{ f: 'create', value: { title: 'j-x' } }], 'pending');
    const items = [item('t-2', 'b-x'), item('t-3', 'b-y'), item('t-4', 'i-x'), item('t-5', 'i-y')];
    const r = batchAtomicity.check(makeInput({ history, items }));
    expect(r.verdict).toBe('pass');
    expect(r.data).toMatchObject({ unknownPresent: 1, unknownAbsent: 1 });
  });

  it('fails a partial batch, naming agent, seq and which titles are present/absent', () => {
    const history = new History().create(2, 'a2-0', 'ok', 't-1').batch(2, subs, 'info');
    const r = batchAtomicity.check(makeInput({ history, items: [item('t-1', 'a2-0'), item('t-2', 'b-x')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("batch a2 seq 1 (info) is partial: present 'b-x'; absent 'b-y'");
  });

  it('fails an ok batch that is entirely absent', () => {
    const history = new History().batch(0, subs, 'ok', ['t-2', 't-3']);
    const r = batchAtomicity.check(makeInput({ history }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('was acknowledged but all 2 adds are absent');
  });

  it('fails a failed batch that is entirely present', () => {
    const history = new History().batch(0, subs, 'fail');
    const r = batchAtomicity.check(makeInput({ history, items: [item('t-2', 'b-x'), item('t-3', 'b-y')] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('answered fail but all 2 adds are present');
  });
});

describe('reads-parse', () => {
  it('passes well-formed reads and ignores failed ones', () => {
    const history = new History()
      .op(0, 'show', { id: 't-1' }, 'ok', { id: 't-1', title: 'x' })
      .op(0, 'list', {}, 'ok', [{ id: 't-1', title: 'x' }])
      .op(0, 'ready', {}, 'ok', [])
      .op(0, 'show', { id: 't-1' }, 'fail');
    const r = readsParse.check(makeInput({ history }));
    expect(r.verdict).toBe('pass');
    expect(r.details).toContain('3 acknowledged reads well-formed (1 show, 1 list, 1 ready)');
  });

  it('fails a show that returned something other than an item', () => {
    const history = new History().op(1, 'show', { id: 't-1' }, 'ok', 'garbage');
    const r = readsParse.check(makeInput({ history }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('show a1 seq 0 returned a string, not an item');
  });

  it('fails a list containing an item without an id', () => {
    const history = new History().op(2, 'list', {}, 'ok', [{ id: 't-1' }, { title: 'no id' }]);
    const r = readsParse.check(makeInput({ history }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('list a2 seq 0 returned an array whose element 1 is an object without an id');
  });

  it('fails a ready that is not an array', () => {
    const history = new History().op(0, 'ready', {}, 'ok', { id: 't-1' });
    expect(readsParse.check(makeInput({ history })).verdict).toBe('fail');
  });
});

describe('store-parses', () => {
  it('passes with no corruption', () => {
    expect(storeParses.check(makeInput({ items: [item('t-1', 'x')] })).verdict).toBe('pass');
  });

  it('fails naming file:line and the truncated text', () => {
    const text = '{"id":"t-9","tit' + 'x'.repeat(300);
    const r = storeParses.check(
      makeInput({ corruption: [{ file: 'issues.jsonl', line: 17, text, error: 'Unexpected end of JSON input' }] }),
    );
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain(`issues.jsonl:17 does not parse: '{"id":"t-9","tit`);
    expect(r.details.length).toBeLessThan(220);
  });
});

describe('harness-health', () => {
  it('passes when every agent spawned, reached the barrier and exited ok', () => {
    expect(harnessHealth.check(makeInput({ agents: [0, 1, 2] })).verdict).toBe('pass');
  });

  it('fails naming an agent that never spawned, with its error', () => {
    const health = [
      healthyAgent(0, 1),
      {
        ...healthyAgent(1, 1),
        spawned: false,
        reachedBarrier: false,
        exit: 'spawn-failed' as const,
        error: 'ENOENT: tracker',
      },
    ];
    const r = harnessHealth.check(makeInput({ agents: [0, 1], health }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('a1 never spawned (ENOENT: tracker)');
  });

  it('fails an agent that never reached the barrier, and a missing health record', () => {
    const health = [{ ...healthyAgent(0, 1), reachedBarrier: false, exit: 'early-exit' as const }];
    const r = harnessHealth.check(makeInput({ agents: [0, 1], health }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('a0 never reached the barrier');
    expect(r.details).toContain('a1 has no health record');
  });

  it('accepts killed only when the plan scheduled a kill for that agent', () => {
    const health = [
      { ...healthyAgent(0, 1), exit: 'killed' as const },
      { ...healthyAgent(1, 1), exit: 'killed' as const },
    ];
    const r = harnessHealth.check(makeInput({ agents: [0, 1], health, kills: [{ agent: 0, atMs: 10 }] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('a1 was killed without a scheduled kill');
    expect(r.details).not.toContain('a0');
  });

  it('fails a crash', () => {
    const health = [{ ...healthyAgent(0, 1), exit: 'crashed' as const, error: 'exit code 134' }];
    expect(harnessHealth.check(makeInput({ agents: [0], health })).details).toContain(
      "a0 exited as 'crashed' (exit code 134)",
    );
  });
});

describe('deadlines', () => {
  // unitPlan's deadline is 1000 ms, so an op may take 1000 + KILL_GRACE_MS before it counts as overrun.
  const limit = 1000 + KILL_GRACE_MS;
  /** Agent 0's two creates; `hang` marks the plan's second op as a planned hang. */
  function input(history: History, hang = false): CheckInput {
    const plan = unitPlan([0], {
      opsPerAgent: 2,
      op: (_id, seq) => ({ f: 'create', value: {}, ...(hang && seq === 1 ? { fault: 'hang' } : {}) }),
    });
    return { ...makeInput({ history }), plan };
  }
  /** Moves the completion of the last op `ms` after its invoke. */
  function took(history: History, ms: number): History {
    const last = history.events[history.events.length - 1] as HistoryEvent;
    const invoke = history.events.find(
      (e) => e.type === 'invoke' && e.agent === last.agent && e.seq === last.seq,
    ) as HistoryEvent;
    last.time = invoke.time + ms;
    return history;
  }

  it('passes when every op ended within its deadline', () => {
    const r = deadlines.check(input(new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'ok', 't-2')));
    expect(r.verdict).toBe('pass');
    expect(r.details).toBe(`all 2 ops ended within ${limit} ms`);
  });

  it('passes a planned hang cut off at its deadline as info', () => {
    const h = took(new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'info'), 1000);
    const r = deadlines.check(input(h, true));
    expect(r.verdict).toBe('pass');
    expect(r.details).toContain('1 of 1 planned hang cut off at the deadline as info');
  });

  it('fails an op that never completed', () => {
    const r = deadlines.check(input(new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'pending')));
    expect(r.verdict).toBe('fail');
    expect(r.details).toMatch(/^1 op never completed: .*a0 seq 1/);
  });

  it('fails an op that ran past its deadline and the time to kill it', () => {
    const r = deadlines.check(
      input(took(new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', 'info'), limit + 1)),
    );
    expect(r.verdict).toBe('fail');
    expect(r.details).toMatch(new RegExp(`^1 op ran past ${limit} ms: .*a0 seq 1`));
  });

  it('fails a planned hang that ended ok or fail: the hang was never cut off', () => {
    for (const outcome of ['ok', 'fail'] as const) {
      const r = deadlines.check(
        input(new History().create(0, 'a0-0', 'ok', 't-1').create(0, 'a0-1', outcome, 't-2'), true),
      );
      expect(r.verdict, outcome).toBe('fail');
      expect(r.details).toMatch(/^1 planned hang did not end as info: .*a0 seq 1/);
    }
  });

  describe("a user's target that declares its own hanging fault", () => {
    const target = {
      name: 'my-cli',
      faults: [
        { name: 'stall', scope: 'op' as const, description: 'the op never returns', hangs: true },
        { name: 'slow-disk', scope: 'op' as const, description: 'the op is slow, but ends' },
      ],
    };
    /** Agent 0's two ops; the second planned with `fault`. */
    function userInput(history: History, fault: string, faults = faultsFor(target)): CheckInput {
      const plan = unitPlan([0], {
        opsPerAgent: 2,
        op: (_id, seq) => ({ f: 'put', value: {}, ...(seq === 1 ? { fault } : {}) }),
      });
      return { ...makeInput({ history }), plan, faults };
    }
    const puts = (second: Ending): History => new History().op(0, 'put', {}, 'ok').op(0, 'put', {}, second);

    it('holds its op to ending info, found through input.faults', () => {
      const pass = deadlines.check(userInput(took(puts('info'), 1000), 'stall'));
      expect(pass.verdict).toBe('pass');
      expect(pass.details).toContain('1 of 1 planned hang cut off at the deadline as info');
      expect(pass.data?.plannedHangs).toBe(1);
      const fail = deadlines.check(userInput(puts('ok'), 'stall'));
      expect(fail.verdict).toBe('fail');
      expect(fail.details).toMatch(/^1 planned hang did not end as info: .*a0 seq 1/);
    });

    it("does not treat a fault that ends as a hang, nor the tracker's `hang` it does not declare", () => {
      for (const fault of ['slow-disk', 'hang']) {
        const r = deadlines.check(userInput(puts('ok'), fault));
        expect(r.verdict, fault).toBe('pass');
        expect(r.details, fault).toBe(`all 2 ops ended within ${limit} ms`);
        expect(r.data?.plannedHangs, fault).toBe(0);
      }
    });

    it('knows no hangs without input.faults (the core has no fault names of its own)', () => {
      const input = userInput(puts('ok'), 'stall');
      delete input.faults;
      expect(deadlines.check(input)).toMatchObject({ verdict: 'pass', details: `all 2 ops ended within ${limit} ms` });
    });
  });
});

describe('checker registry', () => {
  it('lists every checker once by name', () => {
    expect([...checkersByName.keys()].sort()).toEqual(['deadlines', 'harness-health', 'per-agent', 'store-parses']);
    expect(getChecker('per-agent')).toBe(perAgent);
    expect(() => getChecker('nope')).toThrow(/known: /);
  });

  it('every checker has a description and gives non-empty details on an empty run', () => {
    const input = makeInput({ agents: [0], opsPerAgent: 0 });
    for (const checker of allCheckers) {
      expect(checker.description.length).toBeGreaterThan(10);
      const r = checker.check(input);
      expect(r.name).toBe(checker.name);
      expect(r.details.length).toBeGreaterThan(0);
    }
  });
});
