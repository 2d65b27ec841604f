import type { Clock, TimerHandle } from '../p2p/clock.js';
export interface VirtualClockOptions {
    /** Epoch ms at virtual time 0 (now() = start + elapsed). Default: 2026-02-01T00:00:00Z. */
    start?: number;
    /** Callback errors are counted and the first few kept here instead of crashing the run. */
    onError?: (err: unknown) => void;
}
export interface RunOptions {
    /** Hard cap on callbacks fired in this call (a runaway loop ends the run, it does not hang it). */
    maxEvents?: number;
    /** Called after each batch (one virtual instant) has settled; return true to stop early. */
    afterBatch?: (elapsedMs: number) => boolean | void;
}
/** Lets every queued microtask, nextTick and promise continuation run (memory-level and the node are microtask-only). */
export declare const settle: () => Promise<void>;
export declare class VirtualClock implements Clock {
    readonly start: number;
    private t;
    private seq;
    private heap;
    private cancelledInHeap;
    private readonly onError;
    /** Callbacks fired so far. */
    fired: number;
    /** Callbacks that threw. */
    errors: number;
    readonly firstErrors: string[];
    constructor(opts?: VirtualClockOptions);
    now(): number;
    /** Virtual ms since the clock was created. */
    elapsed(): number;
    /** Live (not cancelled) timers and deliveries. */
    get pending(): number;
    setTimeout(fn: () => void, ms: number): TimerHandle;
    clearTimeout(handle: TimerHandle): void;
    setInterval(fn: () => void, ms: number): TimerHandle;
    clearInterval(handle: TimerHandle): void;
    /** Runs fn at virtual time `atMs` (elapsed ms, not epoch; clamped to now). For the transport's deliveries. */
    at(atMs: number, fn: () => void): TimerHandle;
    /**
     * Fires everything due up to elapsed time `endMs`, one virtual instant at a time: all callbacks
     * due at that instant, then a settle() so promise chains they started finish before time moves.
     * Ends with the clock at endMs (or where afterBatch / maxEvents stopped it). Returns callbacks fired.
     */
    runUntil(endMs: number, opts?: RunOptions): Promise<number>;
    runFor(ms: number, opts?: RunOptions): Promise<number>;
    /** Drops every timer (end of a run: nothing may fire after the nodes are gone). */
    clear(): void;
    private push;
    private cancel;
    /** Smallest live timer, discarding cancelled ones on the way. */
    private peek;
    private pop;
    private compact;
    private heapPush;
    private heapPop;
}
