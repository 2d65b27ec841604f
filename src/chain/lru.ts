// A bounded cache with two generations (approximate LRU): O(1) operations and no Map-deletion churn.
/** What a generation needs of its map (a Map, or a BytesMap for byte keys). */
export interface GenerationMap<K, V> {
  get(k: K): V | undefined;
  set(k: K, v: V): void;
  delete(k: K): void;
  clear(): void;
  readonly size: number;
}

export class Lru<K, V> {
  private young: GenerationMap<K, V>;
  private old: GenerationMap<K, V>;
  private readonly half: number;

  constructor(
    readonly capacity: number,
    private readonly newMap: () => GenerationMap<K, V> = () => new Map<K, V>(),
  ) {
    this.half = Math.max(1, Math.floor(capacity / 2));
    this.young = newMap();
    this.old = newMap();
  }

  get(k: K): V | undefined {
    const v = this.young.get(k);
    if (v !== undefined) return v;
    const o = this.old.get(k);
    if (o !== undefined) this.set(k, o); // promote what is still in use
    return o;
  }

  set(k: K, v: V): void {
    this.young.set(k, v);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = this.newMap();
    }
  }

  delete(k: K): void {
    this.young.delete(k);
    this.old.delete(k);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  /** Entries held (a key in both generations counts twice; never above capacity). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
