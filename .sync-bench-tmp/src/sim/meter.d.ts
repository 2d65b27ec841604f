/** 53-bit FNV-1a-style hash of a byte range (identity of a frame payload; collisions are negligible here). */
export declare function keyOf(b: Uint8Array, start?: number, end?: number): number;
/** Key of a block: its 118 header bytes (the same key the simulator derives from a connected block). */
export declare const blockKeyOfHeader: (header: Uint8Array) => number;
export interface TypeTraffic {
    frames: number;
    bytes: number;
}
export interface DupStats {
    /** Distinct (message, receiving node) pairs. */
    unique: number;
    /** Deliveries beyond the first of the same message to the same node. */
    duplicates: number;
    /** duplicates / unique. */
    perDelivered: number;
}
export declare class WireMeter {
    readonly traffic: Map<string, TypeTraffic>;
    totalBytes: number;
    /** Chunks that did not parse as whole frames (the peer layer writes one frame per write; this should stay 0). */
    oddChunks: number;
    private readonly dups;
    /** Block key → hop count per node index (−1 unknown). */
    private readonly hops;
    private capacity;
    constructor(capacity: number);
    /** Node indexes may grow with churn. */
    grow(capacity: number): void;
    /** ChunkObserver for MemoryNetwork. */
    observe: (from: string, to: string, chunk: Uint8Array) => void;
    dupStats(): Record<string, DupStats>;
    /** Hop count at which node `index` first received the block (0 = it sent it first: the miner); −1 if never. */
    hopsOf(blockKey: number): Int16Array | undefined;
    private count;
    private frame;
    private hop;
}
