import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AddrBook } from '../src/p2p/addrbook.js';
import { AddrBook as RefBook } from './ref/addrbook-ref.js';

// The compact (struct-of-arrays) book against the object-per-address book it replaced: after any sequence
// of operations both hold the same entries in the same order, and answer get, candidates, good and
// snapshot identically. Small tables so buckets fill, evict and promote often; few hosts so ops collide.
const host = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 })).map(([a, b, c, d]) => `${a}.${b}.${c}.${d}`) },
  { weight: 1, arbitrary: fc.constantFrom('::ffff:10.1.2.3', '[::ffff:10.1.2.3]', '2001:db8::1', '[2001:DB8::1]', 'FF02::1', '::', 'seed.example', 'Seed.Example', '[[x]]', '[x]', '010.1.2.3', '') },
);
const port = fc.oneof({ weight: 8, arbitrary: fc.constant(7618) }, { weight: 1, arbitrary: fc.constantFrom(1, 7619, 65535, 0, 70000, 1.5) });
const time = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 50 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 32, 0.5, 1e15) });
const source = fc.option(fc.constantFrom('20.1.0.1', '20.1.9.9', '30.2.0.1', '40.3.0.1', '2001:db8::7', 'peer.example'), { nil: undefined });
const op = fc.oneof(
  { weight: 10, arbitrary: fc.record({ k: fc.constant('add' as const), host, port, t: time, source, tried: fc.boolean(), seed: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('success' as const), host, port, t: fc.integer({ min: 0, max: 100_000 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('failure' as const), host, port, t: fc.integer({ min: 0, max: 100_000 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('attempt' as const), host, port, t: fc.integer({ min: 0, max: 100_000 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('remove' as const), host, port }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('load' as const), addrs: fc.array(fc.record({ host, port, lastSeen: time, source: fc.option(fc.constantFrom('20.1', '30.2', '20010db8::/32', 'name:peer.example', 'junk'), { nil: undefined }), tried: fc.boolean() }), { maxLength: 6 }) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(b: AddrBook | RefBook, o: Op): unknown {
  switch (o.k) {
    case 'add':
      return b.add(o.host, o.port, o.t, { seed: o.seed && o.host.length % 3 === 0, source: o.source, tried: o.tried });
    case 'success':
      return b.markSuccess(o.host, o.port, o.t);
    case 'failure':
      return b.markFailure(o.host, o.port, o.t);
    case 'attempt':
      return b.markAttempt(o.host, o.port, o.t);
    case 'remove':
      return b.remove(o.host, o.port);
    case 'load':
      return b.load(o.addrs.map((a) => ({ ...a, ...(a.source === undefined ? {} : { source: a.source }) })));
  }
}

const observe = (b: AddrBook | RefBook, probes: readonly Op[]): unknown => ({
  size: b.size,
  snapshot: b.snapshot(),
  good: [b.good(1000), b.good(3), b.good(-1), b.good(5, (k) => k.startsWith('1'))],
  candidates: [b.candidates(1e12, () => false, 40), b.candidates(30_000, (k, e) => e.tried || k.endsWith('9'), 7), b.candidates(1e12, () => false, 0)],
  gets: probes.map((o) => ('host' in o ? b.get(o.host, o.port) : undefined)),
});

describe('compact address book = reference book', () => {
  it('same answers after any sequence of operations (small tables: evictions and promotions)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 0, max: 3 }), (ops, shape) => {
        const opts = [
          { newBuckets: 2, bucketsPerSource: 1, bucketSize: 4, triedBuckets: 1 },
          { newBuckets: 4, bucketsPerSource: 2, bucketSize: 3, triedBuckets: 2, maxFailures: 2 },
          { newBuckets: 8, bucketsPerSource: 4, bucketSize: 8, triedBuckets: 2 },
          {},
        ][shape]!;
        const key = new Uint8Array(32).fill(shape + 1);
        const a = new AddrBook({ ...opts, key });
        const r = new RefBook({ ...opts, key });
        for (const o of ops) expect(apply(a, o)).toEqual(apply(r, o));
        expect(observe(a, ops.slice(-20))).toEqual(observe(r, ops.slice(-20)));
      }),
      { numRuns: 300 },
    );
  });

  it('same answers through a long churn of many addresses (table growth, rehash, deletions)', () => {
    const a = new AddrBook({ key: new Uint8Array(32).fill(3) });
    const r = new RefBook({ key: new Uint8Array(32).fill(3) });
    let x = 99;
    const next = (n: number): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x % n);
    for (let i = 0; i < 60_000; i++) {
      const h = `${1 + next(200)}.${next(256)}.${next(8)}.${next(256)}`;
      const src = `${1 + next(30)}.${next(3)}.0.1`;
      const k = next(100);
      for (const b of [a, r]) {
        if (k < 85) b.add(h, 7618, next.length + i, { source: src });
        else if (k < 92) b.markSuccess(h, 7618, i * 10);
        else if (k < 98) b.markFailure(h, 7618, i * 10);
        else b.remove(h, 7618);
      }
      if (i % 10_000 === 0) expect(a.snapshot()).toEqual(r.snapshot());
    }
    expect(a.size).toBe(r.size);
    expect(a.size).toBeGreaterThan(1500);
    expect(observe(a, [])).toEqual(observe(r, []));
  });
});
