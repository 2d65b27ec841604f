import type { Core, OrderParameter, WeightedPhases } from '../core/types.js';
/** Half-width of the Lorentzian frequency distribution (critical coupling K_c = 2γ). */
export declare const DEFAULT_GAMMA = 0.05;
/**
 * Coupling: stationary r∞ = √(1 − 2γ/K) = √0.9 ≈ 0.949. The margin over Z_C ≈ 0.866 is sized for the
 * certificate's 64-phase subsample (its r scatters by a few hundredths; K = 0.8, r∞ ≈ 0.935, let 1.4 %
 * of rounds fall below Z_C). Growth rate K/2 − γ = 0.45 per time unit: ~1/√N to Z_C in ~12 units.
 */
export declare const DEFAULT_COUPLING = 1;
/** Euler step: K·r·dt ≈ 0.5 keeps the locked state stable (needs < 2) at half the cost of dt = 0.25. */
export declare const DEFAULT_DT = 0.5;
/** Steps per round: 8 × 0.5 = 4 time units a round, so a lone miner crosses Z_C in 3–5 rounds. */
export declare const DEFAULT_STEPS = 8;
/** Async integration elsewhere (e.g. a worker); must update `phases` in place like core.kuramotoIntegrate. */
export type Integrator = (phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number) => Promise<OrderParameter>;
export interface OscillatorOptions {
    core: Core;
    /** Number of oscillators (profile.oscillators, default 4096). */
    n?: number;
    gamma?: number;
    coupling?: number;
    dt?: number;
    steps?: number;
    /** PRNG seed: the same seed gives the same frequencies and initial phases. */
    seed?: number;
    /** Used instead of core.kuramotoIntegrate when given (large N). */
    integrator?: Integrator;
}
/** mulberry32: small, fast, good enough for frequencies and initial phases. */
export declare function mulberry32(seed: number): () => number;
/** Stationary coherence of the infinite Lorentzian mean-field model, 0 below K_c = 2γ. */
export declare function stationaryR(gamma: number, coupling: number): number;
/** Lorentzian (Cauchy) samples centred on 0: ω = γ·tan(π(u − ½)), u kept off 0 and 1. */
export declare function lorentzian(n: number, gamma: number, rand: () => number): Float64Array;
/** The seed's downsampling for certificates: phases[::N/64], first CERT_PHASES (N ≥ 64). */
export declare function certPhases(phases: Float64Array, count?: number): Float64Array;
export declare class Oscillators {
    readonly n: number;
    readonly gamma: number;
    readonly coupling: number;
    readonly dt: number;
    readonly steps: number;
    readonly phases: Float64Array;
    readonly omegas: Float64Array;
    private readonly core;
    private readonly rand;
    private readonly integrator?;
    private state;
    constructor(opts: OscillatorOptions);
    get r(): number;
    get psi(): number;
    order(): OrderParameter;
    /** Uniformly random phases (r ≈ 1/√N): after a block, coherence has to be rebuilt. */
    reseed(): OrderParameter;
    /** One round of integration (`steps` × `dt`). */
    step(): Promise<OrderParameter>;
    /**
     * Folds peer states into the local phases (seed 2.4/2.5): the peers are fused with the k-way
     * mergePhaseStates (equal weights), then the fusion enters with the peers' mean weight (0.1) through
     * incorporatePeerPhases, so one peer or eight pull equally hard.
     */
    incorporate(peers: readonly WeightedPhases[]): OrderParameter;
    /** 64 phases (phases[::N/64]) and their own order parameter, as a certificate carries them. */
    certificate(): {
        phases: Float64Array;
        r: number;
        psi: number;
    };
}
