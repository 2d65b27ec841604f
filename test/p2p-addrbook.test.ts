import { describe, expect, it } from 'vitest';
import { AddrBook } from '../src/p2p/addrbook.js';
import { addrStringTable } from '../src/p2p/addr-strings.js';

// One new bucket of 4 slots, so every address competes for the same room and the eviction rule is
// visible from outside: a failed entry goes first, else the oldest of the most represented source
// (the newcomer's own source on a tie). The bucket's per-source counts are kept as entries come and go.
const small = (): AddrBook => new AddrBook({ newBuckets: 1, bucketsPerSource: 1, bucketSize: 4, triedBuckets: 1, key: new Uint8Array(32) });
const has = (b: AddrBook, host: string): boolean => b.get(host, 7618) !== undefined;

describe('address book eviction (running source counts)', () => {
  it('a full bucket evicts the oldest entry of the most represented source', () => {
    const b = small();
    b.add('11.0.0.1', 7618, 10, { source: '20.1.0.1' });
    b.add('11.0.0.2', 7618, 5, { source: '20.1.0.1' });
    b.add('11.0.0.3', 7618, 20, { source: '20.1.0.1' });
    b.add('12.0.0.1', 7618, 1, { source: '30.1.0.1' });
    expect(b.add('13.0.0.1', 7618, 30, { source: '40.1.0.1' })).toBe(true);
    expect(has(b, '11.0.0.2')).toBe(false); // source 20.1 holds 3 of 4: its oldest (lastSeen 5) went
    expect(has(b, '12.0.0.1')).toBe(true); // older, but its source is the minority
    expect(b.size).toBe(4);
    // 20.1 now holds 2, 30.1 and 40.1 one each: the next newcomer evicts 20.1's oldest again
    b.add('14.0.0.1', 7618, 30, { source: '50.1.0.1' });
    expect(has(b, '11.0.0.1')).toBe(false);
    expect(has(b, '11.0.0.3')).toBe(true);
  });

  it('a failed entry goes first, and a tie goes against the newcomer’s own source', () => {
    const b = small();
    b.add('11.0.0.1', 7618, 10, { source: '20.1.0.1' });
    b.add('11.0.0.2', 7618, 11, { source: '20.1.0.1' });
    b.add('12.0.0.1', 7618, 1, { source: '30.1.0.1' });
    b.add('12.0.0.2', 7618, 2, { source: '30.1.0.1' });
    b.markFailure('11.0.0.2', 7618, 0);
    b.add('13.0.0.1', 7618, 30, { source: '40.1.0.1' });
    expect(has(b, '11.0.0.2')).toBe(false); // failed: evicted although 20.1 and 30.1 tie
    // 20.1 one, 30.1 two, 40.1 one; a second 40.1 newcomer: 30.1 is the most represented
    b.add('13.0.0.2', 7618, 31, { source: '40.1.0.1' });
    expect(has(b, '12.0.0.1')).toBe(false);
    // now 20.1 one, 30.1 one, 40.1 two: a 40.1 newcomer evicts 40.1's own oldest
    b.add('13.0.0.3', 7618, 32, { source: '40.1.0.1' });
    expect(has(b, '13.0.0.1')).toBe(false);
    expect(['11.0.0.1', '12.0.0.2', '13.0.0.2', '13.0.0.3'].every((h) => has(b, h))).toBe(true);
  });

  it('counts follow removals and promotions: a source that left the bucket no longer counts', () => {
    const b = small();
    b.add('11.0.0.1', 7618, 10, { source: '20.1.0.1' });
    b.add('11.0.0.2', 7618, 11, { source: '20.1.0.1' });
    b.add('11.0.0.3', 7618, 12, { source: '20.1.0.1' });
    b.add('12.0.0.1', 7618, 1, { source: '30.1.0.1' });
    b.remove('11.0.0.1', 7618);
    b.markSuccess('11.0.0.2', 7618, 1000); // to the tried table: out of the new bucket
    b.add('12.0.0.2', 7618, 2, { source: '30.1.0.1' });
    b.add('12.0.0.3', 7618, 3, { source: '30.1.0.1' }); // fills the bucket: 20.1 one, 30.1 three
    b.add('13.0.0.1', 7618, 30, { source: '40.1.0.1' });
    expect(has(b, '12.0.0.1')).toBe(false); // 30.1 is now the most represented, not 20.1
    expect(has(b, '11.0.0.3')).toBe(true);
    expect(b.get('11.0.0.2', 7618)?.tried).toBe(true);
  });

  it('IPv4 literals take the fast path with the same keys, groups and refusals as any host', () => {
    const b = new AddrBook({ key: new Uint8Array(32) });
    expect(b.add('224.1.2.3', 7618, 1)).toBe(false); // multicast
    expect(b.add('0.0.0.0', 7618, 1)).toBe(false);
    expect(b.add('010.1.2.3', 7618, 1)).toBe(false); // not canonical: not an IP literal either
    expect(b.add('10.1.2.3', 7618, 1, { source: '20.1.0.1' })).toBe(true);
    expect(b.get('[::ffff:10.1.2.3]', 7618)?.host).toBe('10.1.2.3'); // the same entry by its mapped form
    expect(b.add('::ffff:10.1.2.3', 7618, 5)).toBe(true);
    expect(b.size).toBe(1);
    expect(b.get('10.1.2.3', 7618)?.lastSeen).toBe(5);
    expect(b.snapshot()).toEqual([{ host: '10.1.2.3', port: 7618, lastSeen: 5, source: '20.1', tried: false }]);
  });
});

