// Input checks and error codes shared by every core backend, so all backends fail the same way.
import { HEADER_SIZE, MAX_PHASES } from '../constants.js';
import { BloomError, InputError, ProtocolError } from '../errors.js';

/** decodePhaseState rejections; the numbers are the WASM kernel's return codes (negated). */
export const PHASE_DECODE_CODES = {
  1: 'PHASE_TOO_SHORT',
  2: 'PHASE_TOO_MANY',
  3: 'PHASE_BAD_LENGTH',
  4: 'PHASE_BAD_R',
  5: 'PHASE_BAD_PSI',
  6: 'PHASE_BAD_PHASE',
} as const;
export type PhaseDecodeCode = (typeof PHASE_DECODE_CODES)[keyof typeof PHASE_DECODE_CODES];

const MESSAGES: Record<PhaseDecodeCode, string> = {
  PHASE_TOO_SHORT: 'phase state shorter than 12 bytes',
  PHASE_TOO_MANY: `phase count above ${MAX_PHASES}`,
  PHASE_BAD_LENGTH: 'phase state length is not 12 + 4n',
  PHASE_BAD_R: 'coherence r outside [0, 1] or NaN',
  PHASE_BAD_PSI: 'psi is not finite',
  PHASE_BAD_PHASE: 'a phase is not finite',
};

/** The ProtocolError for a decode rejection (numeric code from WASM or the name). */
export function phaseDecodeError(code: number | PhaseDecodeCode): ProtocolError {
  const name = typeof code === 'number' ? PHASE_DECODE_CODES[code as keyof typeof PHASE_DECODE_CODES] : code;
  if (!name) return new ProtocolError('PHASE_MALFORMED', `phase state rejected (code ${code})`);
  return new ProtocolError(name, MESSAGES[name]);
}

export function checkBatch(data: Uint8Array, itemSize: number): number {
  if (!Number.isInteger(itemSize) || itemSize <= 0) {
    throw new InputError('BAD_ITEM_SIZE', `itemSize must be a positive integer, got ${itemSize}`);
  }
  if (data.length % itemSize !== 0) {
    throw new InputError('BATCH_RAGGED', `batch length ${data.length} is not a multiple of ${itemSize}`);
  }
  return data.length / itemSize;
}

export function checkGrind(header: Uint8Array, target: Uint8Array, start: number, count: number): void {
  if (header.length !== HEADER_SIZE) {
    throw new InputError('BAD_HEADER_SIZE', `header must be ${HEADER_SIZE} bytes, got ${header.length}`);
  }
  if (target.length !== 32) throw new InputError('BAD_TARGET_SIZE', `target must be 32 bytes, got ${target.length}`);
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > 2 ** 32) {
    throw new InputError('BAD_NONCE_RANGE', `nonce range ${start}+${count} outside the u32 space`);
  }
}

export function checkKuramoto(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): void {
  if (phases.length !== omegas.length) {
    throw new InputError('LENGTH_MISMATCH', `${phases.length} phases but ${omegas.length} frequencies`);
  }
  if (!Number.isInteger(steps) || steps < 0) throw new InputError('BAD_STEPS', `steps must be an integer ≥ 0, got ${steps}`);
  if (!Number.isFinite(coupling) || !Number.isFinite(dt)) {
    throw new InputError('BAD_PARAM', 'coupling and dt must be finite');
  }
}

export function checkWeight(weight: number): void {
  if (!Number.isFinite(weight)) throw new InputError('BAD_WEIGHT', `weight must be finite, got ${weight}`);
}

export function emptyPeer(): InputError {
  return new InputError('PHASES_EMPTY', 'peer phases are empty but local phases are not');
}

export function badEncode(what: string): InputError {
  return new InputError('BAD_PHASE_STATE', `cannot encode phase state: ${what}`);
}

/** A .wasm that does not implement the ABI this binding speaks (or is not a core at all). */
export class CoreAbiError extends BloomError {}

export function coreAbiError(found: number | undefined, want: number): CoreAbiError {
  return new CoreAbiError(
    'CORE_ABI_MISMATCH',
    found === undefined
      ? `this .wasm exports no abiVersion(): not a bloomcoin core, or one older than ABI ${want}`
      : `this .wasm implements core ABI ${found}, this loader speaks ABI ${want}: use the .wasm shipped with this package`,
  );
}
