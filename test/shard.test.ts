// `--shard i/n`: parsing, and that n shards do every run exactly once, round-robin.
import { describe, expect, it } from 'vitest';
import { describeShard, expandRepeats, parseShard, pickShard, shardOption } from '../dist/lib/cli/shard.js';

describe('--shard i/n', () => {
  it('parses i/n with 1 <= i <= n', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
  });

  it('rejects anything else with one clear line', () => {
    for (const bad of ['0/2', '3/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', '']) {
      expect(() => parseShard(bad), bad).toThrow(/--shard must be i\/n with 1 <= i <= n/);
      expect(() => shardOption(bad), bad).toThrow(/--shard must be i\/n/);
    }
  });

  it('splits runs round-robin: every run once, shards within one of each other in size', () => {
    const scenarios = ['batch-ops', 'concurrent-creates', 'mixed-ops', 'spawn-per-op', 'timeouts', 'unique-ids'];
    for (const repeat of [1, 2, 3]) {
      const items = expandRepeats(scenarios, repeat);
      expect(items).toHaveLength(scenarios.length * repeat);
      for (const count of [1, 2, 3, 4, 7, 20]) {
        const shards = Array.from({ length: count }, (_, i) => pickShard(items, { index: i + 1, count }));
        expect(shards.flat().map((it) => `${it.job}#${it.repeat}`).sort()).toEqual(items.map((it) => `${it.job}#${it.repeat}`).sort());
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
    expect(pickShard(expandRepeats(['a', 'b', 'c'], 1), { index: 2, count: 2 })).toEqual([{ job: 'b', repeat: 0 }]);
    expect(pickShard(expandRepeats(['a', 'b'], 2), { index: 1, count: 2 })).toEqual([
      { job: 'a', repeat: 0 },
      { job: 'b', repeat: 0 },
    ]);
    expect(pickShard(['a', 'b'], undefined)).toEqual(['a', 'b']);
  });

  it('says what a shard covers', () => {
    expect(describeShard({ index: 2, count: 3 }, 2, 6)).toBe('shard 2/3: 2 of 6 runs');
  });
});
