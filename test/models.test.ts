// The models in their own vocabulary (no tracker): the set model's `add`/`batch` with `{elements}`, the
// counter model's `incr`/`read` with `{counters}`, each shown to fail on the fault it exists for and to
// pass a correct history. Exec results mapped the target's way (lib/results) are in results.test.ts.
import { describe, expect, it } from 'vitest';
import { counterModel } from '../lib/models/counter/index.js';
import { setModel } from '../lib/models/set/index.js';
import type { CheckInput, Json, OpRecord, Outcome } from '../lib/types.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';

let clock = 0;
function op(
  agent: number,
  seq: number,
  f: string,
  value: Json,
  outcome: Outcome | 'pending',
  result: Json = null,
  span?: [number, number],
): OpRecord {
  const [start, end] = span ?? [clock++, clock++];
  return {
    agent,
    seq,
    f,
    value,
    outcome,
    result: outcome === 'ok' ? result : null,
    start,
    end: outcome === 'pending' ? null : end,
  };
}

function input<S>(ops: OpRecord[], state: S): CheckInput<S> {
  const agents = [...new Set([0, ...ops.map((o) => o.agent)])];
  return {
    plan: unitPlan(agents),
    ops,
    state,
    health: agents.map((a) => healthyAgent(a)),
    counters: [],
    maxUnknownRatio: 0.5,
  };
}

