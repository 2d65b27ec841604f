// Plain TypeScript reference kernels: the ground truth the WASM (and native) core is tested against.
// Written for clarity, not speed; one file per kernel in reference/, mirroring assembly/.
import type { Core } from './types.js';
import { grindNonces, sha256d, sha256dBatch } from './reference/sha256.js';
import { incorporatePeerPhases, kuramotoIntegrate, mergePhaseStates, orderParameter } from './reference/kuramoto.js';
import { decodePhaseState, encodePhaseState } from './reference/phase.js';

export * from './reference/sha256.js';
export * from './reference/kuramoto.js';
export * from './reference/phase.js';

/** The reference kernels as a `Core` (backend 'js'). */
export function createReferenceCore(): Core {
  return {
    backend: 'js',
    sha256d,
    sha256dBatch,
    grindNonces,
    orderParameter,
    incorporatePeerPhases,
    mergePhaseStates,
    encodePhaseState,
    decodePhaseState,
    kuramotoIntegrate,
  };
}
