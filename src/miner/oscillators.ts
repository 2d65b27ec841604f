// The miner's N local Kuramoto oscillators: Lorentzian frequencies, mean-field coupling, peer incorporation.
import { CERT_PHASES, PEER_PHASE_WEIGHT } from '../constants.js';
import type { Core, OrderParameter, WeightedPhases } from '../core/types.js';
import { InputError } from '../errors.js';
import { Rng } from '../prng.js';

/** Half-width of the Lorentzian frequency distribution (critical coupling K_c = 2γ). */
export const DEFAULT_GAMMA = 0.05;
/**
 * Coupling: stationary r∞ = √(1 − 2γ/K) = √0.9 ≈ 0.949. The margin over Z_C ≈ 0.866 is sized for the
 * certificate's 64-phase subsample (its r scatters by a few hundredths; K = 0.8, r∞ ≈ 0.935, let 1.4 %
 * of rounds fall below Z_C). Growth rate K/2 − γ = 0.45 per time unit: ~1/√N to Z_C in ~12 units.
 */
export const DEFAULT_COUPLING = 1.0;
/** Euler step: K·r·dt ≈ 0.5 keeps the locked state stable (needs < 2) at half the cost of dt = 0.25. */
export const DEFAULT_DT = 0.5;
/** Steps per round: 8 × 0.5 = 4 time units a round, so a lone miner crosses Z_C in 3–5 rounds. */
export const DEFAULT_STEPS = 8;

/** Async integration elsewhere (e.g. a worker); must update `phases` in place like core.kuramotoIntegrate. */
export type Integrator = (
  phases: Float64Array,
  omegas: Float64Array,
  coupling: number,
  dt: number,
  steps: number,
) => Promise<OrderParameter>;

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

/** Stationary coherence of the infinite Lorentzian mean-field model, 0 below K_c = 2γ. */
export function stationaryR(gamma: number, coupling: number): number {
  return coupling > 2 * gamma ? Math.sqrt(1 - (2 * gamma) / coupling) : 0;
}

/** Lorentzian (Cauchy) samples centred on 0: ω = γ·tan(π(u − ½)), u kept off 0 and 1. */
export function lorentzian(n: number, gamma: number, rand: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.min(1 - 1e-9, Math.max(1e-9, rand()));
    out[i] = gamma * Math.tan(Math.PI * (u - 0.5));
  }
  return out;
}

/** The seed's downsampling for certificates: phases[::N/64], first CERT_PHASES (N ≥ 64). */
export function certPhases(phases: Float64Array, count = CERT_PHASES): Float64Array {
  const n = phases.length;
  if (n <= count) return Float64Array.from(phases);
  const stride = Math.floor(n / count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = phases[i * stride]!;
  return out;
}

export class Oscillators {
  readonly n: number;
  readonly gamma: number;
  readonly coupling: number;
  readonly dt: number;
  readonly steps: number;
  readonly phases: Float64Array;
  readonly omegas: Float64Array;
  private readonly core: Core;
  private readonly rand: () => number;
  private readonly integrator?: Integrator;
  private state: OrderParameter;

  constructor(opts: OscillatorOptions) {
    const n = opts.n ?? 4096;
    if (!Number.isInteger(n) || n < 1 || n > 1 << 22) throw new InputError('bad-oscillators', `oscillator count ${n} outside 1 … 4194304`);
    this.n = n;
    this.gamma = opts.gamma ?? DEFAULT_GAMMA;
    this.coupling = opts.coupling ?? DEFAULT_COUPLING;
    this.dt = opts.dt ?? DEFAULT_DT;
    this.steps = opts.steps ?? DEFAULT_STEPS;
    if (!(this.gamma > 0) || !(this.coupling > 0) || !(this.dt > 0) || !Number.isInteger(this.steps) || this.steps < 1) {
      throw new InputError('bad-kuramoto', 'gamma, coupling and dt must be > 0 and steps a positive integer');
    }
    this.core = opts.core;
    this.integrator = opts.integrator;
    const rng = new Rng(opts.seed ?? 0x618);
    this.rand = () => rng.next();
    this.omegas = lorentzian(n, this.gamma, this.rand);
    this.phases = new Float64Array(n);
    this.state = this.reseed();
  }

  get r(): number {
    return this.state.r;
  }

  get psi(): number {
    return this.state.psi;
  }

  order(): OrderParameter {
    return { ...this.state };
  }

  /** Uniformly random phases (r ≈ 1/√N): after a block, coherence has to be rebuilt. */
  reseed(): OrderParameter {
    for (let i = 0; i < this.n; i++) this.phases[i] = 2 * Math.PI * this.rand();
    this.state = this.core.orderParameter(this.phases);
    return this.order();
  }

  /** One round of integration (`steps` × `dt`). */
  async step(): Promise<OrderParameter> {
    this.state = this.integrator
      ? await this.integrator(this.phases, this.omegas, this.coupling, this.dt, this.steps)
      : this.core.kuramotoIntegrate(this.phases, this.omegas, this.coupling, this.dt, this.steps);
    return this.order();
  }

  /**
   * Folds peer states into the local phases (seed 2.4/2.5): the peers are fused with the k-way
   * mergePhaseStates (equal weights), then the fusion enters with the peers' mean weight (0.1) through
   * incorporatePeerPhases, so one peer or eight pull equally hard.
   */
  incorporate(peers: readonly WeightedPhases[]): OrderParameter {
    const usable = peers.filter((p) => p.phases.length > 0);
    if (usable.length === 0) return this.order();
    const weight = usable.reduce((s, p) => s + (Number.isFinite(p.weight) ? p.weight : PEER_PHASE_WEIGHT), 0) / usable.length;
    const fused =
      usable.length === 1 ? usable[0]!.phases : this.core.mergePhaseStates(usable.map((p) => ({ ...p, weight: 1 }))).phases;
    const merged = this.core.incorporatePeerPhases(this.phases, fused, Math.min(1, Math.max(0, weight)));
    this.phases.set(merged);
    this.state = this.core.orderParameter(this.phases);
    return this.order();
  }

  /** 64 phases (phases[::N/64]) and their own order parameter, as a certificate carries them. */
  certificate(): { phases: Float64Array; r: number; psi: number } {
    // Rounded to float32 first: the certificate stores f32, and the chain recomputes r from those.
    const phases = Float64Array.from(certPhases(this.phases), (v) => Math.fround(v));
    const { r, psi } = this.core.orderParameter(phases);
    return { phases, r, psi };
  }
}
