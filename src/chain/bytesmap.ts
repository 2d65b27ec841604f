// A Map keyed by byte strings without a hex string per key: a 32-bit fingerprint picks the slot and a
// byte compare settles it (store keys end in hash bytes or a height, so their last 4 bytes spread well).
// The store's write-behind reads go through one on every block read during IBD; toHex per lookup was
// 3-4 % of a syncing node's CPU.
import { equalBytes } from '../bytes.js';
import { Lru } from './lru.js';

interface Entry<V> {
  k: Uint8Array;
  v: V;
}

/** The last 4 bytes mixed with the first and the length (a prefix byte and a name tell keys apart). */
function fingerprint(k: Uint8Array): number {
  const n = k.length;
  let x = Math.imul(n, 0x85ebca6b) ^ (n > 0 ? Math.imul(k[0]!, 0x9e3779b1) : 0);
  for (let i = Math.max(1, n - 4); i < n; i++) x = Math.imul(x ^ k[i]!, 0x01000193);
  return x | 0;
}

export class BytesMap<V> {
  private readonly m = new Map<number, Entry<V> | Entry<V>[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(k: Uint8Array): V | undefined {
    const s = this.m.get(fingerprint(k));
    if (s === undefined) return undefined;
    if (!Array.isArray(s)) return equalBytes(s.k, k) ? s.v : undefined;
    for (const e of s) if (equalBytes(e.k, k)) return e.v;
    return undefined;
  }

  set(k: Uint8Array, v: V): void {
    const f = fingerprint(k);
    const s = this.m.get(f);
    if (s === undefined) {
      this.m.set(f, { k, v });
      this.count++;
    } else if (!Array.isArray(s)) {
      if (equalBytes(s.k, k)) s.v = v;
      else {
        this.m.set(f, [s, { k, v }]);
        this.count++;
      }
    } else {
      for (const e of s) {
        if (equalBytes(e.k, k)) {
          e.v = v;
          return;
        }
      }
      s.push({ k, v });
      this.count++;
    }
  }

  delete(k: Uint8Array): void {
    this.remove(k, (e) => equalBytes(e.k, k));
  }

  /** Deletes k only while it still maps to v (a later set of the same key wins). */
  deleteIf(k: Uint8Array, v: V): void {
    this.remove(k, (e) => e.v === v && equalBytes(e.k, k));
  }

  private remove(k: Uint8Array, match: (e: Entry<V>) => boolean): void {
    const f = fingerprint(k);
    const s = this.m.get(f);
    if (s === undefined) return;
    if (!Array.isArray(s)) {
      if (match(s)) {
        this.m.delete(f);
        this.count--;
      }
      return;
    }
    const i = s.findIndex(match);
    if (i < 0) return;
    s.splice(i, 1);
    this.count--;
    if (s.length === 1) this.m.set(f, s[0]!);
  }

  clear(): void {
    this.m.clear();
    this.count = 0;
  }
}

/**
 * The two-generation Lru keyed by bytes through BytesMap: the header-record cache, looked up once or
 * twice per block during IBD, without a hex string per lookup. The key arrays are held, not copied:
 * callers key by a record's own hash.
 */
export class BytesLru<V> extends Lru<Uint8Array, V> {
  constructor(capacity: number) {
    super(capacity, () => new BytesMap<V>());
  }
}
