// bloomcoin core kernels. Every pointer is a byte offset into the exported memory; the caller owns
// the layout above scratchBase() and grows memory itself (see docs/core.md).
export { sha256, sha256d, sha256dBatch, grindNonces } from './sha256';
export { orderParameter, kuramotoIntegrate, incorporatePeerPhases } from './kuramoto';
export { encodePhaseState, decodePhaseState, encodedCount } from './phase';
export { fastSin, fastCos, tableSin, tableCos } from './trig';

/** First free byte (16-aligned) above the module's static data; callers' buffers start here. */
export function scratchBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** 1 when this build uses SIMD (the release target), 0 for the scalar build. */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/**
 * The core ABI this module implements (export names, signatures, memory rules; docs/core.md
 * "ABI version"). Bumped on any incompatible change; loaders refuse a version they do not speak.
 */
export function abiVersion(): i32 {
  return 1;
}
