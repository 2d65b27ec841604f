// The `bloomcoin` package: the node and its parts, for embedding and tooling.
export * from './constants.js';
export * from './errors.js';
export { loadCore } from './core/index.js';
export { CorePool } from './core/pool.js';
export { BloomNode, VERSION, USER_AGENT } from './node.js';
export { defaultConfig, resolveConfig, loadConfigFile } from './config.js';
export { startApi } from './api/server.js';
export { createLogger } from './log.js';
export * as wire from './wire/index.js';
export * as chain from './chain/index.js';
export * as p2p from './p2p/index.js';
//# sourceMappingURL=index.js.map