export class VirtualHashPool {
    core;
    clock;
    hashrate;
    threads = 1;
    /** Hashes actually computed (real work on this thread). */
    hashes = 0;
    /** `hashrate`: virtual hashes per second this miner is credited with. */
    constructor(core, clock, hashrate) {
        this.core = core;
        this.clock = clock;
        this.hashrate = hashrate;
    }
    grind(header, target, opts) {
        const start = opts.start ?? 0;
        const count = opts.count ?? 2 ** 32 - start;
        const signal = opts.signal;
        if (signal?.aborted)
            return Promise.resolve({ nonce: -1, aborted: true, hashes: 0 });
        // Real search, but in slices: a find ends it early, as the worker pool would.
        let nonce = -1;
        const slice = 1 << 14;
        for (let s = start; s < start + count; s += slice) {
            const n = Math.min(slice, start + count - s);
            nonce = this.core.grindNonces(header, target, s, n);
            if (nonce >= 0) {
                this.hashes += nonce - s + 1;
                break;
            }
            this.hashes += n;
        }
        const tried = nonce >= 0 ? nonce - start + 1 : count;
        const delayMs = (tried * 1000) / this.hashrate;
        return new Promise((resolve) => {
            const onAbort = () => {
                this.clock.clearTimeout(timer);
                resolve({ nonce: -1, aborted: true, hashes: 0 });
            };
            const timer = this.clock.setTimeout(() => {
                signal?.removeEventListener('abort', onAbort);
                resolve({ nonce, found: nonce >= 0, hashes: tried });
            }, delayMs);
            signal?.addEventListener('abort', onAbort, { once: true });
        });
    }
}
//# sourceMappingURL=pool.js.map