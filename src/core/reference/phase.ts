// Reference PHASE codec (mirrors assembly/phase.ts): seed 2.1 `<ffI{n}f` with the n > 256 downsampling.
import { MAX_PHASES, PHASE_DOWNSAMPLE_ABOVE, PHASE_DOWNSAMPLE_TARGET } from '../../constants.js';
import type { PhaseState } from '../types.js';
import { badEncode, phaseDecodeError } from '../errors.js';

/** The seed's downsampling: n > 256 keeps phases[::n // 64]. Returns the kept count and stride. */
export function downsamplePlan(n: number): { count: number; stride: number } {
  if (n <= PHASE_DOWNSAMPLE_ABOVE) return { count: n, stride: 1 };
  const stride = Math.floor(n / PHASE_DOWNSAMPLE_TARGET);
  return { count: Math.ceil(n / stride), stride };
}

export function encodePhaseState(phases: Float64Array, r: number, psi: number): Uint8Array {
  const { count, stride } = downsamplePlan(phases.length);
  const rf = Math.fround(r);
  if (!(rf >= 0 && rf <= 1)) throw badEncode(`r = ${r}`);
  if (!Number.isFinite(Math.fround(psi))) throw badEncode(`psi = ${psi}`);
  const out = new Uint8Array(12 + 4 * count);
  const dv = new DataView(out.buffer);
  dv.setFloat32(0, r, true);
  dv.setFloat32(4, psi, true);
  dv.setUint32(8, count, true);
  for (let i = 0; i < count; i++) {
    const v = phases[i * stride]!;
    if (!Number.isFinite(Math.fround(v))) throw badEncode(`phase ${i * stride} = ${v}`);
    dv.setFloat32(12 + 4 * i, v, true);
  }
  return out;
}

export function decodePhaseState(bytes: Uint8Array): PhaseState {
  if (bytes.length < 12) throw phaseDecodeError('phase-too-short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = dv.getFloat32(0, true);
  const psi = dv.getFloat32(4, true);
  const n = dv.getUint32(8, true);
  if (n > MAX_PHASES) throw phaseDecodeError('phase-too-many');
  if (bytes.length !== 12 + 4 * n) throw phaseDecodeError('phase-bad-length');
  if (!(r >= 0 && r <= 1)) throw phaseDecodeError('phase-bad-r');
  if (!Number.isFinite(psi)) throw phaseDecodeError('phase-bad-psi');
  const phases = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = dv.getFloat32(12 + 4 * i, true);
    if (!Number.isFinite(v)) throw phaseDecodeError('phase-bad-phase');
    phases[i] = v;
  }
  return { phases, r, psi };
}
