import { describe, expect, it } from 'vitest';
import { DigestRing, DigestTable } from '../src/gossip/digest-table.js';
import { PhaseRelayProtocol } from '../src/gossip/relay.js';
import { BoundedSet } from '../src/bounded-set.js';
import { Rng } from '../src/prng.js';

/** The relay table as it was (a Map keyed by the 16-byte key as a latin1 string): the reference. */
class MapRelay {
  seen = new Map<string, number>();
  prunes = 0;
  constructor(readonly threshold: number, readonly maxEntries: number, readonly keep: number) {}
  shouldRelay(r: number, h: string): boolean {
    const prev = this.seen.get(h);
    if (prev !== undefined && r <= prev + this.threshold) return false;
    this.seen.set(h, r);
    if (this.seen.size > this.maxEntries) this.prune();
    return true;
  }
  remember(r: number, h: string): void {
    const prev = this.seen.get(h);
    if (prev === undefined || r > prev) this.seen.set(h, r);
    if (this.seen.size > this.maxEntries) this.prune();
  }
  private prune(): void {
    this.seen = new Map([...this.seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.keep));
    this.prunes++;
  }
}

const str = (k: Uint8Array): string => String.fromCharCode(...k.subarray(0, 16));

function keys(n: number, rng: Rng): Uint8Array[] {
  return Array.from({ length: n }, () => {
    const k = new Uint8Array(32);
    for (let i = 0; i < 32; i++) k[i] = rng.int(256);
    return k;
  });
}

describe('DigestTable', () => {
  it('finds what it holds by the first 16 bytes only, grows, and keeps a chosen order', () => {
    const t = new DigestTable(4);
    const ks = keys(300, new Rng(1));
    ks.forEach((k, i) => t.insert(k, i / 2));
    expect(t.size).toBe(300);
    ks.forEach((k, i) => expect(t.value(t.find(k))).toBe(i / 2));
    const tail = ks[7]!.slice();
    tail[20] ^= 0xff; // beyond the key
    expect(t.find(tail)).toBe(t.find(ks[7]!));
    const other = ks[7]!.slice();
    other[15] ^= 1;
    expect(t.find(other)).toBe(-1);
    t.keepOnly([5, 2, 9]);
    expect(t.size).toBe(3);
    expect([t.find(ks[5]!), t.find(ks[2]!), t.find(ks[9]!), t.find(ks[0]!)]).toEqual([0, 1, 2, -1]);
    expect(() => t.find(new Uint8Array(15))).toThrow(RangeError);
  });
});

describe('PhaseRelayProtocol on DigestTable', () => {
  it('answers as the Map-keyed table did, through pruning with ties (stable order kept)', () => {
    const rng = new Rng(7);
    const pool = keys(400, rng);
    const opts = { threshold: 0.02, maxEntries: 100, keep: 50 };
    const a = new PhaseRelayProtocol(opts);
    const b = new MapRelay(opts.threshold, opts.maxEntries, opts.keep);
    for (let i = 0; i < 20_000; i++) {
      const k = pool[rng.int(pool.length)]!;
      const r = rng.int(40) / 40; // coarse r: many ties decide who survives a prune
      if (rng.int(4) === 0) {
        a.remember(r, k);
        b.remember(r, str(k));
      } else {
        expect(a.shouldRelay(r, k)).toBe(b.shouldRelay(r, str(k)));
      }
      expect(a.size).toBe(b.seen.size);
    }
    expect(a.prunes).toBe(b.prunes);
    expect(a.prunes).toBeGreaterThan(10);
    for (const k of pool) expect(a.get(k)).toBe(b.seen.get(str(k)));
  });
});

describe('DigestRing', () => {
  it('forgets as a BoundedSet of the same cap does', () => {
    const rng = new Rng(3);
    const pool = keys(40, rng);
    const ring = new DigestRing(16);
    const ref = new BoundedSet<string>(16);
    for (let i = 0; i < 5000; i++) {
      const k = pool[rng.int(pool.length)]!;
      if (rng.int(2) === 0) expect(ring.add(k)).toBe(ref.add(str(k)));
      else expect(ring.has(k)).toBe(ref.has(str(k)));
      expect(ring.size).toBe(ref.size);
    }
  });
});
