import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sipHash24, sipHashString32, sipKey } from '../src/p2p/siphash.js';

// The reference algorithm in BigInt, written from the paper (not from src/p2p/siphash.ts), to check
// the hi/lo-pair arithmetic on arbitrary inputs.
const M = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M;
function reference(key: Uint8Array, msg: Uint8Array): bigint {
  const le = (b: Uint8Array, o: number): bigint => {
    let x = 0n;
    for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(b[o + i] ?? 0);
    return x;
  };
  const k0 = le(key, 0);
  const k1 = le(key, 8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & M; v1 = rotl(v1, 13n); v1 ^= v0; v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M; v3 = rotl(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & M; v3 = rotl(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & M; v1 = rotl(v1, 17n); v1 ^= v2; v2 = rotl(v2, 32n);
  };
  const blocks = Math.floor(msg.length / 8);
  const padded = new Uint8Array((blocks + 1) * 8);
  padded.set(msg);
  padded[padded.length - 1] = msg.length & 0xff;
  for (let i = 0; i <= blocks; i++) {
    const m = le(padded, 8 * i);
    v3 ^= m; round(); round(); v0 ^= m;
  }
  v2 ^= 0xffn;
  round(); round(); round(); round();
  return v0 ^ v1 ^ v2 ^ v3;
}

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
const seq = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);
const u64 = ([lo, hi]: [number, number]): bigint => (BigInt(hi) << 32n) | BigInt(lo);

describe('SipHash-2-4', () => {
  it('matches the published test vectors (key 00..0f, message 00..len-1)', () => {
    // vectors.h of the reference implementation, read as little-endian u64; the last is the paper's Appendix A
    expect(u64(sipHash24(sipKey(KEY), seq(0)))).toBe(0x726fdb47dd0e0e31n);
    expect(u64(sipHash24(sipKey(KEY), seq(1)))).toBe(0x74f839c593dc67fdn);
    expect(u64(sipHash24(sipKey(KEY), seq(15)))).toBe(0xa129ca6149be45e5n);
    expect(reference(KEY, seq(15))).toBe(0xa129ca6149be45e5n);
  });

  it('agrees with a BigInt reference on any key and message, and on ASCII strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 40 }), (key, msg) => {
        expect(u64(sipHash24(sipKey(key), msg))).toBe(reference(key, msg));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.string({ maxLength: 40 }), (key, s) => {
        const bytes = new TextEncoder().encode(s);
        expect(sipHashString32(sipKey(key), s)).toBe(Number(reference(key, bytes) & 0xffffffffn));
      }),
      { numRuns: 300 },
    );
    expect(sipHashString32(sipKey(KEY), 'ä10.3|10.7')).toBe(Number(reference(KEY, new TextEncoder().encode('ä10.3|10.7')) & 0xffffffffn));
  });

  it('depends on the key: another key moves the same string', () => {
    const other = KEY.map((b) => b ^ 1);
    expect(sipHashString32(sipKey(KEY), 'slot|10.3|10.7')).not.toBe(sipHashString32(sipKey(other), 'slot|10.3|10.7'));
  });
});
