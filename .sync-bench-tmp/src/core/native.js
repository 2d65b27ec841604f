// The optional native backend (issue 8): a node-addon-api build of the hashing and Kuramoto kernels.
// sha256d, sha256dBatch, grindNonces, orderParameter and kuramotoIntegrate run in C++ (SHA-NI when the
// CPU has it); incorporate/merge/encode/decode delegate to the TS reference, whose cost is dominated
// by allocation and the JS boundary rather than arithmetic.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBatch, checkGrind, checkKuramoto } from './errors.js';
import { decodePhaseState, encodePhaseState, incorporatePeerPhases, mergePhaseStates, } from './reference.js';
const ADDON_REL = join('native', 'build', 'Release', 'bloomcoin_native.node');
/** The package root: the first ancestor holding native/binding.gyp (src/core, dist/core, dist-bench/src/core). */
function packageRoot() {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6; i++) {
        if (existsSync(join(dir, 'native', 'binding.gyp')))
            return dir;
        const up = dirname(dir);
        if (up === dir)
            break;
        dir = up;
    }
    throw new Error('cannot find the package root (native/binding.gyp) above ' + fileURLToPath(import.meta.url));
}
/** Absolute path of the compiled addon (whether or not it exists). */
export function nativeAddonPath() {
    return join(packageRoot(), ADDON_REL);
}
let cached;
/** Where the addon leaves (r, psi): one per thread, like the module instance. */
const result = new Float64Array(2);
/** Loads the compiled addon; throws a clear Error when it is not built or disabled. */
export function loadNativeAddon() {
    if (process.env.BLOOMCOIN_NO_NATIVE === '1') {
        throw new Error('the native backend is disabled by BLOOMCOIN_NO_NATIVE=1');
    }
    if (cached)
        return cached;
    const path = nativeAddonPath();
    if (!existsSync(path)) {
        throw new Error(`the native addon is not built (${path} missing): run \`npm run build:native\``);
    }
    const require = createRequire(import.meta.url);
    try {
        const addon = require(path);
        addon.bindResult(result);
        cached = addon;
    }
    catch (err) {
        throw new Error(`the native addon at ${path} failed to load (${err.message}): run \`npm run build:native\``);
    }
    return cached;
}
function overlaps(a, b) {
    return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
/** The native Core. Rejects (with the reason) when the addon is not built; loadCore falls back to wasm. */
export async function loadNativeCore() {
    const addon = loadNativeAddon();
    return {
        backend: 'native',
        sha256d(data) {
            const out = new Uint8Array(32);
            addon.sha256dInto(data, out);
            return out;
        },
        sha256dBatch(data, itemSize) {
            const n = checkBatch(data, itemSize);
            const out = new Uint8Array(32 * n);
            if (n > 0)
                addon.sha256dBatchInto(data, itemSize, out);
            return out;
        },
        grindNonces(header, target, start, count) {
            checkGrind(header, target, start, count);
            return addon.grindNonces(header, target, start, count);
        },
        orderParameter(phases) {
            addon.orderParameter(phases);
            return { r: result[0], psi: result[1] };
        },
        kuramotoIntegrate(phases, omegas, coupling, dt, steps) {
            checkKuramoto(phases, omegas, coupling, dt, steps);
            // the fused C++ pass writes phases before reading later omegas, so aliased inputs get a copy
            addon.kuramotoIntegrate(phases, overlaps(phases, omegas) ? omegas.slice() : omegas, coupling, dt, steps);
            return { r: result[0], psi: result[1] };
        },
        incorporatePeerPhases,
        mergePhaseStates,
        encodePhaseState,
        decodePhaseState,
    };
}
//# sourceMappingURL=native.js.map