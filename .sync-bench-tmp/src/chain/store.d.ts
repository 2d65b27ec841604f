import type { AbstractLevel } from 'abstract-level';
import type { Account, Header } from './types.js';
/** Any abstract-level store with Uint8Array keys and values (classic-level on disk, memory-level in the simulator). */
export type ChainDb = AbstractLevel<Uint8Array, Uint8Array, Uint8Array>;
/** Record flags. */
export declare const HAVE_DATA = 1;
export declare const INVALID = 4;
/** Key prefixes (one ASCII byte each); docs/chain.md lists the layout. */
export declare const P: {
    readonly header: 104;
    readonly block: 98;
    readonly main: 110;
    readonly hchain: 72;
    readonly account: 97;
    readonly undo: 117;
    readonly tx: 120;
    readonly side: 115;
    readonly meta: 109;
    readonly peer: 112;
};
export interface HeaderRecord {
    hash: Uint8Array;
    header: Header;
    headerBytes: Uint8Array;
    /** Cumulative work up to and including this header. */
    chainWork: bigint;
    status: number;
}
export interface TxLocation {
    blockHash: Uint8Array;
    height: number;
    index: number;
}
export type Op = {
    type: 'put';
    key: Uint8Array;
    value: Uint8Array;
} | {
    type: 'del';
    key: Uint8Array;
};
export declare function key(prefix: number, ...parts: Uint8Array[]): Uint8Array;
export declare function heightKey(prefix: number, height: number, extra?: Uint8Array): Uint8Array;
export declare function encodeRecord(r: HeaderRecord): Uint8Array;
/** The address book's slice of the store: string keys and values, no schema imposed. */
export interface PeerStore {
    get(key: string): Promise<string | undefined>;
    put(key: string, value: string): Promise<void>;
    delete(key: string): Promise<void>;
    list(limit?: number): Promise<{
        key: string;
        value: string;
    }[]>;
}
/** Any abstract-level database with Uint8Array keys/values and getSync (classic-level on disk, memory-level in the simulator). */
export type ChainDb = AbstractLevel<Uint8Array, Uint8Array, Uint8Array>;
export declare class Store {
    readonly db: ChainDb;
    private readonly records;
    readonly peers: PeerStore;
    private constructor();
    /** `injected`: an abstract-level db with 'view' encodings (e.g. memory-level in the simulator) instead of one at `location`. */
    static open(location: string, cacheSize?: number, injected?: ChainDb): Promise<Store>;
    close(): Promise<void>;
    /** Commits ops atomically (a chained batch: about twice as fast as the array form here). */
    write(ops: Op[]): Promise<void>;
    getRecord(hash: Uint8Array): HeaderRecord | undefined;
    /** Queues the record in `ops` and makes it visible to getRecord at once (the chain is single-writer). */
    putRecord(ops: Op[], r: HeaderRecord): void;
    /** Drops cached records (after a failed batch the cache may be ahead of the disk). */
    forgetCache(): void;
    mainHash(height: number): Uint8Array | undefined;
    headerChainHash(height: number): Uint8Array | undefined;
    getBlockBytes(hash: Uint8Array): Promise<Uint8Array | undefined>;
    getUndo(hash: Uint8Array): Uint8Array | undefined;
    getAccount(address: Uint8Array): Account | undefined;
    putAccount(ops: Op[], address: Uint8Array, a: Account | undefined): void;
    getTxLocation(id: Uint8Array): TxLocation | undefined;
    putTxLocation(ops: Op[], id: Uint8Array, loc: TxLocation): void;
    getMeta(name: string): Uint8Array | undefined;
    putMeta(ops: Op[], name: string, value: Uint8Array): void;
    /** Side blocks with data below `belowHeight`, oldest first (bounded by `limit`). */
    sideBelow(belowHeight: number, limit: number): Promise<{
        key: Uint8Array;
        height: number;
        hash: Uint8Array;
    }[]>;
    static readonly EMPTY: Uint8Array<ArrayBuffer>;
}
