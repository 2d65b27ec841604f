/** Past this many remembered states, prune (seed 2.6). */
export declare const RELAY_MAX_ENTRIES = 1000;
/** Pruning keeps this many states, the highest r first (seed 2.6). */
export declare const RELAY_KEEP = 500;
export interface RelayOptions {
    threshold?: number;
    maxEntries?: number;
    keep?: number;
}
/** Memory of phase states seen (hash of the phases → best r), bounded by pruning. */
export declare class PhaseRelayProtocol {
    private seen;
    readonly threshold: number;
    private readonly maxEntries;
    private readonly keep;
    /** How many times the table was pruned. */
    prunes: number;
    constructor(opts?: RelayOptions);
    /** The seed's should_relay: records r when it returns true. */
    shouldRelay(r: number, phasesHash: string): boolean;
    /** Remember a state without relaying it (our own shares, so echoes are not relayed). */
    remember(r: number, phasesHash: string): void;
    has(phasesHash: string): boolean;
    get(phasesHash: string): number | undefined;
    get size(): number;
    private prune;
}
