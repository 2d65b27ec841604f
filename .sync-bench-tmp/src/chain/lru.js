// A bounded cache with two generations (approximate LRU): O(1) operations and no Map-deletion churn.
export class Lru {
    capacity;
    young = new Map();
    old = new Map();
    half;
    constructor(capacity) {
        this.capacity = capacity;
        this.half = Math.max(1, Math.floor(capacity / 2));
    }
    get(k) {
        const v = this.young.get(k);
        if (v !== undefined)
            return v;
        const o = this.old.get(k);
        if (o !== undefined)
            this.set(k, o); // promote what is still in use
        return o;
    }
    set(k, v) {
        this.young.set(k, v);
        if (this.young.size >= this.half) {
            this.old = this.young;
            this.young = new Map();
        }
    }
    delete(k) {
        this.young.delete(k);
        this.old.delete(k);
    }
    clear() {
        this.young.clear();
        this.old.clear();
    }
    /** Entries held (a key in both generations counts twice; never above capacity). */
    get size() {
        return this.young.size + this.old.size;
    }
}
//# sourceMappingURL=lru.js.map