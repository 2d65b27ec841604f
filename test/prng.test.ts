import { describe, expect, it } from 'vitest';
import { Rng } from '../src/prng.js';

describe('Rng', () => {
  it('a seed fixes the stream (xoshiro128** after splitmix32; first words pinned: the same as src/sim/rng.ts today)', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(new Rng(43).u32()).not.toBe(xs[0]);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    expect(xs).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
  });

  it('draws stay in range and look uniform', () => {
    const r = new Rng(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
      buckets[Math.floor(v * 10)]++;
    }
    for (const n of buckets) expect(Math.abs(n - 2000)).toBeLessThan(200);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(r.int(0)).toBe(0);
    expect(r.bytes(7).length).toBe(7);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('forks are independent of draws made elsewhere', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    b.u32();
    b.u32();
    expect(a.fork('x').u32()).toBe(b.fork('x').u32());
    expect(a.fork('x').u32()).not.toBe(a.fork('y').u32());
  });
});
