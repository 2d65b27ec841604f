// Phase gossip (seed section 2): shares local phases by strategy, takes peers' PHASE / COHERENCE /
// BLOOM, relays per PhaseRelayProtocol and keeps a weighted view of the network's coherence.
import { PEER_PHASE_WEIGHT } from '../constants.js';
import { silentLogger } from '../log.js';
import { MsgType } from '../wire/types.js';
import { PhaseRelayProtocol } from './relay.js';
import { DEFAULT_STRATEGY, shouldShare } from './strategy.js';
/** Misbehaviour points for a PHASE or COHERENCE that fails to decode (small: peers stay unless it repeats). */
export const INVALID_PHASE_POINTS = 10;
const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
/** Own shares remembered so an echo through the mesh is neither relayed nor incorporated. */
const OWN_HASHES = 16;
/** BLOOM block hashes remembered for dedup. */
const BLOOM_KEYS = 256;
export class GossipManager {
    relay = new PhaseRelayProtocol();
    strategy;
    net;
    core;
    profile;
    clock;
    log;
    maxIncoming;
    peerWeight;
    onBloom;
    running = false;
    registered = false;
    lastSharedR = 0;
    lastShareTime = null;
    /** Our current state, encoded: the answer to GETPHASE. */
    current = null;
    own = null;
    ownHashes = [];
    peerR = new Map();
    queue = new Map();
    bloomKeys = [];
    counters = {
        shares: 0,
        relays: 0,
        relaySends: 0,
        invalid: 0,
        received: 0,
        coherenceMsgs: 0,
        blooms: 0,
        getPhaseAnswered: 0,
    };
    constructor(opts) {
        this.net = opts.net;
        this.core = opts.core;
        this.profile = opts.profile;
        this.strategy = opts.strategy ?? DEFAULT_STRATEGY;
        this.clock = opts.clock ?? { now: () => Date.now() };
        this.log = opts.logger ?? silentLogger;
        this.maxIncoming = opts.maxIncoming ?? 8;
        this.peerWeight = opts.peerWeight ?? PEER_PHASE_WEIGHT;
        this.onBloom = opts.onBloom;
    }
    get isRunning() {
        return this.running;
    }
    /** Registers the PHASE / GETPHASE / COHERENCE / BLOOM handlers (once) and starts taking messages. */
    start() {
        if (this.running)
            return;
        this.running = true;
        if (this.registered)
            return;
        this.registered = true;
        this.net.on(MsgType.PHASE, (peer, msg) => this.onPhase(peer, msg.state));
        this.net.on(MsgType.GETPHASE, (peer) => this.onGetPhase(peer));
        this.net.on(MsgType.COHERENCE, (peer, msg) => this.onCoherence(peer, msg.r, msg.psi, msg.rounds));
        this.net.on(MsgType.BLOOM, (peer, msg) => this.onBloomMsg(peer, msg));
        this.net.onPeerClosed((peer) => {
            this.peerR.delete(peer.id);
            this.queue.delete(peer.id);
        });
    }
    /** Stops handling messages (the peer layer has no `off`; handlers become no-ops) and drops queued states. */
    stop() {
        this.running = false;
        this.queue.clear();
    }
    /**
     * Records the local state and shares it when the strategy and the rate limit allow.
     * `now` defaults to the clock; the miner passes its round's start so jitter in a round's work
     * does not trip the rate limit. Returns whether a PHASE went out.
     */
    maybeShare(phases, r, psi, now = this.clock.now()) {
        let encoded;
        try {
            encoded = this.core.encodePhaseState(phases, r, psi);
        }
        catch (err) {
            this.log.warn({ err }, 'local phase state not encodable');
            return false;
        }
        this.current = encoded;
        this.own = { r, at: now };
        if (!this.running)
            return false;
        const share = shouldShare(this.strategy, {
            r,
            lastSharedR: this.lastSharedR,
            now,
            lastShareTime: this.lastShareTime,
            minIntervalMs: this.profile.gossipIntervalMs,
        });
        if (!share)
            return false;
        const h = this.phasesHash(encoded);
        this.relay.remember(r, h);
        this.ownHashes.push(h);
        if (this.ownHashes.length > OWN_HASHES)
            this.ownHashes.shift();
        this.net.broadcast({ type: MsgType.PHASE, state: encoded });
        this.lastSharedR = r;
        this.lastShareTime = now;
        this.counters.shares++;
        return true;
    }
    /** Peer states queued since the last call (latest per peer, highest r first, bounded), each with the peer weight. */
    drainIncoming() {
        const out = [...this.queue.values()]
            .sort((a, b) => b.r - a.r)
            .slice(0, this.maxIncoming)
            .map((q) => ({ phases: q.phases, r: q.r, weight: this.peerWeight }));
        this.queue.clear();
        return out;
    }
    announceCoherence(r, psi, rounds) {
        if (!this.running)
            return 0;
        return this.net.broadcast({ type: MsgType.COHERENCE, r, psi, rounds });
    }
    announceBloom(blockHash, cert) {
        if (!this.running)
            return 0;
        const key = this.rememberBloom(blockHash);
        return this.net.broadcast({ type: MsgType.BLOOM, blockHash, cert }, { key });
    }
    /**
     * Recency-weighted mean of the peers' last r (half-life 5 rounds, ignored after 30 rounds)
     * together with our own, weight 1 when fresh. 0 when nothing is known.
     */
    networkCoherence(now = this.clock.now()) {
        const interval = this.profile.gossipIntervalMs;
        const halfLife = 5 * interval;
        const stale = 30 * interval;
        let sum = 0;
        let wsum = 0;
        const add = (r, at) => {
            const age = Math.max(0, now - at);
            if (age > stale)
                return;
            const w = 0.5 ** (age / halfLife);
            sum += w * r;
            wsum += w;
        };
        for (const p of this.peerR.values())
            add(p.r, p.at);
        if (this.own)
            add(this.own.r, this.own.at);
        return wsum > 0 ? sum / wsum : 0;
    }
    stats() {
        const now = this.clock.now();
        const stale = 30 * this.profile.gossipIntervalMs;
        let fresh = 0;
        for (const p of this.peerR.values())
            if (now - p.at <= stale)
                fresh++;
        return { strategy: this.strategy, ...this.counters, peersWithCoherence: fresh, lastSharedR: this.lastSharedR };
    }
    phasesHash(state) {
        // Hash of the phases only (seed 2.6): the same phases with a higher claimed r are "improved".
        return hex(this.core.sha256d(state.subarray(12)).subarray(0, 16));
    }
    onPhase(peer, state) {
        if (!this.running)
            return;
        let decoded;
        try {
            decoded = this.core.decodePhaseState(state);
        }
        catch (err) {
            this.counters.invalid++;
            const code = err.code ?? 'PHASE_MALFORMED';
            this.log.debug({ peer: peer.address, code }, 'invalid PHASE dropped');
            this.net.misbehave(peer, INVALID_PHASE_POINTS, `invalid-phase:${code}`);
            return;
        }
        this.counters.received++;
        const now = this.clock.now();
        peer.phaseState = decoded;
        peer.coherence = decoded.r;
        this.peerR.set(peer.id, { r: decoded.r, at: now });
        const h = this.phasesHash(state);
        if (this.ownHashes.includes(h))
            return; // our own share come back round the mesh
        if (decoded.phases.length > 0)
            this.queue.set(peer.id, { phases: decoded.phases, r: decoded.r });
        if (this.relay.shouldRelay(decoded.r, h)) {
            const sent = this.net.broadcast({ type: MsgType.PHASE, state }, { exclude: peer });
            if (sent > 0)
                this.counters.relays++;
            this.counters.relaySends += sent;
        }
    }
    onGetPhase(peer) {
        if (!this.running)
            return;
        const state = this.current ?? this.bestPeerState();
        if (!state)
            return;
        if (this.net.send(peer, { type: MsgType.PHASE, state }))
            this.counters.getPhaseAnswered++;
    }
    /** A node that does not mine answers GETPHASE with the best state it has heard. */
    bestPeerState() {
        let best = null;
        for (const p of this.net.peers()) {
            const s = p.phaseState;
            if (s && s.phases.length > 0 && (!best || s.r > best.r))
                best = s;
        }
        if (!best)
            return null;
        try {
            return this.core.encodePhaseState(best.phases, best.r, best.psi);
        }
        catch {
            return null;
        }
    }
    onCoherence(peer, r, psi, rounds) {
        if (!this.running)
            return;
        if (!(r >= 0 && r <= 1) || !Number.isFinite(psi) || !(rounds >= 0)) {
            this.counters.invalid++;
            this.net.misbehave(peer, INVALID_PHASE_POINTS, 'invalid-coherence');
            return;
        }
        this.counters.coherenceMsgs++;
        peer.coherence = r;
        this.peerR.set(peer.id, { r, at: this.clock.now() });
    }
    onBloomMsg(peer, msg) {
        if (!this.running)
            return;
        this.counters.blooms++;
        const key = `bloom:${hex(msg.blockHash)}`;
        this.net.markSeen(peer, key);
        const seen = this.bloomKeys.includes(key);
        if (!seen)
            this.rememberBloom(msg.blockHash);
        if (!this.onBloom)
            return;
        let verdict;
        try {
            verdict = this.onBloom(peer, msg.blockHash, msg.cert);
        }
        catch (err) {
            this.log.warn({ err }, 'onBloom callback failed');
            return;
        }
        if (seen)
            return;
        void Promise.resolve(verdict).then((relay) => {
            if (relay === true && this.running) {
                this.counters.relaySends += this.net.broadcast(msg, { exclude: peer, key });
            }
        }, (err) => this.log.warn({ err }, 'onBloom callback failed'));
    }
    rememberBloom(blockHash) {
        const key = `bloom:${hex(blockHash)}`;
        if (!this.bloomKeys.includes(key)) {
            this.bloomKeys.push(key);
            if (this.bloomKeys.length > BLOOM_KEYS)
                this.bloomKeys.shift();
        }
        return key;
    }
}
//# sourceMappingURL=manager.js.map