// Plain TypeScript reference kernels: the ground truth the WASM (and native) core is tested against.
// Written for clarity, not speed; one file per kernel in reference/, mirroring assembly/.
import type { Core } from './types.js';
import * as kuramoto from './reference/kuramoto.js';
import * as phase from './reference/phase.js';
import * as sha256 from './reference/sha256.js';

export * from './reference/sha256.js';
export * from './reference/kuramoto.js';
export * from './reference/phase.js';

/**
 * The reference kernels as a `Core` (backend 'js'): the three reference modules themselves, so the
 * kernel list is written once (the Core interface); their helpers (sha256, wrapAngle, …) ride along.
 */
export function createReferenceCore(): Core {
  return { ...sha256, ...kuramoto, ...phase, backend: 'js' };
}
