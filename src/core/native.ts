// The optional native backend (issue 8): a node-addon-api build of the hashing and Kuramoto kernels.
// sha256d, sha256dBatch, grindNonces, orderParameter and kuramotoIntegrate run in C++ (SHA-NI when the
// CPU has it); incorporate/merge/encode/decode delegate to the TS reference, whose cost is dominated
// by allocation and the JS boundary rather than arithmetic.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { checkBatch, checkGrind, checkKuramoto } from './errors.js';
import {
  decodePhaseState,
  encodePhaseState,
  incorporatePeerPhases,
  mergePhaseStates,
} from './reference.js';
import type { Core, OrderParameter } from './types.js';

/** What the compiled addon exports (native/src/addon.cc). */
export interface NativeAddon {
  sha256dInto(data: Uint8Array, out: Uint8Array): void;
  sha256dBatchInto(data: Uint8Array, itemSize: number, out: Uint8Array): void;
  grindNonces(header: Uint8Array, target: Uint8Array, start: number, count: number): number;
  /** Registers a Float64Array(2) that receives (r, psi) from the two calls below (per thread). */
  bindResult(slot: Float64Array): void;
  /** Writes (r, psi) into the bound result slot (or returns { r, psi } when none is bound). */
  orderParameter(phases: Float64Array): OrderParameter | undefined;
  kuramotoIntegrate(phases: Float64Array, omegas: Float64Array, k: number, dt: number, steps: number): OrderParameter | undefined;
  /** sin and cos as the Kuramoto kernels compute them (for error-bound tests). */
  sinCos(x: number): [number, number];
  info(): { sha: 'sha-ni' | 'portable'; shaNiSupported: boolean; vector: string };
  /** Turns SHA-NI use on/off (tests and benchmarks of the portable path); returns whether it is on. */
  setShaNi(enabled: boolean): boolean;
}

const ADDON_REL = join('native', 'build', 'Release', 'bloomcoin_native.node');

/** The package root: the first ancestor holding native/binding.gyp (src/core, dist/core, dist-bench/src/core). */

/** Absolute path of the compiled addon (whether or not it exists). */
export function nativeAddonPath(): string {
  return join(packageRoot(), ADDON_REL);
}

let cached: NativeAddon | undefined;
/** Where the addon leaves (r, psi): one per thread, like the module instance. */
const result = new Float64Array(2);

/** Loads the compiled addon; throws a clear Error when it is not built or disabled. */
export function loadNativeAddon(): NativeAddon {
  if (process.env.BLOOMCOIN_NO_NATIVE === '1') {
    throw new Error('the native backend is disabled by BLOOMCOIN_NO_NATIVE=1');
  }
  if (cached) return cached;
  const path = nativeAddonPath();
  if (!existsSync(path)) {
    throw new Error(`the native addon is not built (${path} missing): run \`npm run build:native\``);
  }
  const require = createRequire(import.meta.url);
  try {
    const addon = require(path) as NativeAddon;
    addon.bindResult(result);
    cached = addon;
  } catch (err) {
    throw new Error(`the native addon at ${path} failed to load (${(err as Error).message}): run \`npm run build:native\``);
  }
  return cached;
}

function overlaps(a: Float64Array, b: Float64Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The native Core. Rejects (with the reason) when the addon is not built; loadCore falls back to wasm. */
export async function loadNativeCore(): Promise<Core> {
  const addon = loadNativeAddon();
  return {
    backend: 'native',
    sha256d(data: Uint8Array): Uint8Array {
      const out = new Uint8Array(32);
      addon.sha256dInto(data, out);
      return out;
    },
    sha256dBatch(data: Uint8Array, itemSize: number): Uint8Array {
      const n = checkBatch(data, itemSize);
      const out = new Uint8Array(32 * n);
      if (n > 0) addon.sha256dBatchInto(data, itemSize, out);
      return out;
    },
    grindNonces(header: Uint8Array, target: Uint8Array, start: number, count: number): number {
      checkGrind(header, target, start, count);
      return addon.grindNonces(header, target, start, count);
    },
    orderParameter(phases: Float64Array): OrderParameter {
      addon.orderParameter(phases);
      return { r: result[0]!, psi: result[1]! };
    },
    kuramotoIntegrate(phases: Float64Array, omegas: Float64Array, coupling: number, dt: number, steps: number): OrderParameter {
      checkKuramoto(phases, omegas, coupling, dt, steps);
      // the fused C++ pass writes phases before reading later omegas, so aliased inputs get a copy
      addon.kuramotoIntegrate(phases, overlaps(phases, omegas) ? omegas.slice() : omegas, coupling, dt, steps);
      return { r: result[0]!, psi: result[1]! };
    },
    incorporatePeerPhases,
    mergePhaseStates,
    encodePhaseState,
    decodePhaseState,
  };
}
