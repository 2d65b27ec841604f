// Block download scheduling: which hashes go to which peer, per-peer windows, stalls and re-requests.
// Pure state driven by explicit `now` values (no timers, no IO), so it is unit-tested with plain numbers.
import { BLOCK_BATCH } from '../constants.js';
export const DEFAULT_SCHEDULER_OPTIONS = Object.freeze({
    batchSize: BLOCK_BATCH,
    blockTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
    stallBackoffMs: 30_000,
    initialWindow: 2,
    minWindow: 1,
    maxWindow: 16,
    maxOutstanding: 1_024,
    maxStalls: 3,
});
const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const keyOf = (c) => c.key ?? hex(c.hash);
export class BlockScheduler {
    opts;
    peers = new Map();
    requests = new Map();
    inFlight = new Map();
    nextRequestId = 1;
    /** Re-requests after a stall (for stats). */
    reRequested = 0;
    constructor(opts = {}) {
        this.opts = { ...DEFAULT_SCHEDULER_OPTIONS, ...opts };
    }
    addPeer(id, height, now) {
        if (this.peers.has(id))
            return this.setHeight(id, height);
        this.peers.set(id, {
            id,
            height,
            window: this.opts.initialWindow,
            requests: new Set(),
            lastProgress: now,
            backoffUntil: 0,
            stalls: 0,
            standing: true,
            delivered: 0,
            completed: 0,
        });
    }
    hasPeer(id) {
        return this.peers.has(id);
    }
    /** Heights only grow: a peer's chain may reorganise, but a lower claim is not believed over a higher one. */
    setHeight(id, height) {
        const p = this.peers.get(id);
        if (p && height > p.height)
            p.height = height;
    }
    /** Peer gone: its hashes become free for others. Returns how many were released. */
    removePeer(id) {
        const p = this.peers.get(id);
        if (!p)
            return 0;
        const n = this.releasePeer(p);
        this.peers.delete(id);
        return n;
    }
    /** Takes a peer out of the sync set for this connection (it claimed what it could not serve). */
    revokeStanding(id) {
        const p = this.peers.get(id);
        if (!p)
            return;
        p.standing = false;
        this.releasePeer(p);
    }
    hasStanding(id) {
        return this.peers.get(id)?.standing ?? false;
    }
    isInFlight(hashHex) {
        return this.inFlight.has(hashHex);
    }
    get inFlightCount() {
        return this.inFlight.size;
    }
    /** Lowest height still awaited (Infinity when none): downloaded blocks above it wait in order. */
    lowestInFlightHeight() {
        let min = Infinity;
        for (const f of this.inFlight.values())
            if (f.height < min)
                min = f.height;
        return min;
    }
    /** Free request slots over peers that may be asked now (for sizing the candidate look-up). */
    capacity(now) {
        let n = 0;
        for (const p of this.peers.values())
            if (this.eligible(p, now))
                n += p.window - p.requests.size;
        return n * this.opts.batchSize;
    }
    /**
     * Hands out candidates (ascending heights, as `chain.missingBlocks` returns them) in batches to peers
     * with free window slots whose height covers them, fastest peers first, round-robin. Stops at the first
     * candidate nobody can take, so everything in flight stays contiguous from the bottom and the
     * in-order processor never waits on a height that was never asked for.
     * `buffered` = blocks downloaded but not yet processed (they count against maxOutstanding).
     */
    assign(candidates, now, buffered = 0) {
        const out = [];
        let budget = this.opts.maxOutstanding - this.inFlight.size - buffered;
        const peers = [...this.peers.values()]
            .filter((p) => this.eligible(p, now))
            .sort((a, b) => b.completed - a.completed || b.window - a.window || a.id - b.id);
        let i = 0;
        // Skip what is already on its way (a peer still working on it).
        const next = () => {
            while (i < candidates.length && this.inFlight.has(keyOf(candidates[i])))
                i++;
            return candidates[i];
        };
        let progress = true;
        while (progress && budget > 0) {
            progress = false;
            for (const p of peers) {
                const head = next();
                if (!head || budget <= 0)
                    return out;
                if (p.requests.size >= p.window || head.height > p.height)
                    continue;
                const hashes = [];
                const heights = [];
                const keys = [];
                for (let c = next(); c && hashes.length < this.opts.batchSize && budget > 0 && c.height <= p.height; c = next()) {
                    hashes.push(c.hash);
                    heights.push(c.height);
                    keys.push(keyOf(c));
                    budget--;
                    i++;
                }
                const req = { id: this.nextRequestId++, peerId: p.id, sentAt: now, remaining: new Set(keys) };
                this.requests.set(req.id, req);
                if (p.requests.size === 0)
                    p.lastProgress = now;
                p.requests.add(req.id);
                keys.forEach((k, j) => this.inFlight.set(k, { height: heights[j], peerId: p.id, requestId: req.id }));
                out.push({ peerId: p.id, requestId: req.id, hashes, heights });
                progress = true;
            }
        }
        return out;
    }
    /** A block arrived from `peerId`. Any peer may satisfy a hash (a stalled peer's late delivery counts). */
    received(hashHex, peerId, now) {
        const sender = this.peers.get(peerId);
        if (sender) {
            sender.lastProgress = now;
            sender.delivered++;
        }
        const f = this.inFlight.get(hashHex);
        if (!f)
            return { requested: false };
        this.inFlight.delete(hashHex);
        const req = this.requests.get(f.requestId);
        if (req) {
            req.remaining.delete(hashHex);
            if (req.remaining.size === 0)
                this.complete(req, true);
        }
        return { requested: true, height: f.height, assignedTo: f.peerId };
    }
    /** Stall detection; stalled peers' hashes are released for another peer, the peer backs off. */
    checkTimeouts(now) {
        const stalls = [];
        for (const p of this.peers.values()) {
            if (p.requests.size === 0)
                continue;
            let reason;
            if (now - p.lastProgress > this.opts.blockTimeoutMs)
                reason = 'block-timeout';
            else
                for (const id of p.requests) {
                    const r = this.requests.get(id);
                    if (r && now - r.sentAt > this.opts.requestTimeoutMs)
                        reason = 'request-timeout';
                }
            if (!reason)
                continue;
            const released = this.releasePeer(p);
            this.reRequested += released;
            p.stalls++;
            p.window = Math.max(this.opts.minWindow, Math.floor(p.window / 2));
            p.backoffUntil = now + this.opts.stallBackoffMs;
            const lostStanding = p.standing && p.stalls >= this.opts.maxStalls;
            if (lostStanding)
                p.standing = false;
            stalls.push({ peerId: p.id, reason, released, lostStanding });
        }
        return stalls;
    }
    peerView(id) {
        const p = this.peers.get(id);
        if (!p)
            return undefined;
        let blocks = 0;
        for (const r of p.requests)
            blocks += this.requests.get(r)?.remaining.size ?? 0;
        return {
            id: p.id,
            height: p.height,
            window: p.window,
            inFlightRequests: p.requests.size,
            inFlightBlocks: blocks,
            stalls: p.stalls,
            standing: p.standing,
            backoffUntil: p.backoffUntil,
            delivered: p.delivered,
        };
    }
    peerViews() {
        return [...this.peers.keys()].map((id) => this.peerView(id));
    }
    /** Drops every request (e.g. the header chain reorganised and the hashes are stale). */
    clear() {
        for (const p of this.peers.values())
            p.requests.clear();
        this.requests.clear();
        this.inFlight.clear();
    }
    eligible(p, now) {
        return p.standing && now >= p.backoffUntil && p.requests.size < p.window;
    }
    complete(req, ok) {
        this.requests.delete(req.id);
        const p = this.peers.get(req.peerId);
        if (!p)
            return;
        p.requests.delete(req.id);
        if (ok) {
            p.completed++;
            if (p.window < this.opts.maxWindow)
                p.window++;
        }
    }
    releasePeer(p) {
        let n = 0;
        for (const id of p.requests) {
            const r = this.requests.get(id);
            if (!r)
                continue;
            for (const k of r.remaining) {
                this.inFlight.delete(k);
                n++;
            }
            this.requests.delete(id);
        }
        p.requests.clear();
        return n;
    }
}
//# sourceMappingURL=scheduler.js.map