/** xoshiro128**: fast, 128-bit state, good enough statistics for simulation (not for keys). */
export declare class Rng {
    private a;
    private b;
    private c;
    private d;
    readonly seed: number;
    constructor(seed: number);
    /** Next u32. */
    u32(): number;
    /** Uniform in [0, 1) with 32 bits of resolution. */
    next(): number;
    /** Uniform integer in [0, n). */
    int(n: number): number;
    /** Uniform in [lo, hi). */
    range(lo: number, hi: number): number;
    chance(p: number): boolean;
    /** Standard normal (Box–Muller; one value per call keeps the stream simple). */
    normal(): number;
    /** Exponential with the given mean. */
    exp(mean: number): number;
    pick<T>(items: readonly T[]): T;
    /** Fisher–Yates in place. */
    shuffle<T>(items: T[]): T[];
    /** Fills a byte array (for nonces, keys of simulated nodes). */
    bytes(n: number): Uint8Array;
    /** An independent stream named by `label`: adding draws elsewhere does not shift it. */
    fork(label: string): Rng;
}
/** Latency model of one link, in ms. */
export type LatencySpec = {
    kind: 'fixed';
    ms: number;
} | {
    kind: 'uniform';
    min: number;
    max: number;
}
/** Lognormal with the given median and sigma of the underlying normal (heavy right tail, like the internet). */
 | {
    kind: 'lognormal';
    median: number;
    sigma: number;
};
/** Draws one latency (ms, ≥ 0) from the spec. */
export declare function drawLatency(rng: Rng, spec: LatencySpec): number;
