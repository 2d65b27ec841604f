// The SIMD build's four-lane SHA-256 (assembly/sha256x4.ts): batch tails, lane order in grinding,
// and bit-identity with the scalar build and node:crypto.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/index.js';
import * as R from '../src/core/reference.js';
import { loadWasmCore } from '../src/core/wasm.js';

const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
const sha256 = (x: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(x).digest());
const sha256d = (x: Uint8Array): Uint8Array => sha256(sha256(x));

let simd: Core;
let scalar: Core;
beforeAll(async () => {
  simd = await loadWasmCore();
  scalar = await loadWasmCore({ simd: false });
});

/** sha256d of the header with nonce n (u32 LE at byte 114). */
const headerHash = (header: Uint8Array, n: number): Uint8Array => {
  const h = header.slice();
  new DataView(h.buffer).setUint32(114, n >>> 0, true);
  return sha256d(h);
};
const meets = (header: Uint8Array, target: Uint8Array, n: number): boolean => R.hashMeetsTargetBytes(headerHash(header, n), target);
/** Lowest nonce in [start, start + count) meeting the target, by brute force with node:crypto. */
const firstHit = (header: Uint8Array, target: Uint8Array, start: number, count: number): number => {
  for (let n = start; n < start + count; n++) if (meets(header, target, n)) return n;
  return -1;
};

describe('four-lane sha256dBatch', () => {
  // item sizes around the padding edges: 55/56 (one or two tail blocks), 63/64/65, two full blocks
  it.each([1, 32, 55, 56, 63, 64, 65, 104, 119, 120, 128, 200])('item size %i: batches of 1..9 equal node:crypto and the scalar build', (size) => {
    for (let count = 1; count <= 9; count++) {
      const items = new Uint8Array(size * count).map((_, i) => (i * 131 + size * 7 + count) & 0xff);
      const a = simd.sha256dBatch(items, size);
      expect(a.length).toBe(32 * count);
      for (let i = 0; i < count; i++) {
        expect(hex(a.subarray(32 * i, 32 * i + 32)), `item ${i} of ${count}`).toBe(hex(sha256d(items.subarray(size * i, size * (i + 1)))));
      }
      expect(hex(scalar.sha256dBatch(items, size))).toBe(hex(a));
    }
  });

  it('lanes do not leak into each other (one item changed, only its digest changes)', () => {
    const items = new Uint8Array(104 * 8).map((_, i) => i & 0xff);
    const before = simd.sha256dBatch(items, 104);
    items[104 * 5 + 103] ^= 1;
    const after = simd.sha256dBatch(items, 104);
    for (let i = 0; i < 8; i++) {
      const same = hex(before.subarray(32 * i, 32 * i + 32)) === hex(after.subarray(32 * i, 32 * i + 32));
      expect(same, `item ${i}`).toBe(i !== 5);
    }
  });
});

describe('four-lane grindNonces', () => {
  const header = new Uint8Array(118).map((_, i) => (i * 29 + 3) & 0xff);
  const easy = new Uint8Array(32).fill(0xff);
  easy[0] = 0x7f; // about half of all nonces qualify

  it('returns the lowest qualifying nonce of a group where several lanes qualify', () => {
    const hits = Array.from({ length: 4000 }, (_, n) => meets(header, easy, n));
    // groups (relative to start) by the lane of their first hit, each with a later lane also hitting
    const found = new Map<number, number>();
    for (let s = 0; s + 4 <= hits.length; s++) {
      const g = hits.slice(s, s + 4);
      const lane = g.indexOf(true);
      if (lane >= 0 && g.lastIndexOf(true) > lane && !found.has(lane)) found.set(lane, s);
    }
    expect([...found.keys()].sort()).toEqual([0, 1, 2]);
    for (const [lane, s] of found) {
      for (const core of [simd, scalar]) expect(core.grindNonces(header, easy, s, 8)).toBe(s + lane);
    }
  });

  it('finds a hit in the last lane and in the scalar tail (count not a multiple of 4)', () => {
    const hits = Array.from({ length: 4000 }, (_, n) => meets(header, easy, n));
    const last = hits.findIndex((_, s) => !hits[s] && !hits[s + 1] && !hits[s + 2] && hits[s + 3]);
    const tail = hits.findIndex((_, s) => s + 4 < hits.length && hits.slice(s, s + 4).every((h) => !h) && hits[s + 4]);
    expect(last).toBeGreaterThanOrEqual(0);
    expect(tail).toBeGreaterThanOrEqual(0);
    expect(simd.grindNonces(header, easy, last, 4)).toBe(last + 3);
    for (const count of [5, 6, 7]) expect(simd.grindNonces(header, easy, tail, count)).toBe(tail + 4);
    expect(simd.grindNonces(header, easy, tail, 4)).toBe(-1);
  });

  it('compares past the first word (target equal to a hash, and one below it)', () => {
    for (const n of [17, 18, 19, 20]) {
      const exact = headerHash(header, n);
      const below = exact.slice();
      let i = 31;
      while (below[i] === 0) below[i--] = 0xff;
      below[i]! -= 1;
      for (const target of [exact, below]) {
        const want = firstHit(header, target, 16, 8);
        expect(simd.grindNonces(header, target, 16, 8)).toBe(want);
        expect(scalar.grindNonces(header, target, 16, 8)).toBe(want);
      }
      expect(simd.grindNonces(header, exact, n, 1)).toBe(n);
      expect(simd.grindNonces(header, exact, n & ~3, 4)).toBe(firstHit(header, exact, n & ~3, 4));
    }
  });

  it('grinds the top of the nonce range without wrapping', () => {
    const all = new Uint8Array(32).fill(0xff);
    expect(simd.grindNonces(header, all, 0xffff_fffc, 4)).toBe(0xffff_fffc);
    expect(simd.grindNonces(header, new Uint8Array(32), 0xffff_fff8, 8)).toBe(-1);
    expect(simd.grindNonces(header, easy, 0xffff_fff0, 16)).toBe(firstHit(header, easy, 0xffff_fff0, 16));
  });

  it('SIMD and scalar builds agree with node:crypto on random headers, starts and counts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 118, maxLength: 118 }),
        fc.integer({ min: 0, max: 0xffff_ff00 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 0xff }),
        (h, start, count, t0) => {
          const target = new Uint8Array(32).fill(0xff);
          target[0] = t0;
          const want = firstHit(h, target, start, count);
          expect(simd.grindNonces(h, target, start, count)).toBe(want);
          expect(scalar.grindNonces(h, target, start, count)).toBe(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('generated rounds', () => {
  it('assembly/*-rounds.ts are exactly what `npm run gen:sha256` writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bloom-gen-'));
    try {
      execFileSync(process.execPath, ['assembly/gen-sha256.mjs', '--out', dir], { timeout: 30_000 });
      for (const f of ['sha256-rounds.ts', 'sha256x4-rounds.ts']) {
        expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join('assembly', f), 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
