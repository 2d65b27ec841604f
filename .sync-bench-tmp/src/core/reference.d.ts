import type { Core, OrderParameter, PhaseState, WeightedPhases } from './types.js';
export declare const TWO_PI: number;
/** SHA-256 (FIPS 180-4). */
export declare function sha256(data: Uint8Array): Uint8Array;
export declare const sha256d: (data: Uint8Array) => Uint8Array;
export declare function sha256dBatch(data: Uint8Array, itemSize: number): Uint8Array;
/** hash ≤ target, both read as big-endian 256-bit integers. */
export declare function hashMeetsTarget(hash: Uint8Array, target: Uint8Array): boolean;
export declare function grindNonces(header: Uint8Array, target: Uint8Array, start: number, count: number): number;
/** Python's `x % 2π` for x in [-π, π], clamped so the result is always < 2π. */
export declare function wrapAngle(x: number): number;
export declare function orderParameter(phases: Float64Array): OrderParameter;
/** numpy's `np.linspace(0, p-1, l).astype(int)` clipped to [0, p-1]: the seed's resampling indices. */
export declare function resampleIndex(i: number, p: number, l: number): number;
export declare function incorporatePeerPhases(local: Float64Array, peer: Float64Array, weight?: number): Float64Array;
export declare function mergePhaseStates(states: readonly WeightedPhases[]): {
    phases: Float64Array;
    r: number;
};
/** The seed's downsampling: n > 256 keeps phases[::n // 64]. Returns the kept count and stride. */
export declare function downsamplePlan(n: number): {
    count: number;
    stride: number;
};
export declare function encodePhaseState(phases: Float64Array, r: number, psi: number): Uint8Array;
export declare function decodePhaseState(bytes: Uint8Array): PhaseState;
/**
 * Explicit Euler on the mean-field form: each step freezes (r, ψ) of the current phases, then
 * θᵢ += dt·(ωᵢ + K·r·sin(ψ − θᵢ)) and wraps into [0, 2π).
 */
export declare function kuramotoIntegrate(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): OrderParameter;
/** The reference kernels as a `Core` (backend 'js'). */
export declare function createReferenceCore(): Core;
