import { type NetworkProfile } from './constants.js';
import type { NodeConfig } from './config.js';
import type { Core } from './core/types.js';
import { Chain } from './chain/chain.js';
import type { ChainDb } from './chain/store.js';
import { Mempool } from './chain/mempool.js';
import type { Account, Tip } from './chain/types.js';
import { GossipManager } from './gossip/manager.js';
import { Miner, type GrindPool } from './miner/miner.js';
import { type Logger } from './log.js';
import { type Clock } from './p2p/clock.js';
import { PeerManager } from './p2p/manager.js';
import { type Transport } from './p2p/transport.js';
import { SyncManager } from './sync/manager.js';
import type { BlockInfo, CoherencePoint, MempoolEntry, NodeStats, NodeStatus, NodeView, PeerInfo, SubmitResult, TxInfo } from './api/types.js';
export declare const VERSION: string;
export declare const USER_AGENT: string;
/** Everything a node can be given instead of building it (tests, the simulator, embedders). */
export interface NodeDeps {
    logger?: Logger;
    transport?: Transport;
    clock?: Clock;
    /** An abstract-level database (e.g. memory-level) instead of classic-level under dataDir. */
    db?: ChainDb;
    core?: Core;
    /** Nonce grinding / large integrations; a CorePool is made when mining and none is given. */
    pool?: GrindPool & {
        close?(): Promise<void>;
    };
    /** VERSION nonce (the simulator seeds it). */
    nonce?: bigint;
    /** Miner PRNG seed (the simulator seeds it). */
    minerSeed?: number;
}
export declare class BloomNode implements NodeView {
    readonly config: NodeConfig;
    readonly core: Core;
    readonly chain: Chain;
    readonly txpool: Mempool;
    readonly net: PeerManager;
    readonly sync: SyncManager;
    readonly gossip: GossipManager;
    readonly miner: Miner | null;
    private readonly pool;
    private readonly ownsPool;
    readonly profile: NetworkProfile;
    private readonly clock;
    private readonly log;
    private startedAt;
    private historyTimer;
    private readonly history;
    private stopping;
    private constructor();
    static create(config: NodeConfig, deps?: NodeDeps): Promise<BloomNode>;
    /** Listens, dials seeds, starts sync, gossip and (unless --no-mine) the miner. */
    start(): Promise<void>;
    /** Stops mining, tells peers (closes cleanly), closes the pool and the store. Idempotent. */
    stop(): Promise<void>;
    /** "host:port" the P2P server is bound to, if listening. */
    listenAddress(): string | undefined;
    tip(): Tip;
    private coherence;
    /** Circular mean of the peers' last psi values (0 when none has shared). */
    private peersPsi;
    private sample;
    status(): NodeStatus;
    peers(): PeerInfo[];
    getBlock(ref: number | Uint8Array): Promise<BlockInfo | undefined>;
    getHeaders(from: number, count: number): Promise<Uint8Array[]>;
    getTx(txid: Uint8Array): Promise<TxInfo | undefined>;
    getAccount(address: Uint8Array): Promise<Account>;
    mempool(): MempoolEntry[];
    submitTx(bytes: Uint8Array): Promise<SubmitResult>;
    coherenceHistory(): CoherencePoint[];
    stats(): NodeStats;
}
