// `bloomcoin/core` in a browser (the `browser` export condition): the same Core over the same .wasm,
// fetched by URL or given as bytes/Response/compiled module; no Node built-ins and no worker pool.
import { createReferenceCore } from './reference.js';
import type { Core } from './types.js';
import { instantiateCore, Wasm, type WasmModule } from './wasm-bind.js';
import { coreWasmUrl } from './wasm-url.js';

export type * from './types.js';
export { CoreAbiError, PHASE_DECODE_CODES, phaseDecodeError } from './errors.js';
export { BloomError, InputError, ProtocolError } from '../errors.js';
export { createReferenceCore } from './reference.js';
export { bindCore, CORE_ABI_VERSION } from './wasm-bind.js';

/** Anything with a body (a fetch Response), typed structurally so no DOM lib is needed. */
export interface WasmResponseLike {
  readonly ok?: boolean;
  readonly status?: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Where the core's .wasm comes from: a URL (string or URL), its bytes, a Response, or a compiled module. */
export type WasmSource = string | { readonly href: string } | Uint8Array | ArrayBuffer | WasmResponseLike | WasmModule;

export interface BrowserLoadCoreOptions {
  /** 'wasm' (default) or the plain TS reference 'js'. 'native' does not exist in a browser. */
  backend?: 'wasm' | 'js';
  /** The .wasm (default: build/core.wasm next to this module, resolved from import.meta.url). */
  wasm?: WasmSource;
}


type FetchFn = (url: string) => Promise<WasmResponseLike>;

async function toBytes(src: WasmSource): Promise<Uint8Array | WasmModule> {
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  if (typeof src === 'string' || 'href' in src) {
    const fetchFn = (globalThis as unknown as { fetch?: FetchFn }).fetch;
    if (!fetchFn) throw new Error('no fetch() in this environment: pass the .wasm bytes as opts.wasm');
    src = await fetchFn(typeof src === 'string' ? src : src.href);
  }
  if ('arrayBuffer' in src && typeof src.arrayBuffer === 'function') {
    const res = src as WasmResponseLike;
    if (res.ok === false) throw new Error(`fetching the core .wasm failed: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  return src; // a compiled WebAssembly.Module
}

/** Loads a core in a browser (or any engine with WebAssembly); checks the module's ABI version. */
export async function loadCore(opts: BrowserLoadCoreOptions = {}): Promise<Core> {
  if (opts.backend === 'js') return createReferenceCore();
  const src = await toBytes(opts.wasm ?? coreWasmUrl);
  return instantiateCore(src instanceof Uint8Array ? await Wasm.compile(src) : src);
}
