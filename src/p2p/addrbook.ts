// Known peer addresses, Bitcoin Core's addrman in small: a "new" table bucketed by the source's
// network group (one source can fill only a few buckets) and a "tried" table of addresses we connected
// to, which new addresses never evict. Dialled with backoff; seeds are kept apart and never forgotten.
//
// Stored as columns (struct of arrays): an address is a slot index into typed arrays, found through a
// seeded open-addressing table, kept in insertion order by a linked list, and buckets are slot lists.
// The simulator holds 10,000 books of ~2500 addresses: an object and a Map slot per address cost
// ~170 B and every GC walked them; a slot costs ~60 B of flat memory the GC does not look into.
import { createHash, randomBytes } from 'node:crypto';
import type { NetAddr } from '../wire/types.js';
import { dottedV4First, isUnroutable, isUnroutableV4, normalizeHost, parseIp } from '../wire/ip.js';
import { formatHostPort } from '../hostport.js';
import { netGroup, sourceHost } from './netgroup.js';
import { sipHashString32, sipKey, type SipKey } from './siphash.js';
import type { AddrIntern, V4Strings } from './addr-strings.js';

/** One address as the book reports it: a copy, not a live view (the book stores columns, not objects). */
export interface AddrEntry {
  host: string;
  port: number;
  /** Unix seconds: last time the address was heard of or connected. */
  lastSeen: number;
  /** Consecutive failed dials. */
  failures: number;
  /** Clock ms before which we do not dial it again. */
  nextTryAt: number;
  /** Clock ms of the last successful handshake, 0 if never. */
  lastSuccess: number;
  /** Seeds are never evicted or forgotten and may be hostnames. */
  seed: boolean;
  /** Network group of whoever told us of it (the address itself for a peer that connected). */
  source: string;
  /** In the tried table: we completed a handshake with it. */
  tried: boolean;
  /** Bucket index in its table. */
  bucket: number;
  /** The host is an IP literal (seeds may be names): computed once, not per sample. */
  ip: boolean;
  /** Its key in the book (`addrKey(host, port)`). */
  key: string;
}

/** What is persisted per address (a plain NetAddr from an older book loads as a new entry). */
export interface AddrRecord extends NetAddr {
  source?: string;
  tried?: boolean;
}

export interface AddrBookOptions {
  /** New-table buckets × slots (default 64 × 32). */
  newBuckets?: number;
  /** Tried-table buckets × slots (default 16 × 32). */
  triedBuckets?: number;
  bucketSize?: number;
  /** New buckets one source group can reach (Core: 64 of 1024; default 4 of 64). */
  bucketsPerSource?: number;
  /** First retry delay after a failure, doubled per consecutive failure. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Seeds are retried at least this often however often they failed. */
  seedMaxBackoffMs?: number;
  /** A learnt (non-seed) address is forgotten after this many consecutive failures. */
  maxFailures?: number;
  /** Secret that places addresses in buckets (random by default). */
  key?: Uint8Array;
  /**
   * Canonical copy of a host, key or source string (default: the string itself). The simulator shares
   * one table across its thousands of books, which otherwise each hold a copy of the same addresses.
   */
  intern?: AddrIntern;
}

export const addrKey = (host: string, port: number): string => formatHostPort(normalizeHost(host), port);

const same = (s: string): string => s;
const SEED = 1;
const TRIED = 2;
const IP = 4;
const EMPTY = -1;

