// Banned hosts: bounded, expiring, keyed by host (not port — a banned node can pick any port).
import { normalizeHost } from '../wire/ip.js';
export class BanList {
    maxEntries;
    bans = new Map();
    constructor(maxEntries = 10_000) {
        this.maxEntries = maxEntries;
    }
    ban(host, until, reason) {
        const h = normalizeHost(host);
        this.bans.delete(h); // re-insert: Map order is "oldest first" for eviction
        this.bans.set(h, { host: h, until, reason });
        while (this.bans.size > this.maxEntries) {
            const oldest = this.bans.keys().next().value;
            this.bans.delete(oldest);
        }
    }
    unban(host) {
        return this.bans.delete(normalizeHost(host));
    }
    isBanned(host, now) {
        const h = normalizeHost(host);
        const e = this.bans.get(h);
        if (!e)
            return false;
        if (e.until <= now) {
            this.bans.delete(h);
            return false;
        }
        return true;
    }
    /** Drops expired entries; returns the live ones. */
    list(now) {
        for (const [h, e] of this.bans)
            if (e.until <= now)
                this.bans.delete(h);
        return [...this.bans.values()].map((e) => ({ ...e }));
    }
    get size() {
        return this.bans.size;
    }
    load(entries, now) {
        for (const e of entries)
            if (e.until > now)
                this.ban(e.host, e.until, e.reason);
    }
}
//# sourceMappingURL=bans.js.map