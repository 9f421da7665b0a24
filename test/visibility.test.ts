// The visibility model in-process, on hand-made histories: how each write is bounded by other agents'
// reads, what is lost, vanished or left out as late, and the verdict against the budget (pass, fail,
// unknown). The end-to-end version, on the real exporter daemon, is in exporter.test.ts.
import { describe, expect, it } from 'vitest';
import {
  judgeVisibility,
  nearestRank,
  percentileBounds,
  VisibilityObserver,
  visibilityModel,
  type WriteSpan,
} from '../lib/models/visibility/index.js';
import type { CheckInput, Json, OpRecord } from '../lib/types.js';
import { healthyAgent, unitPlan } from './helpers/unit-run.js';

function op(agent: number, seq: number, f: string, value: Json, span: [number, number], result: Json = null): OpRecord {
  return { agent, seq, f, value, outcome: 'ok', result, start: span[0], end: span[1] };
}

const write = (agent: number, seq: number, key: string, start: number, end: number): OpRecord =>
  op(agent, seq, 'set', { key, value: 'v' }, [start, end]);
const read = (agent: number, seq: number, keys: string[], start: number, end: number): OpRecord =>
  op(agent, seq, 'read', {}, [start, end], { keys });

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

/**
 * A steady run: agent 0 writes k0..k(n-1), one every `gapMs` from t=0 (each acked 1 ms after invoke);
 * agent 1 reads every `readEveryMs` (each read takes 1 ms) until `untilMs`, and sees a write once
 * `visibleAfter(i)` ms have passed since its ack.
 */
function steadyRun(options: {
  writes: number;
  gapMs: number;
  readEveryMs: number;
  untilMs: number;
  visibleAfter: (i: number) => number;
}): OpRecord[] {
  const ops: OpRecord[] = [];
  const acks: number[] = [];
  for (let i = 0; i < options.writes; i++) {
    const start = i * options.gapMs;
    acks.push(start + 1);
    ops.push(write(0, i, `k${i}`, start, start + 1));
  }
  let seq = 0;
  for (let t = 0; t < options.untilMs; t += options.readEveryMs) {
    // What was visible at the read's middle.
    const at = t + 0.5;
    const keys = acks.flatMap((ack, i) => (ack + options.visibleAfter(i) <= at ? [`k${i}`] : []));
    ops.push(read(1, seq++, keys, t, t + 1));
  }
  return ops;
}

const allKeys = (n: number): { keys: string[] } => ({ keys: Array.from({ length: n }, (_, i) => `k${i}`) });

