import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedSet } from '../src/bounded-set.js';

describe('BoundedSet', () => {
  it('never holds more than cap and forgets the oldest insertion first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 60 }), (cap, keys) => {
        const s = new BoundedSet<number>(cap);
        const model: number[] = [];
        for (const k of keys) {
          const fresh = !model.includes(k);
          expect(s.add(k)).toBe(fresh);
          if (fresh) {
            model.push(k);
            if (model.length > cap) model.shift();
          }
          expect(s.size).toBeLessThanOrEqual(cap);
        }
        expect([...s.values()]).toEqual(model);
        for (let k = 0; k <= 12; k++) expect(s.has(k)).toBe(model.includes(k));
      }),
    );
  });

  it('with deletes and re-adds mixed in: the oldest live insertion is forgotten first (a deleted slot never evicts a newer add)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 3000 }),
        (cap, ops) => {
          const s = new BoundedSet<number>(cap);
          const model: number[] = [];
          for (const [del, k] of ops) {
            if (del) {
              const i = model.indexOf(k);
              expect(s.delete(k)).toBe(i >= 0);
              if (i >= 0) model.splice(i, 1);
              continue;
            }
            const fresh = !model.includes(k);
            expect(s.add(k)).toBe(fresh);
            if (fresh) {
              model.push(k);
              if (model.length > cap) model.shift();
            }
          }
          expect([...s.values()]).toEqual(model);
          expect(s.size).toBe(model.length);
        },
      ),
    );
  });

  it('adds and deletes that never reach the cap keep the insertion order bounded (no growth per deleted key)', () => {
    const s = new BoundedSet<number>(8);
    for (let i = 0; i < 100_000; i++) {
      s.add(i);
      if (i % 4 !== 0) s.delete(i); // one in four stays: the set fills only slowly
      if (s.size >= 7) s.delete(i - (i % 4) - 24);
      expect(s.orderSlots).toBeLessThanOrEqual(16);
    }
    // eviction still forgets the oldest live key first
    const t = new BoundedSet<number>(3);
    for (let i = 0; i < 50; i++) {
      t.add(i);
      t.delete(i);
    }
    [100, 101, 102, 103].forEach((k) => t.add(k));
    expect([...t.values()]).toEqual([101, 102, 103]);
  });

  it('delete and clear; a cap below 1 is refused', () => {
    const s = new BoundedSet<string>(2);
    s.add('a');
    expect(s.delete('a')).toBe(true);
    expect(s.has('a')).toBe(false);
    s.add('b');
    s.clear();
    expect(s.size).toBe(0);
    expect(() => new BoundedSet(0)).toThrow(RangeError);
    expect(() => new BoundedSet(1.5)).toThrow(RangeError);
  });
});
