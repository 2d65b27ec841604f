import type { Rng } from './rng.js';
/** Host of simulated node i: 10.x.y.z, never .0 (i < 2^24 − 1). */
export declare function hostOf(i: number): string;
/** Inverse of hostOf; -1 for a host that is not a simulated node. */
export declare function indexOf(host: string): number;
/**
 * Bootstrap addresses for node i: k distinct other nodes drawn uniformly from `pool` (the nodes
 * online when it starts). The node's own peer manager then takes it from there (ADDR, dialling).
 */
export declare function pickSeeds(rng: Rng, self: number, pool: readonly number[], k: number): number[];
export interface ChurnEvent {
    /** Virtual ms. */
    at: number;
    kind: 'leave' | 'join';
}
/**
 * Churn as a Poisson process: each online node leaves at rate `perMinute` (fraction per virtual
 * minute) and every departure is matched by a fresh node joining, so the size stays about N.
 */
export declare function churnSchedule(rng: Rng, n: number, perMinute: number, fromMs: number, toMs: number): ChurnEvent[];
/** A cut rule separating two groups of hosts (true = the link between a and b is down). */
export declare function splitRule(groupA: ReadonlySet<string>): (a: string, b: string) => boolean;
export interface GraphStats {
    nodes: number;
    edges: number;
    minDegree: number;
    meanDegree: number;
    maxDegree: number;
    components: number;
    /** Largest BFS eccentricity seen from the sampled sources. */
    diameter: number;
    /** Mean shortest-path length from the sampled sources. */
    meanPath: number;
}
/** Degree, connectivity and path lengths of an undirected graph given as an edge list over node ids. */
export declare function graphStats(nodes: readonly number[], edges: readonly [number, number][], rng: Rng, sources?: number): GraphStats;
/** Push-gossip bound on rounds to reach all of N nodes (Pittel: log2 N + ln N + O(1)). */
export declare function pushGossipRounds(n: number): number;
