import type { Core } from './types.js';
export interface WasmMemory {
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
}
export type WasmModule = object;
export interface WasmApi {
    compile(bytes: Uint8Array): Promise<WasmModule>;
    instantiate(bytes: Uint8Array, imports: object): Promise<{
        instance: {
            exports: unknown;
        };
        module: WasmModule;
    }>;
    instantiate(module: WasmModule, imports: object): Promise<{
        exports: unknown;
    }>;
}
export declare const Wasm: WasmApi;
/** The raw exports of build/core.wasm (documented in docs/core.md). */
export interface CoreExports {
    memory: WasmMemory;
    scratchBase(): number;
    simd(): number;
    sha256(p: number, len: number, out: number): void;
    sha256d(p: number, len: number, out: number): void;
    sha256dBatch(p: number, itemSize: number, count: number, out: number): void;
    grindNonces(hp: number, tp: number, start: number, count: number): number;
    orderParameter(p: number, n: number, out: number): void;
    kuramotoIntegrate(pp: number, wp: number, n: number, k: number, dt: number, steps: number, scratch: number, out: number): void;
    incorporatePeerPhases(lp: number, nl: number, pp: number, np: number, weight: number, out: number): number;
    encodePhaseState(pp: number, n: number, r: number, psi: number, out: number): number;
    decodePhaseState(p: number, len: number, out: number): number;
    encodedCount(n: number): number;
    fastSin(x: number): number;
    fastCos(x: number): number;
}
/** Largest linear memory the binding will grow to (bytes). */
export declare const MAX_MEMORY: number;
/** Input bytes per sha256dBatch kernel call; bounds the scratch a batch needs. */
export declare const BATCH_CHUNK: number;
export declare const wasmPath: (simd?: boolean) => string;
/** Compiles (once per process) the SIMD or scalar build. */
export declare function compileCoreModule(simd?: boolean): Promise<WasmModule>;
/** Loads the WASM core; without SIMD support in the engine the scalar build is used. */
export declare function loadWasmCore(opts?: {
    simd?: boolean | undefined;
}): Promise<Core>;
/** Wraps raw exports in the `Core` API. */
export declare function bindCore(x: CoreExports): Core;