/** murmur3's finaliser: spreads the FNV state over all 32 bits before it is masked to a table index. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class AddrBook {
  private readonly bucketSize: number;
  private readonly nNew: number;
  private readonly nTried: number;
  private readonly perSource: number;
  private readonly key: SipKey;
  /** Seed of the lookup table's hash (from the book's key: placement in the table is not predictable). */
  private readonly hashSeed: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly seedMaxBackoffMs: number;
  private readonly maxFailures: number;
  private readonly intern: (s: string) => string;
  /** The shared table's dotted-quad path (canonical host and key by number), if it has one. */
  private readonly v4: V4Strings | null;
  private lastSource: [string, string] = ['', ''];
  private slotsOf = '';
  private readonly slotOfGroup = new Map<string, number>();
  private readonly slotBuckets: Int32Array;

  // --- columns, one row per slot ---
  private cap = 0;
  private count = 0;
  private seeds = 0;
  private readonly hostOf: string[] = [];
  private readonly keyOf: string[] = [];
  /** The host the key was formed from where it differs from the entry's host (normalizeHost is not idempotent on "[[x]]"). */
  private readonly keyHostOf = new Map<number, string>();
  private port: Int32Array = new Int32Array(0);
  private lastSeen: Float64Array = new Float64Array(0);
  private nextTryAt: Float64Array = new Float64Array(0);
  private lastSuccess: Float64Array = new Float64Array(0);
  private failures: Int32Array = new Int32Array(0);
  private src: Int32Array = new Int32Array(0);
  private bucket: Int32Array = new Int32Array(0);
  private flags: Uint8Array = new Uint8Array(0);
  /** hashOf(key host, port): probes compare it before the strings, deletions re-home cells without rehashing. */
  private hash: Int32Array = new Int32Array(0);
  /** Insertion order (the order the Map this replaces iterated in): a doubly linked list of slots. */
  private prev: Int32Array = new Int32Array(0);
  private next: Int32Array = new Int32Array(0);
  private head = EMPTY;
  private tail = EMPTY;
  private freeSlots: number[] = [];
  /** Open addressing with linear probing: slot + 1 per cell, 0 empty. */
  private table = new Int32Array(32);

  // --- buckets: new buckets 0..nNew-1, then tried buckets; each a list of bucketSize slots in insertion order ---
  private readonly bSlots: Int32Array;
  private readonly bLen: Int32Array;
  /** Per new bucket, its source ids in the order a Map of per-source counts would iterate them. */
  private readonly bSrc: Int32Array;
  private readonly bSrcN: Int32Array;

  // --- source groups: a per-book id per group string, reference counted by the slots that carry it ---
  private readonly srcId = new Map<string, number>();
  private readonly srcName: string[] = [];
  private readonly srcRefs: number[] = [];
  private readonly srcFree: number[] = [];

  /** Passed to candidates()' skip: valid only during the call. */
  private readonly scratch: AddrEntry = { host: '', port: 0, lastSeen: 0, failures: 0, nextTryAt: 0, lastSuccess: 0, seed: false, source: '', tried: false, bucket: -1, ip: false, key: '' };

  constructor(opts: AddrBookOptions = {}) {
    this.nNew = opts.newBuckets ?? 64;
    this.nTried = opts.triedBuckets ?? 16;
    this.bucketSize = opts.bucketSize ?? 32;
    this.perSource = Math.min(opts.bucketsPerSource ?? 4, this.nNew);
    this.slotBuckets = new Int32Array(this.perSource).fill(-1);
    // SipHash takes 128 bits; a key of any length is condensed once (sha256), here and never per call
    const digest = createHash('sha256').update(opts.key ?? randomBytes(32)).digest();
    this.key = sipKey(digest);
    this.hashSeed = digest.readUInt32LE(16);
    this.baseBackoffMs = opts.baseBackoffMs ?? 5_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10 * 60_000;
    this.seedMaxBackoffMs = opts.seedMaxBackoffMs ?? 30_000;
    this.maxFailures = opts.maxFailures ?? 8;
    this.intern = opts.intern ?? same;
    this.v4 = opts.intern?.v4 ?? null;
    this.bSlots = new Int32Array((this.nNew + this.nTried) * this.bucketSize);
    this.bLen = new Int32Array(this.nNew + this.nTried);
    this.bSrc = new Int32Array(this.nNew * this.bucketSize);
    this.bSrcN = new Int32Array(this.nNew);
  }

  get size(): number {
    return this.count;
  }

  get(host: string, port: number): AddrEntry | undefined {
    const s = this.find(normalizeHost(host), port);
    return s < 0 ? undefined : this.entryAt(s, {} as AddrEntry);
  }

  /**
   * Adds or refreshes an address heard of from `source` (a host; default the address itself). Returns
   * false if it was not taken. A full bucket evicts the entry of its most represented source, so one
   * source only ever displaces its own addresses.
   */
  add(host: string, port: number, lastSeen: number, opts: { seed?: boolean; source?: string; tried?: boolean } = {}): boolean {
    if (!Number.isInteger(port) || port < 1 || port > 0xffff || host === '') return false;
    const seed = opts.seed ?? false;
    const first = dottedV4First(host);
    let h: string;
    let kh: string;
    let ip: boolean;
    if (first >= 0) {
      // a canonical dotted quad (every ADDR entry) is its own normal form: one scan, no string built
      ip = true;
      h = kh = host;
      if (!seed && isUnroutableV4(h, first)) return false;
    } else {
      ip = parseIp(host) !== null;
      if (!seed && !ip) return false; // learnt addresses are IP literals only
      h = normalizeHost(host);
      if (!seed && isUnroutable(h)) return false;
      kh = normalizeHost(h);
    }
    const found = this.find(kh, port);
    if (found >= 0) {
      this.lastSeen[found] = Math.max(this.lastSeen[found]!, lastSeen);
      if (seed && (this.flags[found]! & SEED) === 0) {
        this.unplace(found);
        this.flags[found]! |= SEED;
        this.seeds++;
      }
      return true;
    }
    const group = netGroup(h);
    const source = opts.source !== undefined ? this.groupOfSource(opts.source) : this.intern(group);
    let b = -1;
    if (!seed) {
      b = this.newBucket(group, source);
      if (!this.makeRoom(b, this.srcId.get(source) ?? -1)) return false;
    }
    const s = this.alloc();
    if (first >= 0 && this.v4 !== null) {
      const i = this.v4.find(h, port); // the same strings, found without building the key
      this.hostOf[s] = this.v4.host(i);
      this.keyOf[s] = this.v4.key(i);
    } else {
      this.hostOf[s] = this.intern(h);
      this.keyOf[s] = this.intern(formatHostPort(kh, port));
    }
    if (kh !== h) this.keyHostOf.set(s, kh);
    this.port[s] = port;
    this.lastSeen[s] = lastSeen;
    this.nextTryAt[s] = 0;
    this.lastSuccess[s] = 0;
    this.failures[s] = 0;
    this.src[s] = this.acquireSource(source);
    this.flags[s] = (seed ? SEED : 0) | (ip ? IP : 0);
    this.bucket[s] = b;
    this.hash[s] = this.hashOf(kh, port) | 0;
    if (seed) this.seeds++;
    else this.bucketAdd(b, s);
    this.link(s);
    if (opts.tried && !seed) this.promote(s);
    return true;
  }

  remove(host: string, port: number): void {
    const s = this.find(normalizeHost(host), port);
    if (s < 0) return;
    this.unplace(s);
    this.drop(s);
  }

  /** Call when a dial starts: no second dial before the backoff elapses. */
  markAttempt(host: string, port: number, now: number): void {
    const s = this.find(normalizeHost(host), port);
    if (s < 0) return;
    this.nextTryAt[s] = now + this.backoff(s);
  }

  /** A completed handshake: the address moves to the tried table. */
  markSuccess(host: string, port: number, now: number): void {
    const s = this.find(normalizeHost(host), port);
    if (s < 0) return;
    this.failures[s] = 0;
    this.lastSuccess[s] = now;
    this.lastSeen[s] = Math.max(this.lastSeen[s]!, Math.floor(now / 1000));
    this.nextTryAt[s] = now + this.baseBackoffMs;
    if ((this.flags[s]! & (SEED | TRIED)) === 0) this.promote(s);
  }

  markFailure(host: string, port: number, now: number): void {
    const s = this.find(normalizeHost(host), port);
    if (s < 0) return;
    this.failures[s]!++;
    if ((this.flags[s]! & (SEED | TRIED)) === 0 && this.failures[s]! >= this.maxFailures) {
      this.unplace(s);
      this.drop(s);
      return;
    }
    this.nextTryAt[s] = Math.max(this.nextTryAt[s]!, now + this.backoff(s));
  }

  /**
   * Addresses due for a dial: seeds, then tried and new alternately (Core picks from both tables).
   * `skip`'s entry is a scratch copy, valid only during that call.
   */
  candidates(now: number, skip: (key: string, e: AddrEntry) => boolean, limit: number): AddrEntry[] {
    const seeds: number[] = [];
    const tried: number[] = [];
    const fresh: number[] = [];
    const scratch = this.scratch;
    for (let s = this.head; s !== EMPTY; s = this.next[s]!) {
      if (this.nextTryAt[s]! > now || skip(this.keyOf[s]!, this.entryAt(s, scratch))) continue;
      const f = this.flags[s]!;
      ((f & SEED) !== 0 ? seeds : (f & TRIED) !== 0 ? tried : fresh).push(s);
    }
    const ls = this.lastSeen;
    const ok = this.lastSuccess;
    tried.sort((a, b) => ok[b]! - ok[a]! || ls[b]! - ls[a]!);
    // new entries spread over source groups first, so one source's many addresses do not fill every dial
    const bySource = new Map<number, number[]>();
    for (const s of fresh.sort((a, b) => ls[b]! - ls[a]!)) {
      const list = bySource.get(this.src[s]!);
      if (list) list.push(s);
      else bySource.set(this.src[s]!, [s]);
    }
    const spread: number[] = [];
    for (let i = 0; spread.length < limit && spread.length < fresh.length; i++) for (const l of bySource.values()) if (i < l.length) spread.push(l[i]!);
    const out = seeds.slice(0, limit);
    for (let i = 0; out.length < limit && (i < tried.length || i < spread.length); i++) {
      if (i < tried.length) out.push(tried[i]!);
      if (out.length < limit && i < spread.length) out.push(spread[i]!);
    }
    return out.map((s) => this.entryAt(s, {} as AddrEntry));
  }

  /** IP addresses worth advertising in ADDR: no recent failures, tried first, most recently seen first (their keys pushed to `keys`). */
  good(limit: number, skip?: (key: string) => boolean, keys?: string[]): NetAddr[] {
    const picked: number[] = [];
    let packable = true;
    for (let s = this.head; s !== EMPTY; s = this.next[s]!) {
      if (this.failures[s]! > 2 || (this.flags[s]! & IP) === 0 || skip?.(this.keyOf[s]!)) continue;
      picked.push(s);
      const t = this.lastSeen[s]!;
      if (!(Number.isInteger(t) && t >= 0 && t < 2 ** 32)) packable = false;
    }
    const order = packable && picked.length < RANK ? this.sortPacked(picked) : this.sortCompared(picked);
    const top = order.slice(0, limit);
    if (keys) for (const s of top) keys.push(this.keyOf[s]!);
    return top.map((s) => ({ host: this.hostOf[s]!, port: this.port[s]!, lastSeen: this.lastSeen[s]! }));
  }

  /** Learnt addresses for persistence, with their source and table (seeds come from the configuration). */
  snapshot(): AddrRecord[] {
    const out: AddrRecord[] = [];
    for (let s = this.head; s !== EMPTY; s = this.next[s]!) {
      const f = this.flags[s]!;
      if ((f & SEED) === 0) out.push({ host: this.hostOf[s]!, port: this.port[s]!, lastSeen: this.lastSeen[s]!, source: this.srcName[this.src[s]!]!, tried: (f & TRIED) !== 0 });
    }
    return out;
  }

  load(addrs: readonly AddrRecord[]): void {
    for (const a of addrs) this.add(a.host, a.port, a.lastSeen, { source: typeof a.source === 'string' ? sourceHost(a.source) : undefined, tried: a.tried === true });
  }

  /**
   * good()'s order (tried first, then lastSeen descending, then insertion order) as one native sort of
   * numbers: tried, lastSeen (a uint32) and the reversed rank packed exactly into a double below 2^53.
   */
  private sortPacked(picked: number[]): number[] {
    const n = picked.length;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = picked[i]!;
      keys[i] = (((this.flags[s]! & TRIED) !== 0 ? 2 ** 32 : 0) + this.lastSeen[s]!) * RANK + (RANK - 1 - i);
    }
    keys.sort();
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const k = keys[n - 1 - i]!;
      out[i] = picked[RANK - 1 - (k - Math.floor(k / RANK) * RANK)]!;
    }
    return out;
  }

  private sortCompared(picked: number[]): number[] {
    const tried = (s: number): number => ((this.flags[s]! & TRIED) !== 0 ? 1 : 0);
    const ls = this.lastSeen;
    return picked.sort((a, b) => tried(b) - tried(a) || ls[b]! - ls[a]!);
  }

  private entryAt(s: number, e: AddrEntry): AddrEntry {
    const f = this.flags[s]!;
    e.host = this.hostOf[s]!;
    e.port = this.port[s]!;
    e.lastSeen = this.lastSeen[s]!;
    e.failures = this.failures[s]!;
    e.nextTryAt = this.nextTryAt[s]!;
    e.lastSuccess = this.lastSuccess[s]!;
    e.seed = (f & SEED) !== 0;
    e.source = this.srcName[this.src[s]!]!;
    e.tried = (f & TRIED) !== 0;
    e.bucket = this.bucket[s]!;
    e.ip = (f & IP) !== 0;
    e.key = this.keyOf[s]!;
    return e;
  }

  private backoff(s: number): number {
    const d = Math.min(this.baseBackoffMs * 2 ** Math.min(this.failures[s]!, 20), this.maxBackoffMs);
    return (this.flags[s]! & SEED) !== 0 ? Math.min(d, this.seedMaxBackoffMs) : d;
  }

  /** New → tried; a full tried bucket sends its least recently successful entry back to new. */
  private promote(s: number): void {
    this.unplace(s);
    const b = this.hashIndex(`tried|${netGroup(this.hostOf[s]!)}|${this.keyOf[s]!}`, this.nTried);
    const tb = this.nNew + b;
    if (this.bLen[tb]! >= this.bucketSize) {
      const base = tb * this.bucketSize;
      const len = this.bLen[tb]!;
      let w = this.bSlots[base]!;
      for (let i = 1; i < len; i++) {
        const x = this.bSlots[base + i]!;
        if (this.lastSuccess[x]! < this.lastSuccess[w]!) w = x;
      }
      this.bucketDelete(tb, w);
      this.flags[w]! &= ~TRIED;
      const wSource = this.srcName[this.src[w]!]!;
      const nb = this.newBucket(netGroup(this.hostOf[w]!), wSource);
      this.bucket[w] = nb;
      if (this.makeRoom(nb, this.src[w]!)) this.bucketAdd(nb, w);
      else this.drop(w);
    }
    this.flags[s]! |= TRIED;
    this.bucket[s] = b;
    this.bucketAdd(tb, s);
  }

  /** Out of its bucket (seeds and entries about to move or go). */
  private unplace(s: number): void {
    const b = this.bucket[s]!;
    if (b < 0) return;
    this.bucketDelete((this.flags[s]! & TRIED) !== 0 ? this.nNew + b : b, s);
    this.bucket[s] = -1;
  }

  /** Core's new-bucket rule: a source group reaches `perSource` buckets, chosen by the address group. */
  private newBucket(group: string, source: string): number {
    // a source's perSource buckets and its groups' slots, memoised for the source last asked (an ADDR
    // message is one source; its ~1000 addresses fall in far fewer groups)
    if (source !== this.slotsOf) {
      this.slotsOf = source;
      this.slotBuckets.fill(-1);
      this.slotOfGroup.clear();
    }
    let slot = this.slotOfGroup.get(group);
    if (slot === undefined) {
      slot = this.hashIndex(`slot|${source}|${group}`, this.perSource);
      if (this.slotOfGroup.size >= 4096) this.slotOfGroup.clear();
      this.slotOfGroup.set(group, slot);
    }
    let b = this.slotBuckets[slot]!;
    if (b < 0) this.slotBuckets[slot] = b = this.hashIndex(`new|${source}|${slot}`, this.nNew);
    return b;
  }

  /** Sources arrive one ADDR message at a time: the last one's group is memoised. */
  private groupOfSource(host: string): string {
    if (host !== this.lastSource[0]) this.lastSource = [host, this.intern(netGroup(host))];
    return this.lastSource[1];
  }

  /** How many entries of new bucket `b` carry source `id`. */
  private sourceCount(b: number, id: number): number {
    const base = b * this.bucketSize;
    const len = this.bLen[b]!;
    let n = 0;
    for (let i = 0; i < len; i++) if (this.src[this.bSlots[base + i]!] === id) n++;
    return n;
  }

  /** Frees a slot in a full new bucket: a failed entry first, else the oldest of the most represented source. */
  private makeRoom(b: number, source: number): boolean {
    const len = this.bLen[b]!;
    if (len < this.bucketSize) return true;
    // the most represented source (the newcomer's own on a tie), first in the bucket's source order
    let top = source;
    let topN = source < 0 ? 0 : this.sourceCount(b, source);
    const sb = b * this.bucketSize;
    for (let i = 0, n = this.bSrcN[b]!; i < n; i++) {
      const id = this.bSrc[sb + i]!;
      const c = this.sourceCount(b, id);
      if (c > topN) (top = id), (topN = c);
    }
    // one pass: the first failed entry wins outright, else the oldest of the top source
    const base = b * this.bucketSize;
    let victim = -1;
    let oldest = Infinity;
    for (let i = 0; i < len; i++) {
      const s = this.bSlots[base + i]!;
      if (this.failures[s]! > 0) {
        victim = s;
        break;
      }
      if (this.src[s] === top && this.lastSeen[s]! < oldest) (victim = s), (oldest = this.lastSeen[s]!);
    }
    if (victim < 0) return false;
    this.bucketDelete(b, victim);
    this.drop(victim);
    return true;
  }

  private bucketAdd(b: number, s: number): void {
    const base = b * this.bucketSize;
    this.bSlots[base + this.bLen[b]!++] = s;
    if (b >= this.nNew) return;
    const id = this.src[s]!;
    const sb = b * this.bucketSize;
    const n = this.bSrcN[b]!;
    for (let i = 0; i < n; i++) if (this.bSrc[sb + i] === id) return;
    this.bSrc[sb + n] = id;
    this.bSrcN[b] = n + 1;
  }

  private bucketDelete(b: number, s: number): void {
    const base = b * this.bucketSize;
    const len = this.bLen[b]!;
    let i = 0;
    while (i < len && this.bSlots[base + i] !== s) i++;
    if (i === len) return;
    this.bSlots.copyWithin(base + i, base + i + 1, base + len);
    this.bLen[b] = len - 1;
    if (b >= this.nNew) return;
    // the source leaves the bucket's order when its last entry there goes (a Map's delete at count 0)
    const id = this.src[s]!;
    for (let j = 0; j < len - 1; j++) if (this.src[this.bSlots[base + j]!] === id) return;
    const sb = b * this.bucketSize;
    const n = this.bSrcN[b]!;
    let k = 0;
    while (k < n && this.bSrc[sb + k] !== id) k++;
    this.bSrc.copyWithin(sb + k, sb + k + 1, sb + n);
    this.bSrcN[b] = n - 1;
  }

  private acquireSource(name: string): number {
    let id = this.srcId.get(name);
    if (id === undefined) {
      id = this.srcFree.pop() ?? this.srcName.length;
      this.srcId.set(name, id);
      this.srcName[id] = name;
      this.srcRefs[id] = 0;
    }
    this.srcRefs[id]!++;
    return id;
  }

  private releaseSource(id: number): void {
    if (--this.srcRefs[id]! > 0) return;
    this.srcId.delete(this.srcName[id]!);
    this.srcName[id] = '';
    this.srcFree.push(id);
  }

  private hashIndex(s: string, n: number): number {
    return sipHashString32(this.key, s) % n;
  }

  private hashOf(kh: string, port: number): number {
    let h = (this.hashSeed ^ port) | 0;
    for (let i = 0; i < kh.length; i++) h = Math.imul(h ^ kh.charCodeAt(i), 0x01000193);
    return fmix32(h);
  }

  /** The slot of (host in key form, port), or -1. */
  private find(kh: string, port: number): number {
    const t = this.table;
    const mask = t.length - 1;
    const h = this.hashOf(kh, port) | 0;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = t[i]! - 1;
      if (c < 0) return -1;
      if (this.hash[c] === h && this.port[c] === port && this.keyHost(c) === kh) return c;
    }
  }

  private keyHost(s: number): string {
    return this.keyHostOf.size === 0 ? this.hostOf[s]! : (this.keyHostOf.get(s) ?? this.hostOf[s]!);
  }

  private alloc(): number {
    const f = this.freeSlots.pop();
    if (f !== undefined) return f;
    const s = this.hostOf.length;
    if (s >= this.cap) this.grow();
    this.hostOf.push('');
    this.keyOf.push('');
    return s;
  }

  /**
   * Grows the columns ×4, but not past what the buckets and seeds can hold (the common full book). All
   * eleven columns are views of one buffer: one allocation per growth, not eleven (10,000 books grew
   * ~9 times each; the separate typed arrays were 4 % of a 10,000-node start-up).
   */
  private grow(): void {
    const limit = (this.nNew + this.nTried) * this.bucketSize + this.seeds + 1;
    let n = Math.max(16, this.cap * 4); // ×4: a full book (2561 slots) is reached in 4 allocations, not 9
    if (this.cap < limit && n > limit) n = limit;
    const buf = new ArrayBuffer(n * SLOT_BYTES);
    let at = 0;
    const f64 = (old: Float64Array): Float64Array => {
      const a = new Float64Array(buf, at, n);
      a.set(old);
      at += n * 8;
      return a;
    };
    const i32 = (old: Int32Array): Int32Array => {
      const a = new Int32Array(buf, at, n);
      a.set(old);
      at += n * 4;
      return a;
    };
    this.lastSeen = f64(this.lastSeen);
    this.nextTryAt = f64(this.nextTryAt);
    this.lastSuccess = f64(this.lastSuccess);
    this.port = i32(this.port);
    this.failures = i32(this.failures);
    this.src = i32(this.src);
    this.bucket = i32(this.bucket);
    this.hash = i32(this.hash);
    this.prev = i32(this.prev);
    this.next = i32(this.next);
    const flags = new Uint8Array(buf, at, n);
    flags.set(this.flags);
    this.flags = flags;
    this.cap = n;
  }

  /** Into the lookup table and at the end of the insertion order. */
  private link(s: number): void {
    this.prev[s] = this.tail;
    this.next[s] = EMPTY;
    if (this.tail === EMPTY) this.head = s;
    else this.next[this.tail] = s;
    this.tail = s;
    this.count++;
    if (this.count * 4 > this.table.length * 3) this.rehash(this.table.length * 2);
    else this.tableInsert(s);
  }

  private tableInsert(s: number): void {
    const t = this.table;
    const mask = t.length - 1;
    let i = this.hash[s]! & mask;
    while (t[i] !== 0) i = (i + 1) & mask;
    t[i] = s + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let s = this.head; s !== EMPTY; s = this.next[s]!) this.tableInsert(s);
  }

  /** Forgets slot s (already out of its bucket): out of the table, the order, its source. */
  private drop(s: number): void {
    const t = this.table;
    const mask = t.length - 1;
    let i = this.hash[s]! & mask;
    while (t[i] !== s + 1) i = (i + 1) & mask;
    // backward-shift deletion: later cells of the run move up so no probe chain is cut
    for (let j = (i + 1) & mask; t[j] !== 0; j = (j + 1) & mask) {
      const c = t[j]! - 1;
      const home = this.hash[c]! & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        t[i] = t[j]!;
        i = j;
      }
    }
    t[i] = 0;
    const p = this.prev[s]!;
    const n = this.next[s]!;
    if (p === EMPTY) this.head = n;
    else this.next[p] = n;
    if (n === EMPTY) this.tail = p;
    else this.prev[n] = p;
    if ((this.flags[s]! & SEED) !== 0) this.seeds--;
    this.releaseSource(this.src[s]!);
    this.keyHostOf.delete(s);
    this.hostOf[s] = '';
    this.keyOf[s] = '';
    this.flags[s] = 0;
    this.count--;
    this.freeSlots.push(s);
  }
}

/** Bytes per slot of the columns' one buffer: 3 float64, 7 int32, 1 uint8. */
const SLOT_BYTES = 3 * 8 + 7 * 4 + 1;

/** good()'s packed sort: ranks below 2^20, so (tried, lastSeen, rank) fits a double's 53 bits. */
const RANK = 2 ** 20;
