// The chain module's public surface.
export type * from './types.js';
export * from './block.js';
export * from './bytes.js';
export * from './cert.js';
export * from './chain.js';
export * from './consensus.js';
export * from './genesis.js';
export * from './header.js';
export * from './ledger.js';
export { Store, HAVE_DATA, INVALID, type ChainDb, type HeaderRecord, type PeerStore, type TxLocation } from './store.js';
export { ReceivedBlock } from './received.js';
export { layout } from './layout.js';
export * from './tx.js';
export * from './validate.js';
// The mempool moved to src/mempool/; re-exported so the package's `chain` namespace keeps it.
export * from '../mempool/mempool.js';
