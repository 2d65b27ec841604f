import { normalizeHost, parseIp } from '../wire/ip.js';
export const addrKey = (host, port) => {
    const h = normalizeHost(host);
    return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
};
export class AddrBook {
    entries = new Map();
    maxEntries;
    baseBackoffMs;
    maxBackoffMs;
    maxFailures;
    constructor(opts = {}) {
        this.maxEntries = opts.maxEntries ?? 2000;
        this.baseBackoffMs = opts.baseBackoffMs ?? 5_000;
        this.maxBackoffMs = opts.maxBackoffMs ?? 10 * 60_000;
        this.maxFailures = opts.maxFailures ?? 8;
    }
    get size() {
        return this.entries.size;
    }
    get(host, port) {
        return this.entries.get(addrKey(host, port));
    }
    /** Adds or refreshes an address; returns false if it was not taken (bad, or the book is full of seeds). */
    add(host, port, lastSeen, opts = {}) {
        if (!Number.isInteger(port) || port < 1 || port > 0xffff || host === '')
            return false;
        const seed = opts.seed ?? false;
        if (!seed && !parseIp(host))
            return false; // learnt addresses are IP literals only
        const h = normalizeHost(host);
        if (!seed && isUnroutable(h))
            return false;
        const key = addrKey(h, port);
        const e = this.entries.get(key);
        if (e) {
            e.lastSeen = Math.max(e.lastSeen, lastSeen);
            e.seed ||= seed;
            return true;
        }
        if (this.entries.size >= this.maxEntries && !this.evictOne())
            return false;
        this.entries.set(key, { host: h, port, lastSeen, failures: 0, nextTryAt: 0, lastSuccess: 0, seed });
        return true;
    }
    remove(host, port) {
        this.entries.delete(addrKey(host, port));
    }
    /** Call when a dial starts: no second dial before the backoff elapses. */
    markAttempt(host, port, now) {
        const e = this.get(host, port);
        if (!e)
            return;
        e.nextTryAt = now + Math.min(this.baseBackoffMs * 2 ** Math.min(e.failures, 20), this.maxBackoffMs);
    }
    markSuccess(host, port, now) {
        const e = this.get(host, port);
        if (!e)
            return;
        e.failures = 0;
        e.lastSuccess = now;
        e.lastSeen = Math.max(e.lastSeen, Math.floor(now / 1000));
        e.nextTryAt = now + this.baseBackoffMs;
    }
    markFailure(host, port, now) {
        const e = this.get(host, port);
        if (!e)
            return;
        e.failures++;
        if (!e.seed && e.failures >= this.maxFailures) {
            this.remove(host, port);
            return;
        }
        e.nextTryAt = Math.max(e.nextTryAt, now + Math.min(this.baseBackoffMs * 2 ** Math.min(e.failures, 20), this.maxBackoffMs));
    }
    /** Addresses due for a dial, seeds and previously good ones first. */
    candidates(now, skip, limit) {
        const due = [];
        for (const [k, e] of this.entries)
            if (e.nextTryAt <= now && !skip(k, e))
                due.push([k, e]);
        due.sort(([, a], [, b]) => Number(b.seed) - Number(a.seed) || b.lastSuccess - a.lastSuccess || b.lastSeen - a.lastSeen);
        return due.slice(0, limit).map(([, e]) => e);
    }
    /** IP addresses worth advertising in ADDR: no recent failures, most recently seen first. */
    good(limit, skip) {
        const out = [];
        for (const [k, e] of this.entries) {
            if (e.failures > 2 || !parseIp(e.host) || skip?.(k))
                continue;
            out.push(e);
        }
        out.sort((a, b) => b.lastSeen - a.lastSeen);
        return out.slice(0, limit).map((e) => ({ host: e.host, port: e.port, lastSeen: e.lastSeen }));
    }
    /** Learnt addresses for persistence (seeds come from the configuration). */
    snapshot() {
        const out = [];
        for (const e of this.entries.values())
            if (!e.seed)
                out.push({ host: e.host, port: e.port, lastSeen: e.lastSeen });
        return out;
    }
    load(addrs) {
        for (const a of addrs)
            this.add(a.host, a.port, a.lastSeen);
    }
    /** Evicts the oldest-inserted learnt entry that has failed, else the oldest learnt one. */
    evictOne() {
        let fallback = null;
        let scanned = 0;
        for (const [k, e] of this.entries) {
            if (e.seed)
                continue;
            fallback ??= k;
            if (e.failures > 0) {
                this.entries.delete(k);
                return true;
            }
            if (++scanned >= 64)
                break; // bounded work per insert
        }
        if (fallback === null)
            return false;
        this.entries.delete(fallback);
        return true;
    }
}
/** 0.0.0.0, ::, multicast and broadcast are never dialled. */
function isUnroutable(h) {
    return h === '0.0.0.0' || h === '::' || h === '255.255.255.255' || /^2(2[4-9]|3\d)\./.test(h) || /^ff/i.test(h);
}
//# sourceMappingURL=addrbook.js.map