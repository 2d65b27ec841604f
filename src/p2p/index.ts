// The peer layer's public surface.
export * from './types.js';
export { parseHostPort } from '../hostport.js';
export { PeerManager, type PeerManagerOptions, type PeerManagerStats, type PersistStore } from './manager.js';
export { TcpTransport, type Transport, type Connection, type Server } from './transport.js';
export { systemClock, type Clock, type TimerHandle } from '../clock.js';
export { AddrBook, addrKey, type AddrEntry, type AddrBookOptions, type AddrRecord } from './addrbook.js';
export { BanList, type BanEntry } from './bans.js';
