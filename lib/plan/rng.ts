// A small seeded random stream over pure-rand's xoroshiro128+.
// Every random choice in a plan goes through one of these, so a seed replays the plan.
import { xoroshiro128plus, unsafeUniformIntDistribution, type RandomGenerator } from 'pure-rand';

export interface Rng {
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Float in [0, 1). */
  float(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

const FLOAT_STEPS = 2 ** 30;

export function createRng(seed: number): Rng {
  const gen: RandomGenerator = xoroshiro128plus(seed | 0);
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min)
      throw new RangeError(`rng.int(${min}, ${max}): need integers with min <= max`);
    const value = unsafeUniformIntDistribution(min, max, gen);
    // The same number, as a small integer where it is one: the distribution can hand back an integral
    // double, which V8 then keeps boxed (16 bytes more) in every object holding it, and a plan holds one per op.
    return (value | 0) === value ? value | 0 : value;
  };
  const rng: Rng = {
    int,
    float: () => int(0, FLOAT_STEPS - 1) / FLOAT_STEPS,
    chance: (p) => rng.float() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('rng.pick: empty list');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
  };
  return rng;
}

/** A fresh random 32-bit seed for a run that was not given one. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}
