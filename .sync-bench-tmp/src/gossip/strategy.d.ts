export type GossipStrategy = 'eager' | 'threshold' | 'bloom';
export declare const GOSSIP_STRATEGIES: readonly GossipStrategy[];
export declare const DEFAULT_STRATEGY: GossipStrategy;
/** THRESHOLD: share only on an r gain above this since the last share (seed 2.2). */
export declare const THRESHOLD_GAIN = 0.05;
/** BLOOM: always share within this of Z_C (seed 2.2). */
export declare const BLOOM_NEAR = 0.1;
/** BLOOM: within this of Z_C, share on a gain above BLOOM_GAIN. */
export declare const BLOOM_APPROACH = 0.2;
export declare const BLOOM_GAIN = 0.02;
export interface ShareInput {
    /** Current local order parameter. */
    r: number;
    /** r at the last share (0 before the first). */
    lastSharedR: number;
    /** Clock ms now. */
    now: number;
    /** Clock ms of the last share; null (or -Infinity) before the first. */
    lastShareTime: number | null;
    /** Rate limit, ms: the profile's gossipIntervalMs (618 mainnet, 100 devnet). */
    minIntervalMs: number;
}
export declare function parseStrategy(name: string): GossipStrategy;
/** The strategy's own rule, without the rate limit. */
export declare function strategyWants(strategy: GossipStrategy, r: number, lastSharedR: number): boolean;
/** Seed 2.3: no strategy shares twice within minIntervalMs (the seed's `<` comparison). */
export declare function rateLimited(now: number, lastShareTime: number | null, minIntervalMs: number): boolean;
export declare function shouldShare(strategy: GossipStrategy, input: ShareInput): boolean;
