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
    info(): {
        sha: 'sha-ni' | 'portable';
        shaNiSupported: boolean;
        vector: string;
    };
    /** Turns SHA-NI use on/off (tests and benchmarks of the portable path); returns whether it is on. */
    setShaNi(enabled: boolean): boolean;
}
/** Absolute path of the compiled addon (whether or not it exists). */
export declare function nativeAddonPath(): string;
/** Loads the compiled addon; throws a clear Error when it is not built or disabled. */
export declare function loadNativeAddon(): NativeAddon;
/** The native Core. Rejects (with the reason) when the addon is not built; loadCore falls back to wasm. */
export declare function loadNativeCore(): Promise<Core>;