describe('visibility: bounding one write', () => {
  const observe = (ops: OpRecord[], final: string[] | null = null): WriteSpan[] => {
    const observer = new VisibilityObserver();
    for (const o of ops)
      if (o.f === 'set')
        observer.addWrite({
          agent: o.agent,
          seq: o.seq,
          token: String((o.value as { key: string }).key),
          ack: o.end ?? 0,
        });
    for (const o of ops)
      if (o.f === 'read') {
        const keys = new Set((o.result as { keys: string[] }).keys);
        observer.addRead({ agent: o.agent, seq: o.seq, start: o.start, end: o.end ?? 0, seen: (t) => keys.has(t) });
      }
    return observer.spans(final ? (t) => final.includes(t) : null);
  };

  it('low is the last miss that started after the ack (its start), high the first hit (its end)', () => {
    const [span] = observe([
      write(0, 0, 'k', 90, 100),
      read(1, 0, [], 95, 101), // started before the ack: says nothing
      read(1, 1, [], 120, 125),
      read(2, 0, [], 140, 150),
      read(1, 2, ['k'], 160, 170),
      read(2, 1, ['k'], 165, 180),
    ]);
    expect(span?.lastMiss).toEqual({ agent: 2, seq: 0, at: 140 });
    expect(span?.firstHit).toEqual({ agent: 1, seq: 2, at: 170 });
    const j = judgeVisibility(span ? [span] : [], 500, 95, 1);
    expect(j.late).toHaveLength(1); // the reads stopped 65 ms after the ack: not watched for 500 ms
    expect(judgeVisibility(span ? [span] : [], 50, 95, 1).observed[0]?.bounds).toEqual({ low: 40, high: 70 });
  });

  it("ignores the writer's own reads, and clamps a hit that ended before the ack to 0", () => {
    const [span] = observe([
      write(0, 0, 'k', 90, 100),
      read(0, 1, ['k'], 100, 101), // its own read: not counted
      read(1, 0, ['k'], 95, 99), // saw it before the ack came back
      read(1, 1, ['k'], 200, 201),
    ]);
    expect(span?.firstHit).toEqual({ agent: 1, seq: 0, at: 99 });
    const j = judgeVisibility(span ? [span] : [], 50, 95, 1);
    expect(j.observed[0]?.bounds).toEqual({ low: 0, high: 0 });
  });

  it('a write never seen and absent at the end is lost; seen and absent at the end is lost too', () => {
    const spans = observe(
      [
        write(0, 0, 'never', 0, 1),
        write(0, 1, 'dropped', 0, 1),
        write(0, 2, 'kept', 0, 1),
        read(1, 0, ['dropped', 'kept'], 10, 11),
        read(1, 1, ['kept'], 900, 901),
      ],
      ['kept'],
    );
    const j = judgeVisibility(spans, 500, 95, 1);
    expect(j.lost.map((s) => s.token).sort()).toEqual(['dropped', 'never']);
    expect(j.verdict).toBe('fail');
    expect(j.reason).toBe('lost');
  });

  it('a write seen and then missed by a read that started later vanished', () => {
    const spans = observe([write(0, 0, 'k', 0, 1), read(1, 0, ['k'], 10, 11), read(2, 0, [], 20, 21)], ['k']);
    const j = judgeVisibility(spans, 5, 95, 1);
    expect(j.vanished.map((s) => s.token)).toEqual(['k']);
    expect(j.verdict).toBe('fail');
  });

  it('two writes of one token are left out and named', () => {
    const observer = new VisibilityObserver();
    observer.addWrite({ agent: 0, seq: 0, token: 'k', ack: 1 });
    observer.addWrite({ agent: 1, seq: 0, token: 'k', ack: 2 });
    observer.addWrite({ agent: 2, seq: 0, token: 'k', ack: 3 });
    observer.addWrite({ agent: 0, seq: 1, token: 'j', ack: 1 });
    expect(observer.duplicateTokens).toEqual(['k']);
    expect(observer.spans(null).map((s) => s.token)).toEqual(['j']);
  });
});

describe('visibility: percentiles', () => {
  it('nearest rank, and the percentile of the true values lies between those of the bounds', () => {
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(nearestRank([7], 95)).toBe(7);
    const bounds = [
      { low: 0, high: 10 },
      { low: 5, high: 6 },
      { low: 20, high: Infinity },
      { low: 1, high: 3 },
    ];
    expect(percentileBounds(bounds, 50)).toEqual({ low: 1, high: 6 });
    expect(percentileBounds(bounds, 100)).toEqual({ low: 20, high: Infinity });
  });
});

