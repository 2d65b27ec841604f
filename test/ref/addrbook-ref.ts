// The address book as it was before the struct-of-arrays rewrite (commit 3547928): the reference the
// property test (test/p2p-addrbook-prop.test.ts) compares the compact book against. Not used by src/.
// Known peer addresses, Bitcoin Core's addrman in small: a "new" table bucketed by the source's
// network group (one source can fill only a few buckets) and a "tried" table of addresses we connected
// to, which new addresses never evict. Dialled with backoff; seeds are kept apart and never forgotten.
import { createHash, randomBytes } from 'node:crypto';
import type { NetAddr } from '../../src/wire/types.js';
import { dottedV4First, isUnroutable, normalizeHost, parseIp } from '../../src/wire/ip.js';
import { netGroup, sourceHost } from '../../src/p2p/netgroup.js';
import { sipHashString32, sipKey, type SipKey } from '../../src/p2p/siphash.js';

// the same entry, record and option shapes as the book it is compared against
export type { AddrBookOptions, AddrEntry, AddrRecord } from '../../src/p2p/addrbook.js';
import { addrKey, type AddrBookOptions, type AddrEntry, type AddrRecord } from '../../src/p2p/addrbook.js';


/**
 * One bucket: its entries in insertion order (at most bucketSize, so a scan is cheaper than a second map)
 * and how many of them each source group holds, kept as entries come and go so a full bucket finds its
 * most represented source without a census.
 */
class Bucket {
  readonly entries: AddrEntry[] = [];
  readonly sources = new Map<string, number>();

  get size(): number {
    return this.entries.length;
  }

  add(e: AddrEntry): void {
    this.entries.push(e);
    this.sources.set(e.source, (this.sources.get(e.source) ?? 0) + 1);
  }

  delete(e: AddrEntry): void {
    const i = this.entries.indexOf(e);
    if (i < 0) return;
    this.entries.splice(i, 1);
    const n = this.sources.get(e.source)! - 1;
    if (n === 0) this.sources.delete(e.source);
    else this.sources.set(e.source, n);
  }
}

const same = (s: string): string => s;

export class AddrBook {
  private readonly entries = new Map<string, AddrEntry>();
  /** Keys per bucket, new table then tried table. */
  private readonly newTable: Bucket[];
  private readonly triedTable: Bucket[];
  private readonly bucketSize: number;
  private readonly perSource: number;
  private readonly key: SipKey;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly seedMaxBackoffMs: number;
  private readonly maxFailures: number;
  private readonly intern: (s: string) => string;
  private lastSource: [string, string] = ['', ''];
  private slotsOf = '';
  private readonly slotBuckets: Int32Array;

  constructor(opts: AddrBookOptions = {}) {
    this.newTable = Array.from({ length: opts.newBuckets ?? 64 }, () => new Bucket());
    this.triedTable = Array.from({ length: opts.triedBuckets ?? 16 }, () => new Bucket());
    this.bucketSize = opts.bucketSize ?? 32;
    this.perSource = Math.min(opts.bucketsPerSource ?? 4, this.newTable.length);
    this.slotBuckets = new Int32Array(this.perSource).fill(-1);
    // SipHash takes 128 bits; a key of any length is condensed once (sha256), here and never per call
    this.key = sipKey(createHash('sha256').update(opts.key ?? randomBytes(32)).digest());
    this.baseBackoffMs = opts.baseBackoffMs ?? 5_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10 * 60_000;
    this.seedMaxBackoffMs = opts.seedMaxBackoffMs ?? 30_000;
    this.maxFailures = opts.maxFailures ?? 8;
    this.intern = opts.intern ?? same;
  }

  get size(): number {
    return this.entries.size;
  }

  get(host: string, port: number): AddrEntry | undefined {
    return this.entries.get(addrKey(host, port));
  }

