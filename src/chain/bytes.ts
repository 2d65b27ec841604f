// The chain's byte helpers beyond the ground floor's (src/bytes.ts), which it re-exports for the package's `chain` namespace.
export { bigToBytesBE, bytesToBigBE, concatBytes, copyBytes, fromHex, toHex } from '../bytes.js';
/** @deprecated the ground floor's `equalBytes` / `dataView` (kept for the package's `chain` namespace). */
export { equalBytes as bytesEqual, dataView as view } from '../bytes.js';

export const ZERO_HASH: Uint8Array = new Uint8Array(32);

/** a ≤ b for equal-length big-endian byte strings (no bigint on the hot path). */
export function lessOrEqualBE(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return true;
}
