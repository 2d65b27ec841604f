export * from './types.js';
export { PeerManager, parseHostPort, SCORES, type PeerManagerOptions, type PeerManagerStats, type PersistStore } from './manager.js';
export { TcpTransport, type Transport, type Connection, type Server } from './transport.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { AddrBook, addrKey, type AddrEntry, type AddrBookOptions } from './addrbook.js';
export { BanList, type BanEntry } from './bans.js';
