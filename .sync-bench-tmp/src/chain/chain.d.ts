import { type NetworkProfile } from '../constants.js';
import type { Core } from '../core/types.js';
import { type Logger } from '../log.js';
import { type ChainDb, Store, type PeerStore, type TxLocation } from './store.js';
import type { Account, AddBlockResult, AddHeadersResult, Block, Certificate, ChainApi, Header, Tip, TipChange, Tx } from './types.js';
export interface ChainOptions {
    /** The store lives in <dataDir>/chain unless `db` is given. */
    dataDir: string;
    /** A database to use instead of classic-level on disk (the simulator passes memory-level). */
    db?: ChainDb;
    /** An injected abstract-level db ('view' encodings, e.g. memory-level) used instead of one under dataDir. */
    db?: ChainDb;
    profile: NetworkProfile;
    core: Core;
    logger?: Logger;
    /** Clock for the 2-minute future rule (ms). */
    now?: () => number;
    /** Blocks whose parent is unknown, held at most (oldest dropped first). */
    orphanLimit?: number;
    /** Header records kept in the LRU cache. */
    cacheSize?: number;
    /** Side-branch blocks more than this many blocks below the tip lose their bodies. */
    sideKeep?: number;
}
export interface TemplateOptions {
    minerAddress: Uint8Array;
    cert: Certificate;
    /** Candidate transactions (bytes or decoded); ones that do not apply in order are left out. */
    txs?: readonly (Uint8Array | Tx)[];
    timestamp?: number;
}
export interface BlockTemplate {
    height: number;
    prevHash: Uint8Array;
    bits: number;
    target: bigint;
    /** 32-byte big-endian target, as Core.grindNonces takes it. */
    targetBytes: Uint8Array;
    /** 118 header bytes with nonce 0; grind bytes 114..117. */
    header: Uint8Array;
    txCount: number;
    fees: bigint;
    /** Block bytes for a found nonce. */
    withNonce(nonce: number): Uint8Array;
}
export interface TxLookup extends TxLocation {
    tx: Tx;
    bytes: Uint8Array;
}
export declare class Chain implements ChainApi {
    readonly profile: NetworkProfile;
    readonly core: Core;
    readonly store: Store;
    readonly genesisHash: Uint8Array;
    private tipRec;
    private headerTipRec;
    private readonly listeners;
    private readonly orphans;
    private orphanBytes;
    private queue;
    private closed;
    private readonly now;
    private readonly log;
    private readonly orphanLimit;
    private readonly sideKeep;
    private constructor();
    static open(opts: ChainOptions): Promise<Chain>;
    tip(): Tip;
    headerTip(): Tip;
    /** The address book's storage. */
    get peers(): PeerStore;
    getHeadersRange(start: number, count: number): Promise<Uint8Array[]>;
    getHeaderByHeight(height: number): Promise<Header | undefined>;
    /** Main-chain block hash at a height. */
    getHashByHeight(height: number): Promise<Uint8Array | undefined>;
    getHeader(hash: Uint8Array): Promise<Header | undefined>;
    getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined>;
    getBlock(hash: Uint8Array): Promise<Block | undefined>;
    hasBlock(hash: Uint8Array): Promise<boolean>;
    /** True when the block is on the connected (best) chain. */
    isMain(hash: Uint8Array, height: number): boolean;
    getAccount(address: Uint8Array): Promise<Account>;
    /** Synchronous account read for the mempool's hot path. */
    accountSync(address: Uint8Array): Account;
    /** A transaction on the main chain, by txid. */
    getTx(id: Uint8Array): Promise<TxLookup | undefined>;
    get orphanCount(): number;
    onTip(cb: (change: TipChange) => void): void;
    close(): Promise<void>;
    addHeaders(headers: Uint8Array[]): Promise<AddHeadersResult>;
    private addHeaderChunk;
    /** Bits required of a child of `parent`; looks back one interval only at retarget heights. */
    private expectedBits;
    /** The ancestor of `rec` at `height`: through an index when rec is on it, else by walking back. */
    private ancestor;
    /** Points the best-header index at `rec`: rewrites H from rec back to the fork, drops heights above. */
    private setHeaderTip;
    addBlock(bytes: Uint8Array): Promise<AddBlockResult>;
    private addBlockInner;
    private addOrphan;
    private dropOrphan;
    /** Feeds held orphans whose parent just arrived (breadth-first, bounded by the pool size). */
    private connectOrphans;
    /**
     * Moves the tip toward the best header chain as far as stored blocks allow: plain extension, or a
     * reorg (disconnect to the fork, connect the branch) once the branch with data has more work.
     */
    private activate;
    private hashOf;
    /** Marks a block and every header above it on the best-header chain invalid; header tip falls back to the tip. */
    private markInvalid;
    /** Applies one block on top of the tip: ledger, undo, indexes and tip in one batch. */
    private connect;
    /** Reverts the tip block from its undo data, in one batch; the block stays stored as a side block. */
    private disconnectTip;
    /** Side branches that fell more than sideKeep blocks behind lose their bodies (headers stay). */
    private pruneSide;
    /** Hashes on the best-header chain above the fork with the tip that have no block yet, lowest first. */
    missingBlocks(max: number): Promise<{
        height: number;
        hash: Uint8Array;
    }[]>;
    /** A block template on the current tip; txs that do not apply in order are skipped. */
    buildTemplate(opts: TemplateOptions): Promise<BlockTemplate>;
    private mustRecord;
    private commit;
    /** Runs chain mutations one at a time (single writer). */
    private serial;
}
