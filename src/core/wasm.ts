// Loads build/core.wasm from the package directory (Node); the binding itself is in wasm-bind.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { Core } from './types.js';
import { instantiateCore, Wasm, type WasmModule } from './wasm-bind.js';

export * from './wasm-bind.js';

export const wasmPath = (simd = true): string => join(packageRoot(), 'build', simd ? 'core.wasm' : 'core-scalar.wasm');

const modules = new Map<string, Promise<WasmModule>>();

/** Compiles (once per process) the SIMD or scalar build. */
export function compileCoreModule(simd = true): Promise<WasmModule> {
  const path = wasmPath(simd);
  let m = modules.get(path);
  if (!m) {
    m = readFile(path).then((bytes) => Wasm.compile(bytes));
    m.catch(() => modules.delete(path));
    modules.set(path, m);
  }
  return m;
}

/** Loads the WASM core; without SIMD support in the engine the scalar build is used. */
export async function loadWasmCore(opts: { simd?: boolean | undefined } = {}): Promise<Core> {
  let mod: WasmModule;
  try {
    mod = await compileCoreModule(opts.simd ?? true);
  } catch (err) {
    if (opts.simd === false) throw err;
    mod = await compileCoreModule(false);
  }
  return instantiateCore(mod);
}

