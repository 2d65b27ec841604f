import { type NetworkProfile } from '../constants.js';
import type { Core } from '../core/types.js';
import type { GossipStrategy } from '../gossip/strategy.js';
import { type LatencySpec } from './rng.js';
import { type GraphStats } from './topology.js';
export interface SimOptions {
    nodes: number;
    /** Peer slots per node (maxPeers); half are dialled out, so the mean degree approaches this. */
    degree: number;
    latency: LatencySpec;
    /** Bytes/s per connection direction; 0 = unlimited. */
    bandwidth: number;
    loss: number;
    strategy: GossipStrategy;
    seconds: number;
    miners: number;
    /** Fraction of nodes leaving (each replaced by a newcomer) per virtual minute. */
    churn: number;
    seed: number;
    /** Coherence round = gossip rate limit, ms (mainnet 618). */
    roundMs: number;
    /** Target block interval, s: sets the miners' virtual hashrate (the devnet target needs ~4096 hashes). */
    blockTimeSec: number;
    /** Oscillators per simulated miner. */
    oscillators: number;
    /** Nodes start uniformly over this many ms. */
    startSpreadMs: number;
    /** Bootstrap addresses per node (drawn from nodes started before it). */
    seedsPerNode: number;
    /** Sampling period for coherence and memory, ms (default: one round). */
    sampleMs?: number;
    /** Cut the network in two halves (both with miners) at fromSec and heal it at toSec. */
    partition?: {
        fromSec: number;
        toSec: number;
    };
    /** Progress lines (virtual seconds, wall seconds). */
    onProgress?: (virtualSec: number, wallSec: number) => void;
}
export declare const DEFAULT_SIM_OPTIONS: SimOptions;
/** The simulated network's profile: devnet's chain (easy target, genesis) with the chosen round length. */
export declare function simProfile(roundMs: number, blockTimeSec: number, oscillators: number): NetworkProfile;
/** Expected hashes per block at compact target `bits`: 2^256 / (target + 1). */
export declare function expectedHashes(bits: number): number;
export interface Quantiles {
    p50: number | null;
    p90: number | null;
    p100: number | null;
}
export interface BlockReport {
    height: number;
    miner: number;
    bornSec: number;
    /** Fraction of the nodes online at birth (and still online at the end) that got it. */
    reached: number;
    seconds: Quantiles;
    /** Relay hops (BLOCK frames) until the share of nodes was reached. */
    hops: Quantiles;
}
export interface SimReport {
    params: Omit<SimOptions, 'onProgress'> & {
        profile: {
            roundMs: number;
            blockTimeSec: number;
            expectedHashes: number;
        };
    };
    network: {
        online: number;
        joins: number;
        leaves: number;
        graph: GraphStats;
        connects: number;
        refused: number;
        timeouts: number;
        resets: number;
        retransmits: number;
    };
    blocks: {
        mined: number;
        mainChain: number;
        measured: number;
        meanIntervalSec: number | null;
        /** Medians over the measured blocks (and the worst block). */
        seconds: {
            median: Quantiles;
            max: Quantiles;
        };
        hops: {
            median: Quantiles;
            max: Quantiles;
        };
        /** seconds / roundMs: the seed's unit of "rounds". */
        gossipRounds: {
            median: Quantiles;
        };
        perBlock: BlockReport[];
        /** Mean coverage (0..1) against seconds since birth over the measured blocks. */
        curve: [number, number][];
    };
    coherence: {
        /** First time any miner's own r > Z_C, s. */
        firstMinerAboveZc: number | null;
        /** First time the share of online nodes whose view of network coherence is > Z_C reached 50/90/100 %. */
        networkAboveZc: Quantiles;
        finalMeanView: number;
    };
    bandwidth: {
        bytesPerNodePerSec: number;
        /** Per connection end (what the seed calls "per peer"). */
        bytesPerPeerPerSec: number;
        byType: Record<string, {
            framesPerNodePerSec: number;
            bytesPerNodePerSec: number;
            share: number;
        }>;
        oddChunks: number;
    };
    duplicates: Record<string, {
        unique: number;
        duplicates: number;
        perDelivered: number;
    }>;
    forks: {
        /** Heights where more than one block was mined. */
        competingHeights: number;
        /** Blocks mined but not on the final majority chain. */
        staleBlocks: number;
        reorgs: number;
        maxReorgDepth: number;
    };
    tips: {
        distinct: number;
        majorityShare: number;
        majorityHeight: number;
    };
    bounds: {
        log2N: number;
        pushGossipRounds: number;
    };
    errors: {
        timerErrors: number;
        first: string[];
    };
    /** Wall-clock and memory: differ between runs even with the same seed. */
    perf: {
        wallSec: number;
        events: number;
        heapBaseMB: number;
        heapPeakMB: number;
        peakPerNodeKB: number;
        retainedPerNodeKB: number;
    };
}
/** Runs one simulation to the end and returns its report. */
export declare function runSimulation(core: Core, input: Partial<SimOptions>): Promise<SimReport>;
export declare function round(x: number, digits: number): number;
