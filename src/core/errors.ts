// Input checks and error codes shared by every core backend, so all backends fail the same way.
import { HEADER_SIZE, MAX_PHASES } from '../constants.js';
import { BloomError, InputError, ProtocolError } from '../errors.js';

/** decodePhaseState rejections; the numbers are the WASM kernel's return codes (negated). */
export const PHASE_DECODE_CODES = {
  1: 'phase-too-short',
  2: 'phase-too-many',
  3: 'phase-bad-length',
  4: 'phase-bad-r',
  5: 'phase-bad-psi',
  6: 'phase-bad-phase',
} as const;
export type PhaseDecodeCode = (typeof PHASE_DECODE_CODES)[keyof typeof PHASE_DECODE_CODES];

const MESSAGES: Record<PhaseDecodeCode, string> = {
  'phase-too-short': 'phase state shorter than 12 bytes',
  'phase-too-many': `phase count above ${MAX_PHASES}`,
  'phase-bad-length': 'phase state length is not 12 + 4n',
  'phase-bad-r': 'coherence r outside [0, 1] or NaN',
  'phase-bad-psi': 'psi is not finite',
  'phase-bad-phase': 'a phase is not finite',
};

/** The ProtocolError for a decode rejection (numeric code from WASM or the name). */
export function phaseDecodeError(code: number | PhaseDecodeCode): ProtocolError {
  const name = typeof code === 'number' ? PHASE_DECODE_CODES[code as keyof typeof PHASE_DECODE_CODES] : code;
  if (!name) return new ProtocolError('phase-malformed', `phase state rejected (code ${code})`);
  return new ProtocolError(name, MESSAGES[name]);
}

export function checkBatch(data: Uint8Array, itemSize: number): number {
  if (!Number.isInteger(itemSize) || itemSize <= 0) {
    throw new InputError('bad-item-size', `itemSize must be a positive integer, got ${itemSize}`);
  }
  if (data.length % itemSize !== 0) {
    throw new InputError('batch-ragged', `batch length ${data.length} is not a multiple of ${itemSize}`);
  }
  return data.length / itemSize;
}

export function checkGrind(header: Uint8Array, target: Uint8Array, start: number, count: number): void {
  if (header.length !== HEADER_SIZE) {
    throw new InputError('bad-header-size', `header must be ${HEADER_SIZE} bytes, got ${header.length}`);
  }
  if (target.length !== 32) throw new InputError('bad-target-size', `target must be 32 bytes, got ${target.length}`);
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > 2 ** 32) {
    throw new InputError('bad-nonce-range', `nonce range ${start}+${count} outside the u32 space`);
  }
}

export function checkKuramoto(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): void {
  if (phases.length !== omegas.length) {
    throw new InputError('length-mismatch', `${phases.length} phases but ${omegas.length} frequencies`);
  }
  if (!Number.isInteger(steps) || steps < 0) throw new InputError('bad-steps', `steps must be an integer ≥ 0, got ${steps}`);
  if (!Number.isFinite(coupling) || !Number.isFinite(dt)) {
    throw new InputError('bad-param', 'coupling and dt must be finite');
  }
}

export function checkWeight(weight: number): void {
  if (!Number.isFinite(weight)) throw new InputError('bad-weight', `weight must be finite, got ${weight}`);
}

export function emptyPeer(): InputError {
  return new InputError('phases-empty', 'peer phases are empty but local phases are not');
}

export function badEncode(what: string): InputError {
  return new InputError('bad-phase-state', `cannot encode phase state: ${what}`);
}

/** A .wasm that does not implement the ABI this binding speaks (or is not a core at all). */
export class CoreAbiError extends BloomError {}

export function coreAbiError(found: number | undefined, want: number): CoreAbiError {
  return new CoreAbiError(
    'core-abi-mismatch',
    found === undefined
      ? `this .wasm exports no abiVersion(): not a bloomcoin core, or one older than ABI ${want}`
      : `this .wasm implements core ABI ${found}, this loader speaks ABI ${want}: use the .wasm shipped with this package`,
  );
}
