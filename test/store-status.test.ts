// StatusCache: a status it answers is the last one set for that hash, whatever was evicted meanwhile.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StatusCache } from '../src/chain/statuscache.js';

describe('StatusCache', () => {
  it('never answers a status other than the last one set for the hash (small table: constant eviction)', () => {
    const c = new StatusCache(64);
    const truth = new Map<string, number>();
    const hashes = Array.from({ length: 400 }, () => new Uint8Array(randomBytes(32)));
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const h = hashes[(i * 7919) % hashes.length]!;
      const k = Buffer.from(h).toString('hex');
      if (i % 3 === 0) {
        const st = (i % 5) - 1; // −1 … 3
        c.set(h, st);
        truth.set(k, st);
      } else {
        const got = c.get(h);
        if (got !== undefined) {
          hits++;
          expect(got).toBe(truth.get(k));
        }
      }
    }
    expect(hits).toBeGreaterThan(0);
  });

  it('reads hashes at an offset in a run buffer, and forgets everything on clear', () => {
    const c = new StatusCache(1 << 10);
    const run = new Uint8Array(randomBytes(32 * 100));
    for (let i = 0; i < 100; i++) c.set(run, i % 3, 32 * i);
    for (let i = 0; i < 100; i++) expect(c.get(run.slice(32 * i, 32 * i + 32))).toBe(i % 3);
    // same last 16 bytes, different first 16: the same key (a false match would need two valid headers sharing 128 bits)
    const other = run.slice(0, 32);
    other[0]! ^= 1;
    expect(c.get(other)).toBe(0);
    c.clear();
    expect(c.get(run, 0)).toBeUndefined();
  });
});