describe('address book with a shared string table (the simulator)', () => {
  it('decides exactly as without one: same entries, candidates and ADDR answers after the same churn', () => {
    const table = new Map<string, string>();
    const intern = (s: string): string => table.get(s) ?? (table.set(s, s), s);
    const opts = { newBuckets: 4, bucketsPerSource: 2, bucketSize: 8, triedBuckets: 2, key: new Uint8Array(32).fill(7) };
    const plain = new AddrBook(opts);
    const shared = new AddrBook({ ...opts, intern });
    const other = new AddrBook({ ...opts, key: new Uint8Array(32).fill(9), intern }); // a second book on the same table
    let x = 12345;
    const next = (n: number): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x % n);
    for (let i = 0; i < 2000; i++) {
      const host = `${11 + next(40)}.${next(4)}.0.${1 + next(200)}`;
      const source = `${60 + next(6)}.1.0.1`;
      const op = next(10);
      for (const b of [plain, shared, other]) {
        if (op < 7) b.add(host, 7618, i, { source });
        else if (op === 7) b.markSuccess(host, 7618, i * 1000);
        else if (op === 8) b.markFailure(host, 7618, i * 1000);
        else b.remove(host, 7618);
      }
    }
    expect(shared.size).toBe(plain.size);
    expect(shared.snapshot()).toEqual(plain.snapshot());
    expect(shared.good(1000)).toEqual(plain.good(1000));
    const skip = (): boolean => false;
    expect(shared.candidates(1e12, skip, 50)).toEqual(plain.candidates(1e12, skip, 50));
    expect(table.size).toBeGreaterThan(0);
    expect(other.size).toBeGreaterThan(0);
  });
});

describe('the shared table of address strings (numeric dotted-quad path)', () => {
  it('finds a dotted quad and port by number: the same host and key strings, one entry per (host, port)', () => {
    const t = addrStringTable();
    const v4 = t.v4!;
    const i = v4.find('10.1.2.3', 7618);
    expect(v4.host(i)).toBe('10.1.2.3');
    expect(v4.key(i)).toBe('10.1.2.3:7618');
    expect(v4.find('10.1.2.3', 7618)).toBe(i);
    expect(v4.find('10.1.2.3', 7619)).not.toBe(i);
    expect(v4.find('10.1.2.30', 7618)).not.toBe(i);
    expect(v4.host(v4.find('255.255.255.255', 1))).toBe('255.255.255.255'); // above 2^31 as a uint32
    // past several rehashes every pair still finds its own strings
    for (let k = 0; k < 5000; k++) v4.find(`${1 + (k % 250)}.${k >> 8}.${k & 255}.9`, 1000 + (k % 3));
    for (let k = 0; k < 5000; k++) expect(v4.key(v4.find(`${1 + (k % 250)}.${k >> 8}.${k & 255}.9`, 1000 + (k % 3)))).toBe(`${1 + (k % 250)}.${k >> 8}.${k & 255}.9:${1000 + (k % 3)}`);
    expect(t('x')).toBe('x');
  });

  it('books on it decide exactly as a plain book (mixed ports, mapped and IPv6 forms)', () => {
    const opts = { newBuckets: 4, bucketsPerSource: 2, bucketSize: 8, triedBuckets: 2, key: new Uint8Array(32).fill(3) };
    const intern = addrStringTable();
    const plain = new AddrBook(opts);
    const shared = new AddrBook({ ...opts, intern });
    const other = new AddrBook({ ...opts, key: new Uint8Array(32).fill(4), intern });
    let x = 777;
    const next = (n: number): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x % n);
    for (let i = 0; i < 3000; i++) {
      const a = `${11 + next(40)}.${next(4)}.0.${1 + next(200)}`;
      const host = next(10) === 0 ? `::ffff:${a}` : next(20) === 0 ? `2001:db8::${next(50).toString(16)}` : a;
      const port = 7618 + next(3);
      const source = `${60 + next(6)}.1.0.1`;
      const op = next(10);
      for (const b of [plain, shared, other]) {
        if (op < 7) b.add(host, port, i, { source });
        else if (op === 7) b.markSuccess(host, port, i * 1000);
        else if (op === 8) b.markFailure(host, port, i * 1000);
        else b.remove(host, port);
      }
    }
    expect(shared.snapshot()).toEqual(plain.snapshot());
    const kp: string[] = [];
    const ks: string[] = [];
    expect(shared.good(1000, undefined, ks)).toEqual(plain.good(1000, undefined, kp));
    expect(ks).toEqual(kp);
    const skip = (): boolean => false;
    expect(shared.candidates(1e12, skip, 50)).toEqual(plain.candidates(1e12, skip, 50));
    expect(other.size).toBeGreaterThan(0);
  });
});