describe('set model, default vocabulary', () => {
  const set = setModel();
  const adds = [
    op(0, 0, 'add', { key: 'k0' }, 'ok', { id: 1 }),
    op(1, 0, 'add', { key: 'k1' }, 'ok', 2),
    op(1, 1, 'add', { key: 'k2' }, 'info'),
  ];

  it('passes a correct history, numeric ids included, an unknown add absent', () => {
    const state = {
      elements: [
        { id: 1, key: 'k0' },
        { id: 2, key: 'k1' },
      ],
    };
    for (const checker of set.checks) expect(checker.check(input(adds, state)).verdict, checker.name).toBe('pass');
  });

  it('catches a lost add, naming its op', () => {
    const r = set.items.check(input(adds, { elements: [{ id: 1, key: 'k0' }] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain('1 acknowledged item lost: 2 (agents a1)');
    expect(r.findings?.[0]).toEqual({
      kind: 'lost',
      label: "2 'k1' acknowledged, absent",
      ops: [{ agent: 1, seq: 0 }],
    });
  });

  it('catches a duplicated key, an unexpected element and an id given twice', () => {
    const dup = set.items.check(
      input(adds, {
        elements: [
          { id: 1, key: 'k0' },
          { id: 2, key: 'k1' },
          { id: 3, key: 'k1' },
          { id: 4, key: 'never' },
        ],
      }),
    );
    expect(dup.details).toMatch(
      /1 key present more than once: 'k1' \(x2: 2, 3\); 1 unexpected item: 4 'never' \(never attempted\)/,
    );
    const twice = [op(0, 0, 'add', { key: 'a' }, 'ok', { id: 7 }), op(1, 0, 'add', { key: 'b' }, 'ok', { id: 7 })];
    const ids = set.uniqueIds.check(
      input(twice, {
        elements: [
          { id: 7, key: 'a' },
          { id: 8, key: 'b' },
        ],
      }),
    );
    expect(ids.verdict).toBe('fail');
    expect(ids.details).toContain('1 id given to more than one item: 7');
  });

  it('catches a failed add that is present anyway (unexpected), naming its op', () => {
    const failed = [op(0, 0, 'add', { key: 'no' }, 'fail')];
    const r = set.items.check(input(failed, { elements: [{ id: 5, key: 'no' }] }));
    expect(r.verdict).toBe('fail');
    expect(r.details).toContain("1 unexpected item: 'no' (a0 seq 0 failed, yet it is present)");
    expect(r.findings).toEqual([
      { kind: 'unexpected', label: "'no' answered fail, yet present", ops: [{ agent: 0, seq: 0 }] },
    ]);
  });

  it('keeps preloaded elements (numeric ids), even when an op also tried their key', () => {
    const preloaded = [{ id: 1, key: 'pre' }];
    const again = [op(0, 0, 'add', { key: 'pre' }, 'info')];
    const withPreload = <S>(ops: OpRecord[], state: S): CheckInput<S> => ({
      ...input(ops, state),
      plan: unitPlan([0], { preloaded }),
      maxUnknownRatio: 1,
    });
    expect(set.items.check(withPreload(again, { elements: [{ id: 1, key: 'pre' }] })).verdict).toBe('pass');
    const lost = set.items.check(withPreload(again, { elements: [] }));
    expect(lost.verdict).toBe('fail');
    expect(lost.details).toContain("1 preloaded item lost: 1 'pre'");
    const reused = set.uniqueIds.check(
      withPreload([op(0, 0, 'add', { key: 'new' }, 'ok', 1)], {
        elements: [
          { id: 1, key: 'pre' },
          { id: 1, key: 'new' },
        ],
      }),
    );
    expect(reused.verdict).toBe('fail');
    expect(reused.details).toContain("1 id given to more than one item: 1 (x2: preloaded 'pre', a0 seq 0 'new')");
  });

  it('says so when the final state has no element list', () => {
    expect(() => set.items.check(input(adds, { nothing: true } as never))).toThrow(/no element list/);
  });
});

describe('counter model, default vocabulary', () => {
  const counter = counterModel();

  it('bounds the final value by acknowledged and unknown increments', () => {
    const ops = [
      op(0, 0, 'incr', {}, 'ok'),
      op(0, 1, 'incr', { by: 2 }, 'ok'),
      op(1, 0, 'incr', {}, 'info'),
      op(1, 1, 'incr', {}, 'fail'),
    ];
    expect(counter.counters.check(input(ops, { counters: { counter: 3 } })).verdict).toBe('pass');
    expect(counter.counters.check(input(ops, { counters: { counter: 4 } })).verdict).toBe('pass');
    const lost = counter.counters.check(input(ops, { counters: { counter: 2 } }));
    expect(lost.details).toContain('counter: 2, but 3 increments acknowledged (1 lost update)');
    const phantom = counter.counters.check(input(ops, { counters: { counter: 5 } }));
    expect(phantom.details).toContain('counter: 5, but at most 4 could have landed (1 phantom increment)');
    const absent = counter.counters.check(input(ops, { counters: {} }));
    expect(absent.details).toContain('counter: absent, but 3 increments acknowledged');
  });

  it('reads: never below what had landed before the read started, never above what was invoked before it ended', () => {
    const incrs = [
      op(0, 0, 'incr', {}, 'ok', null, [0, 10]),
      op(0, 1, 'incr', {}, 'ok', null, [20, 30]),
      op(1, 0, 'incr', {}, 'info', null, [40, 100]),
    ];
    const read = (seq: number, value: number, span: [number, number]): OpRecord =>
      op(2, seq, 'read', {}, 'ok', value, span);
    const within = [
      read(0, 1, [15, 18]),
      read(1, 1, [25, 26]),
      read(2, 2, [25, 35]),
      read(3, 3, [50, 60]),
      read(4, 2, [50, 60]),
      read(5, { value: 0 } as never, [5, 8]),
    ];
    expect(counter.reads.check(input([...incrs, ...within], { counters: { counter: 3 } })).details).toBe(
      '6 acknowledged reads within bounds',
    );
    const stale = counter.reads.check(input([...incrs, read(0, 1, [35, 36])], { counters: { counter: 2 } }));
    expect(stale.verdict).toBe('fail');
    expect(stale.details).toContain('read a2 seq 0 of counter saw 1, expected 2..2');
    expect(stale.findings?.[0]?.ops).toEqual([{ agent: 2, seq: 0 }]);
    const future = counter.reads.check(input([...incrs, read(0, 2, [12, 15])], { counters: { counter: 2 } }));
    expect(future.verdict).toBe('fail');
    expect(future.details).toContain('(0 below what had landed, 1 above what was invoked)');
    expect(future.details).toContain('read a2 seq 0 of counter saw 2, expected 1..1');
    expect(future.findings).toEqual([
      { kind: 'future', label: 'counter: read 2, expected 1..1', ops: [{ agent: 2, seq: 0 }] },
    ]);
  });

  it('reads: an increment overlapping the read may or may not be seen; a failed one never counts', () => {
    // The read [10, 20] overlaps one acknowledged increment [5, 15] and one unknown [12, 30]: 0, 1 or 2 are all fine.
    const incrs = [
      op(0, 0, 'incr', {}, 'ok', null, [5, 15]),
      op(1, 0, 'incr', {}, 'info', null, [12, 30]),
      op(1, 1, 'incr', { key: 'other' }, 'ok', null, [0, 1]),
    ];
    const read = (value: number): OpRecord => op(2, 0, 'read', {}, 'ok', value, [10, 20]);
    for (const value of [0, 1, 2])
      expect(
        counter.reads.check(input([...incrs, read(value)], { counters: { counter: 2, other: 1 } })).verdict,
        String(value),
      ).toBe('pass');
    expect(counter.reads.check(input([...incrs, read(3)], { counters: { counter: 2, other: 1 } })).verdict).toBe(
      'fail',
    );
    const failed = [op(0, 0, 'incr', {}, 'fail', null, [0, 1])];
    expect(
      counter.reads.check(input([...failed, op(2, 0, 'read', {}, 'ok', 1, [5, 6])], { counters: { counter: 0 } }))
        .details,
    ).toContain('saw 1, expected 0..0');
  });
});
