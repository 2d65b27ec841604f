// Tables keyed by the first 16 bytes of a digest, held in typed arrays: no string and no Map entry per key.
// A node's relay table has up to 1000 keys; 10,000 simulated nodes held 10 M strings + Map slots + boxed r
// on the heap (docs/sim/scale.md, relay branch), which every GC had to walk.
import { grown } from '../columns.js';

/** Bytes of a digest that form the key (128 bits, as the 16-char string key before it). */
export const DIGEST_KEY_BYTES = 16;

function word(d: Uint8Array, i: number): number {
  return d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24);
}

/** The key's four words at `o` of a key column. */
function putKey(keys: Int32Array, o: number, d: Uint8Array): void {
  keys[o] = word(d, 0);
  keys[o + 1] = word(d, 4);
  keys[o + 2] = word(d, 8);
  keys[o + 3] = word(d, 12);
}

function checkKey(d: Uint8Array): void {
  if (d.length < DIGEST_KEY_BYTES) throw new RangeError(`digest key needs ${DIGEST_KEY_BYTES} bytes, got ${d.length}`);
}

/** A random 32-bit salt per table: states are peers' input, so bucket positions must not be predictable. */
function salt(): number {
  return (Math.random() * 2 ** 32) | 0;
}

/**
 * Digest key → number, in insertion order (as a Map's), with open addressing over a salted index.
 * Entries are only removed all at once (`keepOnly`), so there are no tombstones.
 */
export class DigestTable {
  private keys: Int32Array;
  private vals: Float64Array;
  private index: Int32Array; // slot + 1 per bucket, 0 = empty
  private mask: number;
  private n = 0;
  private readonly s0 = salt();
  private readonly s1 = salt();

  constructor(initialSlots = 32) {
    const cap = Math.max(4, initialSlots);
    this.keys = new Int32Array(cap * 4);
    this.vals = new Float64Array(cap);
    this.index = new Int32Array(DigestTable.indexSize(cap));
    this.mask = this.index.length - 1;
  }

  private static indexSize(cap: number): number {
    let s = 8;
    while (s < cap * 2) s *= 2;
    return s;
  }

  get size(): number {
    return this.n;
  }

  private bucket(w0: number, w1: number): number {
    let h = Math.imul(w0 ^ this.s0, 0x9e3779b1) ^ Math.imul(w1 ^ this.s1, 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The slot holding `key`, or -1. */
  find(key: Uint8Array): number {
    checkKey(key);
    const w0 = word(key, 0);
    const w1 = word(key, 4);
    const w2 = word(key, 8);
    const w3 = word(key, 12);
    const keys = this.keys;
    for (let b = this.bucket(w0, w1); ; b = (b + 1) & this.mask) {
      const s = this.index[b]! - 1;
      if (s < 0) return -1;
      const o = s * 4;
      if (keys[o] === w0 && keys[o + 1] === w1 && keys[o + 2] === w2 && keys[o + 3] === w3) return s;
    }
  }

  value(slot: number): number {
    return this.vals[slot]!;
  }

  setValue(slot: number, v: number): void {
    this.vals[slot] = v;
  }

  /** Appends a key that is not in the table (callers `find` first). */
  insert(key: Uint8Array, v: number): void {
    checkKey(key);
    if (this.n === this.vals.length) this.grow(this.n * 2);
    const s = this.n++;
    putKey(this.keys, s * 4, key);
    this.vals[s] = v;
    this.link(s);
  }

  /** Keeps only the given slots, in the given order (the new insertion order). */
  keepOnly(slots: readonly number[]): void {
    const keys = new Int32Array(this.keys.length);
    const vals = new Float64Array(this.vals.length);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      keys.set(this.keys.subarray(s * 4, s * 4 + 4), i * 4);
      vals[i] = this.vals[s]!;
    }
    this.keys = keys;
    this.vals = vals;
    this.n = slots.length;
    this.reindex();
  }

  private grow(cap: number): void {
    this.keys = grown(this.keys, cap, 4);
    this.vals = grown(this.vals, cap);
    this.index = new Int32Array(DigestTable.indexSize(cap));
    this.mask = this.index.length - 1;
    this.reindex();
  }

  private reindex(): void {
    this.index.fill(0);
    for (let s = 0; s < this.n; s++) this.link(s);
  }

  private link(s: number): void {
    const o = s * 4;
    let b = this.bucket(this.keys[o]!, this.keys[o + 1]!);
    while (this.index[b] !== 0) b = (b + 1) & this.mask;
    this.index[b] = s + 1;
  }
}

/** The last `cap` distinct digest keys (oldest forgotten first; a repeat does not refresh its age). */
export class DigestRing {
  private readonly keys: Int32Array;
  private n = 0;
  private next = 0;

  constructor(readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`DigestRing cap must be a positive integer, got ${cap}`);
    this.keys = new Int32Array(cap * 4);
  }

  get size(): number {
    return this.n;
  }

  has(key: Uint8Array): boolean {
    checkKey(key);
    const w0 = word(key, 0);
    const k = this.keys;
    for (let s = 0; s < this.n; s++) {
      const o = s * 4;
      if (k[o] === w0 && k[o + 1] === word(key, 4) && k[o + 2] === word(key, 8) && k[o + 3] === word(key, 12)) return true;
    }
    return false;
  }

  /** Adds `key`; true when it was not there. */
  add(key: Uint8Array): boolean {
    if (this.has(key)) return false;
    putKey(this.keys, this.next * 4, key);
    this.next = (this.next + 1) % this.cap;
    if (this.n < this.cap) this.n++;
    return true;
  }
}