  /**
   * Adds or refreshes an address heard of from `source` (a host; default the address itself). Returns
   * false if it was not taken. A full bucket evicts the entry of its most represented source, so one
   * source only ever displaces its own addresses.
   */
  add(host: string, port: number, lastSeen: number, opts: { seed?: boolean; source?: string; tried?: boolean } = {}): boolean {
    if (!Number.isInteger(port) || port < 1 || port > 0xffff || host === '') return false;
    const seed = opts.seed ?? false;
    const ip = dottedV4First(host) >= 0 || parseIp(host) !== null;
    if (!seed && !ip) return false; // learnt addresses are IP literals only
    let h = normalizeHost(host);
    if (!seed && isUnroutable(h)) return false;
    const key = addrKey(h, port);
    const e = this.entries.get(key);
    if (e) {
      e.lastSeen = Math.max(e.lastSeen, lastSeen);
      if (seed && !e.seed) {
        this.unplace(e);
        e.seed = true;
      }
      return true;
    }
    const group = netGroup(h);
    const source = opts.source !== undefined ? this.groupOfSource(opts.source) : this.intern(group);
    h = this.intern(h);
    const entry: AddrEntry = { host: h, port, lastSeen, failures: 0, nextTryAt: 0, lastSuccess: 0, seed, source, tried: false, bucket: -1, ip, key: this.intern(key) };
    if (!seed) {
      entry.bucket = this.newBucket(group, source);
      if (!this.makeRoom(this.newTable[entry.bucket]!, source)) return false;
      this.newTable[entry.bucket]!.add(entry);
    }
    this.entries.set(entry.key, entry);
    if (opts.tried && !seed) this.promote(entry);
    return true;
  }

  remove(host: string, port: number): void {
    const key = addrKey(host, port);
    const e = this.entries.get(key);
    if (!e) return;
    this.unplace(e);
    this.entries.delete(key);
  }

  /** Call when a dial starts: no second dial before the backoff elapses. */
  markAttempt(host: string, port: number, now: number): void {
    const e = this.get(host, port);
    if (!e) return;
    e.nextTryAt = now + this.backoff(e);
  }

  /** A completed handshake: the address moves to the tried table. */
  markSuccess(host: string, port: number, now: number): void {
    const key = addrKey(host, port);
    const e = this.entries.get(key);
    if (!e) return;
    e.failures = 0;
    e.lastSuccess = now;
    e.lastSeen = Math.max(e.lastSeen, Math.floor(now / 1000));
    e.nextTryAt = now + this.baseBackoffMs;
    if (!e.seed && !e.tried) this.promote(e);
  }

  markFailure(host: string, port: number, now: number): void {
    const e = this.get(host, port);
    if (!e) return;
    e.failures++;
    if (!e.seed && !e.tried && e.failures >= this.maxFailures) {
      this.remove(host, port);
      return;
    }
    e.nextTryAt = Math.max(e.nextTryAt, now + this.backoff(e));
  }

  /** Addresses due for a dial: seeds, then tried and new alternately (Core picks from both tables). */
  candidates(now: number, skip: (key: string, e: AddrEntry) => boolean, limit: number): AddrEntry[] {
    const seeds: AddrEntry[] = [];
    const tried: AddrEntry[] = [];
    const fresh: AddrEntry[] = [];
    for (const [k, e] of this.entries) {
      if (e.nextTryAt > now || skip(k, e)) continue;
      (e.seed ? seeds : e.tried ? tried : fresh).push(e);
    }
    tried.sort((a, b) => b.lastSuccess - a.lastSuccess || b.lastSeen - a.lastSeen);
    // new entries spread over source groups first, so one source's many addresses do not fill every dial
    const bySource = new Map<string, AddrEntry[]>();
    for (const e of fresh.sort((a, b) => b.lastSeen - a.lastSeen)) {
      const list = bySource.get(e.source) ?? [];
      list.push(e);
      bySource.set(e.source, list);
    }
    const spread: AddrEntry[] = [];
    for (let i = 0; spread.length < limit && spread.length < fresh.length; i++) for (const l of bySource.values()) if (l[i]) spread.push(l[i]!);
    const out = seeds.slice(0, limit);
    for (let i = 0; out.length < limit && (i < tried.length || i < spread.length); i++) {
      if (i < tried.length) out.push(tried[i]!);
      if (out.length < limit && i < spread.length) out.push(spread[i]!);
    }
    return out;
  }

