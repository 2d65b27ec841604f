export async function instantiate(module, imports = {}) {
  const { exports } = await WebAssembly.instantiate(module, imports);
  const memory = exports.memory || imports.env.memory;
  const adaptedExports = Object.setPrototypeOf({
    scratchBase() {
      // assembly/index/scratchBase() => usize
      return exports.scratchBase() >>> 0;
    },
  }, exports);
  return adaptedExports;
}
