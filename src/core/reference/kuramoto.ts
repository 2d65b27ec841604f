// Reference Kuramoto kernels (mirrors assembly/kuramoto.ts): order parameter, seed 2.4/2.5, Euler steps.
import { InputError } from '../../errors.js';
import type { OrderParameter, WeightedPhases } from '../types.js';
import { checkKuramoto, checkWeight, emptyPeer } from '../errors.js';

export const TWO_PI = 2 * Math.PI;

/** Python's `x % 2π` for x in [-π, π], clamped so the result is always < 2π. */
export function wrapAngle(x: number): number {
  let y = x % TWO_PI;
  if (y < 0) y += TWO_PI;
  return y >= TWO_PI ? 0 : y;
}

export function orderParameter(phases: Float64Array): OrderParameter {
  const n = phases.length;
  if (n === 0) return { r: 0, psi: 0 };
  let c = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    c += Math.cos(phases[i]!);
    s += Math.sin(phases[i]!);
  }
  c /= n;
  s /= n;
  return { r: Math.min(1, Math.hypot(c, s)), psi: wrapAngle(Math.atan2(s, c)) };
}

/** numpy's `np.linspace(0, p-1, l).astype(int)` clipped to [0, p-1]: the seed's resampling indices. */
export function resampleIndex(i: number, p: number, l: number): number {
  if (l <= 1) return 0;
  if (i === l - 1) return p - 1;
  const step = (p - 1) / (l - 1);
  return Math.min(p - 1, Math.max(0, Math.trunc(i * step)));
}

export function incorporatePeerPhases(local: Float64Array, peer: Float64Array, weight = 0.1): Float64Array {
  checkWeight(weight);
  const l = local.length;
  const p = peer.length;
  const out = new Float64Array(l);
  if (l === 0) return out;
  if (p === 0) throw emptyPeer();
  const w0 = 1 - weight;
  for (let i = 0; i < l; i++) {
    const a = local[i]!;
    const b = peer[p === l ? i : resampleIndex(i, p, l)]!;
    out[i] = wrapAngle(Math.atan2(w0 * Math.sin(a) + weight * Math.sin(b), w0 * Math.cos(a) + weight * Math.cos(b)));
  }
  return out;
}

export function mergePhaseStates(states: readonly WeightedPhases[]): { phases: Float64Array; r: number } {
  if (states.length === 0) throw new InputError('no-states', 'mergePhaseStates needs at least one state');
  let merged: Float64Array = Float64Array.from(states[0]!.phases);
  let total = 1.0; // the seed starts at 1.0 regardless of states[0].weight
  for (let k = 1; k < states.length; k++) {
    const { phases, weight } = states[k]!;
    merged = incorporatePeerPhases(merged, phases, weight / (total + weight));
    total += weight;
  }
  return { phases: merged, r: orderParameter(merged).r };
}

/**
 * Explicit Euler on the mean-field form: each step freezes (r, ψ) of the current phases, then
 * θᵢ += dt·(ωᵢ + K·r·sin(ψ − θᵢ)) and wraps into [0, 2π).
 */
export function kuramotoIntegrate(
  phases: Float64Array,
  omegas: Float64Array,
  coupling: number,
  dt: number,
  steps: number,
): OrderParameter {
  checkKuramoto(phases, omegas, coupling, dt, steps);
  const n = phases.length;
  for (let s = 0; s < steps; s++) {
    const { r, psi } = orderParameter(phases);
    const kr = coupling * r;
    for (let i = 0; i < n; i++) {
      const th = phases[i]!;
      phases[i] = wrapAngle(th + dt * (omegas[i]! + kr * Math.sin(psi - th)));
    }
  }
  return orderParameter(phases);
}

