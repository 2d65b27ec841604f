import { createReferenceCore } from './reference.js';
import { loadWasmCore } from './wasm.js';
export { PHASE_DECODE_CODES, phaseDecodeError } from './errors.js';
export { createReferenceCore } from './reference.js';
export { loadWasmCore, wasmPath } from './wasm.js';
export { CorePool } from './pool.js';
// Kept in a variable so the optional module is resolved at run time only (it may not be built).
const NATIVE_MODULE = './native.js';
/** Loads a core backend. 'native' falls back to 'wasm' (reason in `fallbackReason`). */
export async function loadCore(opts = {}) {
    const backend = opts.backend ?? 'wasm';
    if (backend === 'js')
        return createReferenceCore();
    if (backend === 'native') {
        let reason;
        try {
            const mod = (await import(NATIVE_MODULE));
            if (typeof mod.loadNativeCore !== 'function')
                throw new Error('native.js has no loadNativeCore export');
            return await mod.loadNativeCore();
        }
        catch (err) {
            reason = `native core unavailable: ${err.message ?? String(err)}`;
        }
        opts.logger?.warn({ reason }, 'falling back to the wasm core');
        const core = await loadWasmCore({ simd: opts.simd });
        return { ...core, fallbackReason: reason };
    }
    return loadWasmCore({ simd: opts.simd });
}
//# sourceMappingURL=index.js.map