// The contract every core backend (wasm, native, js reference) implements.
export {};
//# sourceMappingURL=types.js.map