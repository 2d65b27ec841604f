// The `bloomcoin` package: the node and its parts, for embedding and tooling.
export * from './constants.js';
export * from './errors.js';
export { loadCore } from './core/index.js';
export type * from './core/types.js';
export { CorePool } from './core/pool.js';
export { BloomNode, USER_AGENT, type NodeDeps } from './node.js';
export { VERSION } from './paths.js';
export { defaultConfig, resolveConfig, loadConfigFile, type NodeConfig } from './config.js';
export { startApi } from './api/server.js';
export { createLogger, type Logger } from './log.js';
export * as wire from './wire/index.js';
export * as chain from './chain/index.js';
export * as p2p from './p2p/index.js';
