export declare class Lru<K, V> {
    readonly capacity: number;
    private young;
    private old;
    private readonly half;
    constructor(capacity: number);
    get(k: K): V | undefined;
    set(k: K, v: V): void;
    delete(k: K): void;
    clear(): void;
    /** Entries held (a key in both generations counts twice; never above capacity). */
    get size(): number;
}
