// The simulator's link latency model, drawn from the ground floor's seeded PRNG (a seed fixes the run).
import { Rng } from '../prng.js';

export { Rng };

/** Latency model of one link, in ms. */
export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; min: number; max: number }
  /** Lognormal with the given median and sigma of the underlying normal (heavy right tail, like the internet). */
  | { kind: 'lognormal'; median: number; sigma: number };

/** Draws one latency (ms, ≥ 0) from the spec. */
export function drawLatency(rng: Rng, spec: LatencySpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return rng.range(spec.min, spec.max);
    case 'lognormal':
      return spec.median * Math.exp(spec.sigma * rng.normal());
  }
}
