import { type NetworkProfile } from '../constants.js';
import type { AddBlockResult, Certificate, ChainApi, Tx } from '../chain/types.js';
import type { Core, WeightedPhases } from '../core/types.js';
import { type Logger } from '../log.js';
import { type Clock } from '../p2p/clock.js';
import type { PeerNetwork } from '../p2p/types.js';
import { Oscillators, type Integrator } from './oscillators.js';
/** What the miner needs of a template (the chain's BlockTemplate has more). */
export interface MiningTemplate {
    height: number;
    prevHash: Uint8Array;
    /** 118 header bytes; the nonce is bytes 114..117. */
    header: Uint8Array;
    /** 32-byte big-endian target. */
    targetBytes: Uint8Array;
    txCount?: number;
    withNonce(nonce: number): Uint8Array;
}
export interface MiningChain extends Pick<ChainApi, 'tip' | 'headerTip' | 'addBlock' | 'onTip'> {
    buildTemplate(opts: {
        minerAddress: Uint8Array;
        cert: Certificate;
        txs?: readonly (Uint8Array | Tx)[];
        timestamp?: number;
    }): Promise<MiningTemplate> | MiningTemplate;
}
/** Transactions for a template, best fee first. */
export interface TxSource {
    select(max: number): readonly (Uint8Array | Tx)[];
}
/** What the pool's grind may answer: a nonce (−1/null: none), or an object carrying one. */
export type GrindAnswer = number | null | {
    nonce?: number | null;
    found?: boolean;
    hashes?: number;
    tried?: number;
    aborted?: boolean;
};
/** CorePool's grind (and optionally its off-thread Kuramoto) as the miner uses them. */
export interface GrindPool {
    grind(header: Uint8Array, target: Uint8Array, opts: {
        signal?: AbortSignal;
        start?: number;
        count?: number;
    }): Promise<GrindAnswer>;
    /** Worker threads; the miner uses it to estimate the hashes behind a find. */
    readonly threads?: number;
    kuramotoIntegrate?: Integrator;
}
/** The gossip the miner drives (GossipManager implements it). */
export interface MinerGossip {
    maybeShare(phases: Float64Array, r: number, psi: number, now?: number): boolean;
    drainIncoming(): WeightedPhases[];
    announceCoherence(r: number, psi: number, rounds: number): number;
    announceBloom(blockHash: Uint8Array, cert: Uint8Array): number;
}
export interface MinerOptions {
    chain: MiningChain;
    core: Core;
    profile: NetworkProfile;
    /** 20-byte address credited with subsidy and fees. */
    minerAddress: Uint8Array;
    mempool?: TxSource;
    gossip?: MinerGossip;
    /** Worker pool for nonces; without one, nonces are ground on this thread in yielding slices. */
    pool?: GrindPool;
    /** For BLOCK broadcasts of our own blocks. */
    net?: Pick<PeerNetwork, 'broadcast'>;
    clock?: Clock;
    logger?: Logger;
    /** Oscillator count (default profile.oscillators). */
    oscillators?: number;
    /** PRNG seed of the oscillators (default: random per process, so miners differ). */
    seed?: number;
    /** Integrates elsewhere instead of core.kuramotoIntegrate on this thread (default: the pool's, when it has one). */
    integrator?: Integrator;
    coupling?: number;
    steps?: number;
    dt?: number;
    /** Transactions per template at most. Default 1000. */
    maxTxs?: number;
    /** Nonces per slice when grinding on this thread. Default 16384. */
    sliceNonces?: number;
}
export interface MinerStatus {
    /** started and not stopped */
    mining: boolean;
    /** a nonce search is under way */
    grinding: boolean;
    r: number;
    psi: number;
    /** consecutive rounds above Z_C */
    rounds: number;
    roundsTotal: number;
    /** nonces per second, recent average */
    hashrate: number;
    blocksMined: number;
    /** templates built (one per grind; more when a range is exhausted) */
    templates: number;
    oscillators: number;
}
/** Pool answers normalised to { nonce (−1 when none), hashes (when known) }. */
export declare function normaliseGrind(a: GrindAnswer): {
    nonce: number;
    hashes: number | undefined;
};
export declare class Miner {
    readonly osc: Oscillators;
    private readonly chain;
    private readonly core;
    private readonly profile;
    private readonly minerAddress;
    private readonly mempool?;
    private readonly gossip?;
    private readonly pool?;
    private readonly net?;
    private readonly clock;
    private readonly log;
    private readonly maxTxs;
    private readonly sliceNonces;
    private running;
    private subscribed;
    private timer;
    private nextRoundAt;
    private roundRunning;
    private grinding;
    private abort;
    private reseedPending;
    private rounds;
    private roundsTotal;
    private blocksMined;
    private templates;
    private state;
    private hashrate;
    private lastHashAt;
    private range;
    private readonly blockWaiters;
    constructor(opts: MinerOptions);
    start(): void;
    /** Stops rounds and any nonce search; resolves once both have finished. */
    stop(): Promise<void>;
    status(): MinerStatus;
    /** Resolves with the result of the next block this miner finds (tests and tooling). */
    nextBlock(): Promise<AddBlockResult>;
    private schedule;
    /** One coherence round: integrate, share, incorporate, count; maybe start grinding. */
    private round;
    private syncing;
    private certificate;
    private onTip;
    private mine;
    private submit;
    /**
     * Walks the nonce space in ranges sized to about half a round of work, so the hashrate is measured
     * exactly and a Kuramoto task queued behind the grind in the pool waits at most that long.
     */
    private grind;
    private grindRange;
    private noteHashes;
}
