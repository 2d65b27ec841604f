// Header-record statuses by hash in two fixed typed arrays (2-way set-associative, no object per entry).
// IBD asks the status of each block's record twice (the download scan, then the connect run); read from
// LevelDB, those ~2 gets per block charged LevelDB's seek counters and drove most of its compactions
// (docs/ibd.md, 2026-12-03 store). The store sets an entry on every record it writes, so none is stale.

/** Stored as status + 2 (statuses are 0-255, −1 = no record), so a zero-filled slot is empty and untouched pages cost no RSS. */
const EMPTY = 0;

export class StatusCache {
  private readonly hashes: Uint8Array;
  private readonly status: Uint16Array;
  private readonly mask: number;

  /** `slots`: a power of two; 34 bytes each (131,072 slots: 4.5 MiB, outside the V8 heap). */
  constructor(slots = 1 << 17) {
    if (slots < 2 || (slots & (slots - 1)) !== 0) throw new RangeError('slots must be a power of two');
    this.hashes = new Uint8Array(32 * slots);
    this.status = new Uint16Array(slots);
    this.mask = (slots >>> 1) - 1;
  }

  /** First slot of the hash's set: its last 4 bytes (hashes that meet a target start with zeros, not end). */
  private set0(h: Uint8Array, off: number): number {
    return 2 * ((h[off + 28]! | (h[off + 29]! << 8) | (h[off + 30]! << 16) | (h[off + 31]! << 24)) & this.mask);
  }

  private holds(slot: number, h: Uint8Array, off: number): boolean {
    if (this.status[slot] === EMPTY) return false;
    const hs = this.hashes;
    const base = 32 * slot;
    for (let i = 31; i >= 0; i--) if (hs[base + i] !== h[off + i]) return false;
    return true;
  }

  /** The status cached for the 32-byte hash at h[off…], or undefined. */
  get(h: Uint8Array, off = 0): number | undefined {
    const s = this.set0(h, off);
    if (this.holds(s, h, off)) return this.status[s]! - 2;
    if (this.holds(s + 1, h, off)) return this.status[s + 1]! - 2;
    return undefined;
  }

  /** Records the status of a hash (the newest entry of a set takes its first way; the older moves over). */
  set(h: Uint8Array, status: number, off = 0): void {
    const s = this.set0(h, off);
    if (this.holds(s, h, off)) {
      this.status[s] = status + 2;
      return;
    }
    if (this.holds(s + 1, h, off)) {
      this.status[s + 1] = status + 2;
      return;
    }
    this.hashes.copyWithin(32 * (s + 1), 32 * s, 32 * s + 32);
    this.status[s + 1] = this.status[s]!;
    this.hashes.set(h.subarray(off, off + 32), 32 * s);
    this.status[s] = status + 2;
  }

  clear(): void {
    this.status.fill(EMPTY);
  }
}
