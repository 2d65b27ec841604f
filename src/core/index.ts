// `bloomcoin/core`: loadCore() picks a backend (wasm by default, native if built, js reference).
import type { Logger } from '../log.js';
import { createReferenceCore } from './reference.js';
import type { Backend, Core, LoadCoreOptions } from './types.js';
import { loadWasmCore } from './wasm.js';

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
export type LoadedCore = Core & { readonly fallbackReason?: string };

// Kept in a variable so the optional module is resolved at run time only (it may not be built).
const NATIVE_MODULE = './native.js';

/** Loads a core backend. 'native' falls back to 'wasm' (reason in `fallbackReason`). */
export async function loadCore(opts: LoadCoreOpts = {}): Promise<LoadedCore> {
  const backend: Backend = opts.backend ?? 'wasm';
  if (backend === 'js') return createReferenceCore();
  if (backend === 'native') {
    let reason: string;
    try {
      const mod = (await import(NATIVE_MODULE)) as { loadNativeCore?: () => Promise<Core> };
      if (typeof mod.loadNativeCore !== 'function') throw new Error('native.js has no loadNativeCore export');
      return await mod.loadNativeCore();
    } catch (err) {
      reason = `native core unavailable: ${(err as Error).message ?? String(err)}`;
    }
    opts.logger?.warn({ reason }, 'falling back to the wasm core');
    const core = await loadWasmCore({ simd: opts.simd });
    return { ...core, fallbackReason: reason };
  }
  return loadWasmCore({ simd: opts.simd });
}
