import type { NetworkProfile } from '../constants.js';
import type { Tip, TipChange } from '../chain/types.js';
import type { Core } from '../core/types.js';
import type { GossipStrategy } from '../gossip/strategy.js';
import type { Transport } from '../p2p/transport.js';
import type { VirtualClock } from './clock.js';
import type { Rng } from './rng.js';
export interface SimNodeSpec {
    index: number;
    host: string;
    /** Hosts to bootstrap from (all listen on `port`). */
    seeds: string[];
    port: number;
    transport: Transport;
    clock: VirtualClock;
    core: Core;
    profile: NetworkProfile;
    strategy: GossipStrategy;
    maxPeers: number;
    rng: Rng;
    mine: boolean;
    /** Virtual hashes per second credited to a miner. */
    hashrate: number;
    oscillators: number;
}
/** What the simulator reads of a node. */
export interface SimNode {
    readonly index: number;
    readonly host: string;
    readonly started: boolean;
    readonly chain: {
        tip(): Tip;
        onTip(cb: (change: TipChange) => void): void;
    };
    /** The node's gossip view of network coherence. */
    networkCoherence(): number;
    /** The miner's own r; null for a node that does not mine. */
    minerR(): number | null;
    start(): Promise<void>;
    stop(): Promise<void>;
}
export declare function createSimNode(spec: SimNodeSpec): Promise<SimNode>;
