import type { Core } from '../core/types.js';
import type { GrindAnswer, GrindPool } from '../miner/miner.js';
import type { VirtualClock } from './clock.js';
export declare class VirtualHashPool implements GrindPool {
    private readonly core;
    private readonly clock;
    readonly hashrate: number;
    readonly threads = 1;
    /** Hashes actually computed (real work on this thread). */
    hashes: number;
    /** `hashrate`: virtual hashes per second this miner is credited with. */
    constructor(core: Core, clock: VirtualClock, hashrate: number);
    grind(header: Uint8Array, target: Uint8Array, opts: {
        signal?: AbortSignal;
        start?: number;
        count?: number;
    }): Promise<GrindAnswer>;
}