  /** IP addresses worth advertising in ADDR: no recent failures, tried first, most recently seen first. */
  good(limit: number, skip?: (key: string) => boolean): NetAddr[] {
    const out: AddrEntry[] = [];
    for (const [k, e] of this.entries) {
      if (e.failures > 2 || !e.ip || skip?.(k)) continue;
      out.push(e);
    }
    out.sort((a, b) => Number(b.tried) - Number(a.tried) || b.lastSeen - a.lastSeen);
    return out.slice(0, limit).map((e) => ({ host: e.host, port: e.port, lastSeen: e.lastSeen }));
  }

  /** Learnt addresses for persistence, with their source and table (seeds come from the configuration). */
  snapshot(): AddrRecord[] {
    const out: AddrRecord[] = [];
    for (const e of this.entries.values()) if (!e.seed) out.push({ host: e.host, port: e.port, lastSeen: e.lastSeen, source: e.source, tried: e.tried });
    return out;
  }

  load(addrs: readonly AddrRecord[]): void {
    for (const a of addrs) this.add(a.host, a.port, a.lastSeen, { source: typeof a.source === 'string' ? sourceHost(a.source) : undefined, tried: a.tried === true });
  }

  private backoff(e: AddrEntry): number {
    const d = Math.min(this.baseBackoffMs * 2 ** Math.min(e.failures, 20), this.maxBackoffMs);
    return e.seed ? Math.min(d, this.seedMaxBackoffMs) : d;
  }

  /** New → tried; a full tried bucket sends its least recently successful entry back to new. */
  private promote(e: AddrEntry): void {
    this.unplace(e);
    const b = this.hashIndex(`tried|${netGroup(e.host)}|${e.key}`, this.triedTable.length);
    const bucket = this.triedTable[b]!;
    if (bucket.size >= this.bucketSize) {
      let w: AddrEntry | null = null;
      for (const x of bucket.entries) if (w === null || x.lastSuccess < w.lastSuccess) w = x;
      bucket.delete(w!);
      w!.tried = false;
      w!.bucket = this.newBucket(netGroup(w!.host), w!.source);
      if (this.makeRoom(this.newTable[w!.bucket]!, w!.source)) this.newTable[w!.bucket]!.add(w!);
      else this.entries.delete(w!.key);
    }
    e.tried = true;
    e.bucket = b;
    bucket.add(e);
  }

  private unplace(e: AddrEntry): void {
    if (e.bucket < 0) return;
    (e.tried ? this.triedTable : this.newTable)[e.bucket]!.delete(e);
    e.bucket = -1;
  }

  /** Core's new-bucket rule: a source group reaches `perSource` buckets, chosen by the address group. */
  private newBucket(group: string, source: string): number {
    const slot = this.hashIndex(`slot|${source}|${group}`, this.perSource);
    // a source's perSource buckets, memoised for the source last asked (an ADDR message is one source)
    if (source !== this.slotsOf) {
      this.slotsOf = source;
      this.slotBuckets.fill(-1);
    }
    let b = this.slotBuckets[slot]!;
    if (b < 0) this.slotBuckets[slot] = b = this.hashIndex(`new|${source}|${slot}`, this.newTable.length);
    return b;
  }

  /** Sources arrive one ADDR message at a time: the last one's group is memoised. */
  private groupOfSource(host: string): string {
    if (host !== this.lastSource[0]) this.lastSource = [host, this.intern(netGroup(host))];
    return this.lastSource[1];
  }

  /** Frees a slot in a full new bucket: a failed entry first, else the oldest of the most represented source. */
  private makeRoom(bucket: Bucket, source: string): boolean {
    if (bucket.size < this.bucketSize) return true;
    // the most represented source (the newcomer's own on a tie), from the bucket's running counts
    let top = source;
    let topN = bucket.sources.get(source) ?? 0;
    for (const [s, n] of bucket.sources) if (n > topN) (top = s), (topN = n);
    // one pass: the first failed entry wins outright, else the oldest of the top source
    let victim: AddrEntry | null = null;
    let oldest = Infinity;
    for (const e of bucket.entries) {
      if (e.failures > 0) {
        victim = e;
        break;
      }
      if (e.source === top && e.lastSeen < oldest) (victim = e), (oldest = e.lastSeen);
    }
    if (victim === null) return false;
    bucket.delete(victim);
    this.entries.delete(victim.key);
    return true;
  }

  private hashIndex(s: string, n: number): number {
    return sipHashString32(this.key, s) % n;
  }
}
