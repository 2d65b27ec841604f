import { type NetworkProfile } from '../constants.js';
import type { Core, WeightedPhases } from '../core/types.js';
import { type Logger } from '../log.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { PhaseRelayProtocol } from './relay.js';
import { type GossipStrategy } from './strategy.js';
/** Misbehaviour points for a PHASE or COHERENCE that fails to decode (small: peers stay unless it repeats). */
export declare const INVALID_PHASE_POINTS = 10;
export interface GossipClock {
    now(): number;
}
export interface GossipOptions {
    net: PeerNetwork;
    core: Core;
    profile: NetworkProfile;
    strategy?: GossipStrategy;
    clock?: GossipClock;
    logger?: Logger;
    /** Peer states handed out per drainIncoming() at most (highest r first). Default 8. */
    maxIncoming?: number;
    /** Weight each peer state carries into incorporation. Default PEER_PHASE_WEIGHT (0.1). */
    peerWeight?: number;
    /**
     * A peer's BLOOM (block hash + certificate bytes). Return true to relay it onward
     * (e.g. once the node holds the block); anything else keeps it local.
     */
    onBloom?: (peer: Peer, blockHash: Uint8Array, cert: Uint8Array) => boolean | void | Promise<boolean | void>;
}
export interface GossipStats {
    strategy: GossipStrategy;
    /** PHASE shares of our own state. */
    shares: number;
    /** Peer phase states relayed onward to at least one peer (each counted once, however many it went to). */
    relays: number;
    /** PHASE messages sent in relays (summed over peers). */
    relaySends: number;
    /** PHASE / COHERENCE rejected as malformed. */
    invalid: number;
    /** Valid PHASE messages received. */
    received: number;
    coherenceMsgs: number;
    blooms: number;
    getPhaseAnswered: number;
    /** Peers whose r is part of networkCoherence() now. */
    peersWithCoherence: number;
    lastSharedR: number;
}
export declare class GossipManager {
    readonly relay: PhaseRelayProtocol;
    readonly strategy: GossipStrategy;
    private readonly net;
    private readonly core;
    private readonly profile;
    private readonly clock;
    private readonly log;
    private readonly maxIncoming;
    private readonly peerWeight;
    private readonly onBloom;
    private running;
    private registered;
    private lastSharedR;
    private lastShareTime;
    /** Our current state, encoded: the answer to GETPHASE. */
    private current;
    private own;
    private ownHashes;
    private peerR;
    private queue;
    private bloomKeys;
    private counters;
    constructor(opts: GossipOptions);
    get isRunning(): boolean;
    /** Registers the PHASE / GETPHASE / COHERENCE / BLOOM handlers (once) and starts taking messages. */
    start(): void;
    /** Stops handling messages (the peer layer has no `off`; handlers become no-ops) and drops queued states. */
    stop(): void;
    /**
     * Records the local state and shares it when the strategy and the rate limit allow.
     * `now` defaults to the clock; the miner passes its round's start so jitter in a round's work
     * does not trip the rate limit. Returns whether a PHASE went out.
     */
    maybeShare(phases: Float64Array, r: number, psi: number, now?: number): boolean;
    /** Peer states queued since the last call (latest per peer, highest r first, bounded), each with the peer weight. */
    drainIncoming(): WeightedPhases[];
    announceCoherence(r: number, psi: number, rounds: number): number;
    announceBloom(blockHash: Uint8Array, cert: Uint8Array): number;
    /**
     * Recency-weighted mean of the peers' last r (half-life 5 rounds, ignored after 30 rounds)
     * together with our own, weight 1 when fresh. 0 when nothing is known.
     */
    networkCoherence(now?: number): number;
    stats(): GossipStats;
    private phasesHash;
    private onPhase;
    private onGetPhase;
    /** A node that does not mine answers GETPHASE with the best state it has heard. */
    private bestPeerState;
    private onCoherence;
    private onBloomMsg;
    private rememberBloom;
}
