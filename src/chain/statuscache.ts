// Header-record statuses by hash in two fixed typed arrays (4-way set-associative, no object per entry).
// IBD asks the status of each block's record twice (the download scan, then the connect run). Read from
// LevelDB, every such get of an old record charged LevelDB's seek counter of the newest table it passed,
// and a table charged ~130 times is compacted into the next level at once: with hash-keyed records that
// rewrote most of that level per memtable flush (docs/ibd.md, 2026-12-03 store). The store sets an entry
// on every record it writes, so an entry is never older than the record.

/** Hash bytes kept per slot: the last 16 (a false match needs two valid headers sharing 128 bits). */
const KEY = 16;
const WAYS = 4;

export class StatusCache {
  private readonly keys: Uint8Array;
  /** status + 2 (statuses are 0-255, −1 = no record), so a zero-filled slot is empty and untouched pages cost no RSS. */
  private readonly status: Uint16Array;
  private readonly mask: number;

  /** `slots`: a power of two ≥ 4; 18 bytes each (262,144 slots: 4.5 MiB, outside the V8 heap). */
  constructor(slots = 1 << 18) {
    if (slots < WAYS || (slots & (slots - 1)) !== 0) throw new RangeError('slots must be a power of two ≥ 4');
    this.keys = new Uint8Array(KEY * slots);
    this.status = new Uint16Array(slots);
    this.mask = slots / WAYS - 1;
  }

  /** First slot of the hash's set: its last 4 bytes (hashes that meet a target start with zeros, not end). */
  private setOf(h: Uint8Array, off: number): number {
    return WAYS * ((h[off + 28]! | (h[off + 29]! << 8) | (h[off + 30]! << 16) | (h[off + 31]! << 24)) & this.mask);
  }

  private find(s: number, h: Uint8Array, off: number): number {
    const ks = this.keys;
    const o = off + 32 - KEY;
    for (let w = s; w < s + WAYS; w++) {
      if (this.status[w] === 0) continue;
      const base = KEY * w;
      let i = KEY - 1;
      while (i >= 0 && ks[base + i] === h[o + i]) i--;
      if (i < 0) return w;
    }
    return -1;
  }

  /** The status cached for the 32-byte hash at h[off…], or undefined. */
  get(h: Uint8Array, off = 0): number | undefined {
    const w = this.find(this.setOf(h, off), h, off);
    return w < 0 ? undefined : this.status[w]! - 2;
  }

  /** Records the status of a hash; a new entry takes its set's first way and the oldest falls out. */
  set(h: Uint8Array, status: number, off = 0): void {
    const s = this.setOf(h, off);
    const w = this.find(s, h, off);
    if (w >= 0) {
      this.status[w] = status + 2;
      return;
    }
    // byte loops, not copyWithin / set of a subarray: three native calls and a view per new header were 4 % of a header sync
    const ks = this.keys;
    for (let i = KEY * (s + WAYS) - 1; i >= KEY * (s + 1); i--) ks[i] = ks[i - KEY]!;
    for (let w = s + WAYS - 1; w > s; w--) this.status[w] = this.status[w - 1]!;
    for (let i = 0, o = off + 32 - KEY, d = KEY * s; i < KEY; i++) ks[d + i] = h[o + i]!;
    this.status[s] = status + 2;
  }

  clear(): void {
    this.status.fill(0);
  }
}
