import type { AddBlockResult, ChainApi } from '../chain/types.js';
import { type Logger } from '../log.js';
import type { Clock } from '../p2p/clock.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { type PeerSchedView, type SchedulerOptions } from './scheduler.js';
/** What sync needs of the mempool (src/chain/mempool.ts fits): add raw tx bytes, learn whether they were taken. */
export interface MempoolAddResult {
    accepted: boolean;
    /** Rejection code, e.g. 'bad-tx-sig', 'bad-tx-nonce', 'duplicate'. */
    code?: string;
    reason?: string;
}
export interface MempoolLike {
    add(tx: Uint8Array): MempoolAddResult | Promise<MempoolAddResult>;
}
export interface SyncOptions extends SchedulerOptions {
    /** Continuous sync check (seed 3.7: every 10 s). */
    tickMs: number;
    /** Timeout sweep. */
    checkMs: number;
    /** Headers per GETBLOCKS (≤ MAX_HEADERS_PER_MSG). */
    headerBatch: number;
    /** GETBLOCKS in flight to the header peer. */
    headerPipeline: number;
    /** A header request unanswered this long stalls the header peer (seed: 30 s per request). */
    headerTimeoutMs: number;
    /** Walk-back steps (each doubling the distance) to find a fork point before giving up on a peer. */
    maxForkWalk: number;
    /** Hashes served per GETDATA; the rest are ignored. */
    getDataCap: number;
    /** Serve jobs (GETBLOCKS/GETDATA) queued per peer before new ones are dropped. */
    serveQueueCap: number;
    /** Unsolicited blocks that bring nothing (duplicates, stale orphans) per peer per minute before points. */
    unsolicitedLimit: number;
    /** Blocks waiting for validation before unsolicited ones are dropped. */
    maxQueuedBlocks: number;
    /** Missing-block hashes fetched from the chain per scan (beyond those in flight). */
    lookahead: number;
    /** Most hashes asked of the chain per scan. */
    maxLookahead: number;
    /** Progress callbacks at most this often (plus on start/finish). */
    progressIntervalMs: number;
}
export declare const DEFAULT_SYNC_OPTIONS: SyncOptions;
/** Misbehaviour points (BAN_THRESHOLD = 100). */
export declare const PENALTY: Readonly<{
    /** Headers that fail proof, target, time or linkage. */
    headersInvalid: 50;
    /** Headers that connect to nothing we know even after walking back. */
    headersUnconnected: 20;
    /** A BLOCKS reply whose heights are not the ones asked for. */
    headersBadRange: 20;
    /** Empty BLOCKS for heights the peer claimed to have. */
    cannotServe: 10;
    /** Repeated stalls (the peer then loses its standing). */
    stalled: 5;
    invalidBlock: 50;
    malformedBlock: 20;
    unsolicitedFlood: 10;
    invalidTx: 1;
    serveFlood: 1;
}>;
export interface SyncProgress {
    /** Best header height. */
    headers: number;
    /** Tip (fully validated block) height. */
    blocks: number;
    /** max(best header, best height a sync peer claims). */
    targetHeight: number;
    rateBlocksPerSec: number;
    /** Seconds left at the current rate; null when unknown (rate 0 while behind). */
    etaSec: number | null;
    syncing: boolean;
    peers: number;
}
export interface SyncStats {
    headersReceived: number;
    headersAdded: number;
    headerRequests: number;
    forkWalks: number;
    blocksRequested: number;
    blocksReceived: number;
    blocksConnected: number;
    blocksInvalid: number;
    blocksUnsolicited: number;
    blocksDuplicate: number;
    stalls: number;
    reRequested: number;
    relayedBlocks: number;
    txsReceived: number;
    txsAccepted: number;
    relayedTxs: number;
    penalties: number;
    servedHeaders: number;
    servedBlocks: number;
    inFlight: number;
    queuedBlocks: number;
    headerPeer: number | null;
    peers: PeerSchedView[];
}
export interface SyncManagerDeps {
    net: PeerNetwork;
    chain: ChainApi;
    mempool?: MempoolLike;
    clock: Clock;
    logger?: Logger;
    options?: Partial<SyncOptions>;
}
export declare class SyncManager {
    readonly opts: SyncOptions;
    private readonly net;
    private readonly chain;
    private readonly mempool;
    private readonly clock;
    private readonly log;
    private readonly sched;
    private readonly peerStates;
    private readonly headerQ;
    private readonly blockQ;
    private readonly recentBlocks;
    /** Requested blocks received and waiting for validation: not to be asked for again meanwhile. */
    private readonly processing;
    /** Missing blocks not yet asked for, lowest first: refilled from chain.missingBlocks only when empty. */
    private todo;
    /** Header tip the todo list was built against. */
    private todoTip;
    /** The last scan returned every missing block: no new scan until something changes. */
    private scanComplete;
    private readonly recentTxs;
    private readonly rate;
    private readonly progressCbs;
    private session;
    private running;
    private registered;
    private timers;
    private pumping;
    private pumpAgain;
    private lastEmit;
    private lastSyncing;
    private readonly c;
    constructor(deps: SyncManagerDeps);
    start(): void;
    /** Stops timers and requests; resolves once queued chain work has finished (then the chain may close). */
    stop(): Promise<void>;
    /** Check for a better chain now (also runs every tickMs). */
    syncNow(): void;
    progress(): SyncProgress;
    /** Progress callback, called at most every progressIntervalMs and on start/finish of a sync; returns an unsubscribe. */
    onProgress(cb: (p: SyncProgress) => void): () => void;
    stats(): SyncStats;
    /** A block made here (miner) or given by the API: validate, store, relay to every peer. */
    submitBlock(bytes: Uint8Array): Promise<AddBlockResult>;
    /** Sends an already-stored block to every peer that has not seen it (e.g. the miner added it itself). */
    relayBlock(bytes: Uint8Array, from?: Peer): number;
    /** A transaction from the API: into the mempool, relayed to every peer when accepted. */
    submitTx(bytes: Uint8Array): Promise<MempoolAddResult>;
    /**
     * Someone else's message announced a block (e.g. BLOOM, owned by gossip): an unknown hash is fetched
     * from that peer, a higher height starts header sync with it.
     */
    announce(peer: Peer, info: {
        hash?: Uint8Array;
        height?: number;
    }): Promise<void>;
    private register;
    private addPeer;
    private state;
    private penalize;
    /** Peers claim heights in VERSION; headers and blocks they send can only raise the claim. */
    private raiseHeight;
    private loseStanding;
    private tick;
    private check;
    private emitProgress;
    private serve;
    private onGetBlocks;
    private onGetData;
    /** Picks the best peer ahead of us (chain work, then height) and asks it for headers; one session at a time. */
    private startHeaderSync;
    private isAhead;
    private sendGetBlocks;
    private fillHeaderRequests;
    private endSession;
    private dropOutstanding;
    private onBlocks;
    private onHeaders;
    private badRange;
    private processHeaderReply;
    /** Headers nobody asked for (announcements, or replies that arrived after a walk-back): used if they connect. */
    private onUnsolicitedHeaders;
    /** Counts messages that brought nothing; over the per-minute limit the peer gets points. False = drop it. */
    private noteUnsolicited;
    /** Asks peers with free window slots for the next missing blocks of the best header chain. */
    private pump;
    /** Forget the to-do list: hashes were released, or the header chain or tip moved unexpectedly. */
    private resetTodo;
    private pumpLoop;
    private onBlock;
    private processBlock;
    private onTx;
}
