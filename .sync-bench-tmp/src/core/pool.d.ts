import type { Core, OrderParameter } from './types.js';
/**
 * sha256dBatch items (104-byte) below which one inline WASM call beats the pool. A pool call
 * costs a task round trip per worker (~0.1–0.2 ms idle) plus a SharedArrayBuffer copy each way;
 * split over 2 threads it can only win once the inline call takes several times that (~1.5 ms,
 * ~2000 items at ~0.8 µs each). Measured (bench "crossover sha256dBatch", 2 cores at load ~13
 * from parallel sessions): pool/inline 0.41 at 128, 0.63 at 1024, 0.80 at 8192, 0.96 at 32768 —
 * a busy box never gains from threads, so the value errs high rather than low.
 */
export declare const POOL_MIN_BATCH_ITEMS = 2048;
/**
 * Kuramoto oscillator-steps below which integration stays inline. One integration cannot be
 * split, so the pool only frees the calling thread; measured pool/inline: 0.40 at 4096, 0.80 at
 * 65536, 1.25 at 131072, 1.76 at 262144 oscillator-steps (N = 4096). Above 2^17 (~3 ms inline)
 * the hop is both cheaper than the event-loop stall and, on a loaded box, no slower.
 */
export declare const POOL_MIN_KURAMOTO_WORK: number;
/** Nonces a worker tries between checks of the stop flag (~10 ms of work at ~1.5 MH/s). */
export declare const GRIND_CHUNK: number;
/** Nonce ranges up to this size are ground inline (faster than waking the workers). */
export declare const GRIND_INLINE_MAX: number;
export interface CorePoolOptions {
    /** Worker threads (default: available parallelism). */
    threads?: number;
    /** Use the SIMD build (default true). */
    simd?: boolean;
    /** Override the inline/pool crossovers (benchmarks set 0 to always use the workers). */
    minBatchItems?: number;
    minKuramotoWork?: number;
}
export interface GrindOptions {
    signal?: AbortSignal;
    /** First nonce (default 0). */
    start?: number;
    /** Nonces to try (default: the rest of the u32 space). */
    count?: number;
}
/** Resolves the worker script: dist/core/worker.js, also when this module runs from src/ (vitest). */
export declare function workerUrl(): URL;
export declare class CorePool {
    private readonly pool;
    /** The core used for small inline calls. */
    readonly inline: Core;
    readonly threads: number;
    private readonly minBatchItems;
    private readonly minKuramotoWork;
    private closed;
    private constructor();
    static create(opts?: CorePoolOptions): Promise<CorePool>;
    private run;
    /** sha256d of each itemSize-byte item; large batches are split across all workers. */
    sha256dBatch(data: Uint8Array, itemSize: number): Promise<Uint8Array>;
    /** Core.kuramotoIntegrate off the calling thread for large N × steps; phases updated in place. */
    kuramotoIntegrate(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): Promise<OrderParameter>;
    /**
     * Searches nonces start … start+count−1 on all workers (one contiguous slice each) and resolves
     * with the first nonce found (not necessarily the lowest), or null when none is ≤ target or the
     * signal aborted first. Either way every worker has stopped when the promise settles.
     */
    grind(header: Uint8Array, target: Uint8Array, opts?: GrindOptions): Promise<number | null>;
    /** Destroys the pool (workers terminated); further calls reject. */
    close(): Promise<void>;
}
