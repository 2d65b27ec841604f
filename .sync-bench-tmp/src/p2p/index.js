// The peer layer's public surface.
export * from './types.js';
export { PeerManager, parseHostPort, SCORES } from './manager.js';
export { TcpTransport } from './transport.js';
export { systemClock } from './clock.js';
export { AddrBook, addrKey } from './addrbook.js';
export { BanList } from './bans.js';
//# sourceMappingURL=index.js.map