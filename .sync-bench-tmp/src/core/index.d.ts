import type { Logger } from '../log.js';
import type { Core, LoadCoreOptions } from './types.js';
export type * from './types.js';
export { PHASE_DECODE_CODES, phaseDecodeError } from './errors.js';
export { createReferenceCore } from './reference.js';
export { loadWasmCore, wasmPath } from './wasm.js';
export { CorePool, type CorePoolOptions, type GrindOptions } from './pool.js';
export interface LoadCoreOpts extends LoadCoreOptions {
    /** Receives a warning when the native backend is unavailable and wasm is used instead. */
    logger?: Pick<Logger, 'warn'>;
}
/** A loaded core; `fallbackReason` says why another backend than the requested one was chosen. */
export type LoadedCore = Core & {
    readonly fallbackReason?: string;
};
/** Loads a core backend. 'native' falls back to 'wasm' (reason in `fallbackReason`). */
export declare function loadCore(opts?: LoadCoreOpts): Promise<LoadedCore>;
