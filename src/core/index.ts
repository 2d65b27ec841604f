// `bloomcoin/core`: loadCore() picks a backend (wasm by default, native if built, js reference).
import { createReferenceCore } from './reference.js';
import type { Backend, Core, LoadCoreOptions } from './types.js';
import { loadWasmCore } from './wasm.js';
import { loadCore as loadCoreFrom, type WasmSource } from './browser.js';

export type * from './types.js';
export { CoreAbiError, PHASE_DECODE_CODES, phaseDecodeError } from './errors.js';
export { BloomError, InputError, ProtocolError } from '../errors.js';
export { createReferenceCore } from './reference.js';
export { bindCore, CORE_ABI_VERSION, loadWasmCore, wasmPath } from './wasm.js';
export type { WasmResponseLike, WasmSource } from './browser.js';
export { coreWasmUrl } from './wasm-url.js';
export { CorePool, type CorePoolOptions, type GrindOptions } from './pool.js';

export interface LoadCoreOpts extends LoadCoreOptions {
  /** Use this .wasm (URL, bytes, Response or compiled module) instead of the package's build/core.wasm. */
  wasm?: WasmSource;
  /** Receives a warning when the native backend is unavailable and wasm is used instead. */
  logger?: { warn(obj: { reason: string }, msg: string): void };
}

/** A loaded core; `fallbackReason` says why another backend than the requested one was chosen. */
export type LoadedCore = Core & { readonly fallbackReason?: string };

// Kept in a variable so the optional module is resolved at run time only (it may not be built).
const NATIVE_MODULE = './native.js';

/** Loads a core backend. 'native' falls back to 'wasm' (reason in `fallbackReason`). */
export async function loadCore(opts: LoadCoreOpts = {}): Promise<LoadedCore> {
  const backend: Backend = opts.backend ?? 'wasm';
  if (backend === 'js') return createReferenceCore();
  if (opts.wasm !== undefined && backend === 'wasm') return loadCoreFrom({ wasm: opts.wasm });
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
export { BROWSER_CORE_ASSETS, browserCoreAsset, type BrowserCoreAsset } from './browser-assets.js';
