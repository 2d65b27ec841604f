// A set of recently seen keys with a hard cap: the oldest insertion is forgotten first, so memory stays
// bounded whatever a peer sends (Bitcoin Core's rolling filters serve the same purpose).

export class BoundedSet<K> {
  /** Key → the sequence number of its insertion (Map order is insertion order: values() is oldest first). */
  private readonly live = new Map<K, number>();
  /**
   * Insertions in order, with their sequence numbers, from `head` on (a slot whose key was deleted, or
   * deleted and added again, no longer matches `live`). Eviction reads the head here: taking the Map's
   * first key walks V8's deleted-entry holes, ~3 µs per add at 8 k entries against ~0.15 µs.
   */
  private orderKeys: K[] = [];
  private orderSeqs: number[] = [];
  private head = 0;
  private seq = 0;

  constructor(readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`BoundedSet cap must be a positive integer, got ${cap}`);
  }

  get size(): number {
    return this.live.size;
  }

  has(k: K): boolean {
    return this.live.has(k);
  }

  /** Adds `k` (a repeat does not refresh its age); true when it was not there. */
  add(k: K): boolean {
    if (this.live.has(k)) return false;
    if (this.live.size >= this.cap) this.evictOldest();
    // deletes leave their slots behind: rebuild the order from what is live before it outgrows 2 × cap
    if (this.orderKeys.length - this.head >= 2 * this.cap) this.rebuildOrder();
    const s = this.seq++;
    this.live.set(k, s);
    this.orderKeys.push(k);
    this.orderSeqs.push(s);
    return true;
  }

  delete(k: K): boolean {
    return this.live.delete(k);
  }

  clear(): void {
    this.live.clear();
    this.orderKeys = [];
    this.orderSeqs = [];
    this.head = 0;
  }

  /** Oldest first. */
  values(): IterableIterator<K> {
    return this.live.keys();
  }

  private rebuildOrder(): void {
    this.orderKeys = [...this.live.keys()];
    this.orderSeqs = [...this.live.values()];
    this.head = 0;
  }

  /** Slots of the insertion order held (live or stale), for the bound's test. */
  get orderSlots(): number {
    return this.orderKeys.length - this.head;
  }

  private evictOldest(): void {
    while (this.head < this.orderKeys.length) {
      const k = this.orderKeys[this.head]!;
      const s = this.orderSeqs[this.head]!;
      this.head++;
      if (this.live.get(k) === s) {
        this.live.delete(k);
        break;
      }
    }
    // drop the consumed front now and then (amortised O(1) per add)
    if (this.head > 1024 && this.head * 2 > this.orderKeys.length) {
      this.orderKeys = this.orderKeys.slice(this.head);
      this.orderSeqs = this.orderSeqs.slice(this.head);
      this.head = 0;
    }
  }
}
