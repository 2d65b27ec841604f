// `bloomcoin/wasm`: where the package's .wasm files are, as URLs (file: in Node, http(s): once bundled).
// Read the bytes with fs.readFile(new URL(coreWasmUrl)) in Node or fetch(coreWasmUrl) in a page.

/** build/core.wasm (SIMD build). */
export const coreWasmUrl: string = new URL('../../build/core.wasm', import.meta.url).href;
/** build/core-scalar.wasm (for engines without WebAssembly SIMD). */
export const coreScalarWasmUrl: string = new URL('../../build/core-scalar.wasm', import.meta.url).href;
