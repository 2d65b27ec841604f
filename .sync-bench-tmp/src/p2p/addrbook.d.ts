import type { NetAddr } from '../wire/types.js';
export interface AddrEntry {
    host: string;
    port: number;
    /** Unix seconds: last time the address was heard of or connected. */
    lastSeen: number;
    /** Consecutive failed dials. */
    failures: number;
    /** Clock ms before which we do not dial it again. */
    nextTryAt: number;
    /** Clock ms of the last successful handshake, 0 if never. */
    lastSuccess: number;
    /** Seeds are never evicted and may be hostnames. */
    seed: boolean;
}
export interface AddrBookOptions {
    maxEntries?: number;
    /** First retry delay after a failure, doubled per consecutive failure. */
    baseBackoffMs?: number;
    maxBackoffMs?: number;
    /** A learnt (non-seed) address is forgotten after this many consecutive failures. */
    maxFailures?: number;
}
export declare const addrKey: (host: string, port: number) => string;
export declare class AddrBook {
    private readonly entries;
    private readonly maxEntries;
    private readonly baseBackoffMs;
    private readonly maxBackoffMs;
    private readonly maxFailures;
    constructor(opts?: AddrBookOptions);
    get size(): number;
    get(host: string, port: number): AddrEntry | undefined;
    /** Adds or refreshes an address; returns false if it was not taken (bad, or the book is full of seeds). */
    add(host: string, port: number, lastSeen: number, opts?: {
        seed?: boolean;
    }): boolean;
    remove(host: string, port: number): void;
    /** Call when a dial starts: no second dial before the backoff elapses. */
    markAttempt(host: string, port: number, now: number): void;
    markSuccess(host: string, port: number, now: number): void;
    markFailure(host: string, port: number, now: number): void;
    /** Addresses due for a dial, seeds and previously good ones first. */
    candidates(now: number, skip: (key: string, e: AddrEntry) => boolean, limit: number): AddrEntry[];
    /** IP addresses worth advertising in ADDR: no recent failures, most recently seen first. */
    good(limit: number, skip?: (key: string) => boolean): NetAddr[];
    /** Learnt addresses for persistence (seeds come from the configuration). */
    snapshot(): NetAddr[];
    load(addrs: readonly NetAddr[]): void;
    /** Evicts the oldest-inserted learnt entry that has failed, else the oldest learnt one. */
    private evictOne;
}
