export type Backend = 'wasm' | 'native' | 'js';
export interface OrderParameter {
    /** Coherence |mean(e^{iθ})| in [0, 1]. */
    r: number;
    /** Mean phase angle in [0, 2π). */
    psi: number;
}
export interface PhaseState extends OrderParameter {
    phases: Float64Array;
}
export interface WeightedPhases {
    phases: Float64Array;
    r: number;
    weight: number;
}
export interface Core {
    readonly backend: Backend;
    /** SHA-256 applied twice (Bitcoin's header hash). */
    sha256d(data: Uint8Array): Uint8Array;
    /** Hashes data.length / itemSize equal items; 32 bytes out per item. Throws on a ragged length. */
    sha256dBatch(data: Uint8Array, itemSize: number): Uint8Array;
    /**
     * Searches nonces start … start+count−1 (u32, wrapping not allowed) for a header whose
     * sha256d, read as a big-endian 256-bit integer, is ≤ target (32 bytes big-endian).
     * The nonce is the header's last 4 bytes (u32 LE). Returns the nonce found or -1.
     */
    grindNonces(header: Uint8Array, target: Uint8Array, start: number, count: number): number;
    /** Kuramoto order parameter of the phases. */
    orderParameter(phases: Float64Array): OrderParameter;
    /** Seed 2.4: resample by truncated linspace, weighted circular mean, result in [0, 2π). */
    incorporatePeerPhases(local: Float64Array, peer: Float64Array, weight?: number): Float64Array;
    /** Seed 2.5: k-way merge of weighted phase states. */
    mergePhaseStates(states: readonly WeightedPhases[]): {
        phases: Float64Array;
        r: number;
    };
    /** Seed 2.1: `<ffI{n}f`, n > 256 downsampled by phases[::n // 64]. */
    encodePhaseState(phases: Float64Array, r: number, psi: number): Uint8Array;
    /** Inverse of encode; throws ProtocolError on any malformed input. */
    decodePhaseState(bytes: Uint8Array): PhaseState;
    /**
     * Mean-field Kuramoto, dθᵢ/dt = ωᵢ + K·r·sin(ψ − θᵢ), `steps` steps of `dt`, phases updated in
     * place (kept in [0, 2π)); returns the order parameter after the last step. O(N) per step.
     */
    kuramotoIntegrate(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): OrderParameter;
}
export interface LoadCoreOptions {
    /** Which backend to load; 'native' falls back to 'wasm' with a logged reason. Default 'wasm'. */
    backend?: Backend;
    /** Use the non-SIMD WASM build (for comparison in benchmarks). */
    simd?: boolean;
}