describe('visibility: the checker', () => {
  const model = visibilityModel({ budgetMs: 100 });
  const check = (ops: OpRecord[], state: unknown) => model.visibility.check(input(ops, state));

  it('passes a run whose writes are visible 30 ms after their ack, with tight figures', () => {
    const ops = steadyRun({ writes: 50, gapMs: 10, readEveryMs: 5, untilMs: 1000, visibleAfter: () => 30 });
    const r = check(ops, allKeys(50));
    expect(r.verdict, r.details).toBe('pass');
    const data = r.data as { p95: { low: number; high: number }; observed: number; late: number; lost: number };
    expect(data.p95.low).toBeGreaterThanOrEqual(25);
    expect(data.p95.high).toBeLessThanOrEqual(36);
    expect(data.lost).toBe(0);
    expect(data.observed).toBe(50);
    expect(r.details).toMatch(/^p95 ack-to-visible \d+\.\.\d+ ms, within 100 ms/);
    expect(r.findings).toBeUndefined();
  });

  it('fails a run whose writes take 300 ms, linking each slow write with the reads that bound it', () => {
    const ops = steadyRun({ writes: 50, gapMs: 10, readEveryMs: 5, untilMs: 2000, visibleAfter: () => 300 });
    const r = check(ops, allKeys(50));
    expect(r.verdict, r.details).toBe('fail');
    expect(r.details).toMatch(/^p95 ack-to-visible \d+\.\.\d+ ms, over the 100 ms budget: 50 of 50 writes/);
    expect(r.findings).toHaveLength(50);
    const first = r.findings?.find((f) => f.ops?.[0]?.seq === 0);
    expect(first?.kind).toBe('slow');
    expect(first?.label).toMatch(/^a0 seq 0 \(k0\): visible after 29\d\.\.30\d ms \(budget 100 ms\)$/);
    // The write, the last read that missed it, the first that saw it.
    expect(first?.ops?.map((o) => o.agent)).toEqual([0, 1, 1]);
  });

  it('fails on one slow write in ten at p95, passes it at p50', () => {
    const ops = steadyRun({
      writes: 50,
      gapMs: 10,
      readEveryMs: 5,
      untilMs: 2000,
      visibleAfter: (i) => (i % 10 === 0 ? 400 : 20),
    });
    expect(check(ops, allKeys(50)).verdict).toBe('fail');
    expect(visibilityModel({ budgetMs: 100, percentile: 50 }).visibility.check(input(ops, allKeys(50))).verdict).toBe(
      'pass',
    );
  });

  it('is unknown when the reads stop too soon after the writes to watch them for a budget', () => {
    const ops = steadyRun({ writes: 50, gapMs: 10, readEveryMs: 5, untilMs: 150, visibleAfter: () => 30 });
    const r = check(ops, allKeys(50));
    expect(r.verdict, r.details).toBe('unknown');
    expect(r.details).toMatch(/^too few writes to judge: [0-9] of 50 acknowledged were watched/);
  });

  it('is unknown when the reads are too sparse to tell which side of the budget p95 is', () => {
    // One read every 150 ms: a write visible after 60 ms is bounded by [0, up to 150].
    const ops = steadyRun({ writes: 50, gapMs: 10, readEveryMs: 150, untilMs: 2000, visibleAfter: () => 60 });
    const r = check(ops, allKeys(50));
    expect(r.verdict, r.details).toBe('unknown');
    expect(r.details).toMatch(
      /^reads too sparse to judge: p95 ack-to-visible \d+\.\.\d+ ms straddles the 100 ms budget/,
    );
  });

  it('fails an acknowledged write that no read saw and the final state lacks (lost), naming it', () => {
    const ops = steadyRun({
      writes: 20,
      gapMs: 10,
      readEveryMs: 5,
      untilMs: 1000,
      visibleAfter: (i) => (i === 3 ? Infinity : 20),
    });
    const state = { keys: allKeys(20).keys.filter((k) => k !== 'k3') };
    const r = check(ops, state);
    expect(r.verdict).toBe('fail');
    expect(r.details).toMatch(/^1 acknowledged write not visible at the end \(lost\): a0 seq 3 \(k3\)/);
    expect(r.findings?.[0]).toMatchObject({ kind: 'lost', label: 'a0 seq 3 (k3): acknowledged, never visible' });
  });

  it('says when it could not judge lost writes (a final state it cannot read)', () => {
    const ops = steadyRun({ writes: 20, gapMs: 10, readEveryMs: 5, untilMs: 1000, visibleAfter: () => 20 });
    const r = check(ops, { something: 'else' });
    expect(r.verdict).toBe('pass');
    expect(r.details).toContain('lost not judged');
  });

  it('leaves out writes acked less than a budget before the last read, seen or not', () => {
    const ops = steadyRun({ writes: 50, gapMs: 10, readEveryMs: 5, untilMs: 450, visibleAfter: () => 30 });
    const r = check(ops, allKeys(50));
    const data = r.data as { observed: number; late: number };
    // The last read starts at 445: writes acked after 345 are late.
    expect(data.observed + data.late).toBe(50);
    expect(data.late).toBe(15);
    expect(r.details).toContain('15 later writes not counted');
  });

  it('reads the default shapes: a list of keys, {keys}, {data}', () => {
    const model = visibilityModel();
    const seen = (result: Json) => model.vocabulary.seen(result);
    expect(seen(['a', 1])?.('1')).toBe(true);
    expect(seen({ keys: ['a'] })?.('a')).toBe(true);
    expect(seen({ data: { a: 1 } })?.('a')).toBe(true);
    expect(seen({ data: { a: 1 } })?.('b')).toBe(false);
    expect(seen('nothing')).toBeNull();
  });

  it('charts: per-write bounds and histograms in its data, never an Infinity', () => {
    const ops = steadyRun({ writes: 50, gapMs: 10, readEveryMs: 5, untilMs: 1000, visibleAfter: () => 30 });
    const r = check(ops, allKeys(50));
    const data = r.data as {
      perWrite: { agent: number[]; ack: number[]; low: number[]; high: (number | null)[] };
      histogramHigh: { edgesMs: number[]; counts: number[] };
    };
    expect(data.perWrite.ack).toHaveLength(50);
    expect(data.histogramHigh.counts.reduce((a, b) => a + b, 0)).toBe(50);
    expect(JSON.stringify(r.data)).not.toContain('Infinity');
    expect(JSON.parse(JSON.stringify(r.data))).toEqual(r.data);
  });
});
