// The wire layer's public surface: message types, frames, codec.
export * from './types.js';
export * from './frame.js';
export * from './codec.js';
export { parseIp, formatIp, normalizeHost } from './ip.js';
//# sourceMappingURL=index.js.map