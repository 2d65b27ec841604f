export interface SchedulerOptions {
    /** Hashes per GETDATA (seed 3.5). */
    batchSize: number;
    /** A peer with requests in flight must deliver a block at least this often (seed: 5 s per block). */
    blockTimeoutMs: number;
    /** Each request must complete within this (seed: 30 s per request). */
    requestTimeoutMs: number;
    /** A stalled peer gets no new block requests for this long (seed: 30 s). */
    stallBackoffMs: number;
    /** Requests in flight per peer: start, floor, ceiling (AIMD: +1 per completed request, halved on a stall). */
    initialWindow: number;
    minWindow: number;
    maxWindow: number;
    /** Blocks in flight plus downloaded-but-unprocessed, over all peers. */
    maxOutstanding: number;
    /** Stalls after which a peer loses its standing as a sync peer. */
    maxStalls: number;
}
export declare const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions;
export interface Candidate {
    height: number;
    hash: Uint8Array;
    /** Hash in hex, when the caller has it already. */
    key?: string;
}
export interface Assignment {
    peerId: number;
    requestId: number;
    hashes: Uint8Array[];
    heights: number[];
}
export interface Stall {
    peerId: number;
    reason: 'block-timeout' | 'request-timeout';
    /** Hashes released for re-request from another peer. */
    released: number;
    /** The peer reached maxStalls: no longer a sync peer. */
    lostStanding: boolean;
}
export interface ReceiveResult {
    /** The hash was in flight (from any peer). */
    requested: boolean;
    height?: number;
    /** Peer the hash had been assigned to. */
    assignedTo?: number;
}
export interface PeerSchedView {
    id: number;
    height: number;
    window: number;
    inFlightRequests: number;
    inFlightBlocks: number;
    stalls: number;
    standing: boolean;
    backoffUntil: number;
    delivered: number;
}
export declare class BlockScheduler {
    readonly opts: SchedulerOptions;
    private readonly peers;
    private readonly requests;
    private readonly inFlight;
    private nextRequestId;
    /** Re-requests after a stall (for stats). */
    reRequested: number;
    constructor(opts?: Partial<SchedulerOptions>);
    addPeer(id: number, height: number, now: number): void;
    hasPeer(id: number): boolean;
    /** Heights only grow: a peer's chain may reorganise, but a lower claim is not believed over a higher one. */
    setHeight(id: number, height: number): void;
    /** Peer gone: its hashes become free for others. Returns how many were released. */
    removePeer(id: number): number;
    /** Takes a peer out of the sync set for this connection (it claimed what it could not serve). */
    revokeStanding(id: number): void;
    hasStanding(id: number): boolean;
    isInFlight(hashHex: string): boolean;
    get inFlightCount(): number;
    /** Lowest height still awaited (Infinity when none): downloaded blocks above it wait in order. */
    lowestInFlightHeight(): number;
    /** Free request slots over peers that may be asked now (for sizing the candidate look-up). */
    capacity(now: number): number;
    /**
     * Hands out candidates (ascending heights, as `chain.missingBlocks` returns them) in batches to peers
     * with free window slots whose height covers them, fastest peers first, round-robin. Stops at the first
     * candidate nobody can take, so everything in flight stays contiguous from the bottom and the
     * in-order processor never waits on a height that was never asked for.
     * `buffered` = blocks downloaded but not yet processed (they count against maxOutstanding).
     */
    assign(candidates: readonly Candidate[], now: number, buffered?: number): Assignment[];
    /** A block arrived from `peerId`. Any peer may satisfy a hash (a stalled peer's late delivery counts). */
    received(hashHex: string, peerId: number, now: number): ReceiveResult;
    /** Stall detection; stalled peers' hashes are released for another peer, the peer backs off. */
    checkTimeouts(now: number): Stall[];
    peerView(id: number): PeerSchedView | undefined;
    peerViews(): PeerSchedView[];
    /** Drops every request (e.g. the header chain reorganised and the hashes are stale). */
    clear(): void;
    private eligible;
    private complete;
    private releasePeer;
}
