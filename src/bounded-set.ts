// A set of recently seen keys with a hard cap: the oldest insertion is forgotten first, so memory stays
// bounded whatever a peer sends (Bitcoin Core's rolling filters serve the same purpose).

export class BoundedSet<K> {
  private readonly keys = new Set<K>();

  constructor(readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`BoundedSet cap must be a positive integer, got ${cap}`);
  }

  get size(): number {
    return this.keys.size;
  }

  has(k: K): boolean {
    return this.keys.has(k);
  }

  /** Adds `k` (a repeat does not refresh its age); true when it was not there. */
  add(k: K): boolean {
    if (this.keys.has(k)) return false;
    if (this.keys.size >= this.cap) this.keys.delete(this.keys.values().next().value as K);
    this.keys.add(k);
    return true;
  }

  delete(k: K): boolean {
    return this.keys.delete(k);
  }

  clear(): void {
    this.keys.clear();
  }

  /** Oldest first. */
  values(): IterableIterator<K> {
    return this.keys.values();
  }
}
