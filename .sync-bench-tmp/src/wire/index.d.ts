export * from './types.js';
export * from './frame.js';
export * from './codec.js';
export { parseIp, formatIp, normalizeHost } from './ip.js';
