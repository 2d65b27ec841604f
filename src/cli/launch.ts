// Starting and stopping nodes for the `node` and `devnet` commands: node + API, signals, clean shutdown.
import { join } from 'node:path';
import type { NodeConfig } from '../config.js';
import { InputError } from '../errors.js';
import type { Logger } from '../log.js';
import { COOKIE_FILE, assertSafeBind, createAuth, writeCookie } from '../api/auth.js';
import { createMetrics } from '../api/metrics.js';
import { startApi, type ApiServer } from '../api/server.js';
import type { NodeView } from '../api/types.js';
import { VERSION } from '../paths.js';
import { SyncProgressReporter, watchSync } from '../progress.js';
import { defaultKey } from '../wallet.js';
import { holderPid, listenError, lockDataDir, lockedError, prepareDataDir } from './datadir.js';
import type { Io } from './io.js';

/** What the CLI needs of a node: NodeView plus a lifecycle (src/node.ts's BloomNode). */
export interface RunnableNode extends NodeView {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeFactory {
  create(config: NodeConfig, opts: { logger: Logger }): Promise<RunnableNode>;
}

export async function loadFactory(): Promise<NodeFactory> {
  // loaded on demand: option parsing and the wallet/status commands never pay for the node's imports
  const { BloomNode } = await import('../node.js');
  return BloomNode;
}

export interface Running {
  node: RunnableNode;
  api: ApiServer;
  config: NodeConfig;
  stopWatch: () => void;
  /** Removes the cookie and the pid file. */
  unlock: () => void;
}

export interface LaunchOptions {
  /** What `POST /stop` does (the process's clean shutdown). */
  onStop?: () => void;
}

export async function launch(config: NodeConfig, logger: Logger, factory: NodeFactory, progress: boolean, lopts: LaunchOptions = {}): Promise<Running> {
  assertSafeBind(config.apiHost, config.apiAuth); // before anything is created
  prepareDataDir(config.dataDir);
  const unlockDir = lockDataDir(config.dataDir);
  // after the lock: a second process must not replace the running node's cookie
  const cookie = writeCookie(config.dataDir);
  const unlock = (): void => {
    cookie.remove();
    unlockDir();
  };
  try {
    if (config.mine && !config.minerAddress) config.minerAddress = defaultKey(config.dataDir).address;
    let node: RunnableNode;
    try {
      node = await factory.create(config, { logger });
    } catch (e) {
      // the store's own lock: held by a process that left no pid file (or an older version)
      const code = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
      if (code === 'LEVEL_LOCKED') throw lockedError(config.dataDir, holderPid(config.dataDir));
      throw e;
    }
    try {
      await node.start();
    } catch (e) {
      await node.stop();
      throw listenError(e, 'P2P', config.host, config.port);
    }
    let api: ApiServer;
    try {
      const auth = createAuth({ cookie: cookie.token, rpcauth: config.apiAuth });
      api = await startApi(node, { host: config.apiHost, port: config.apiPort, logger, metrics: createMetrics(node), auth, onStop: lopts.onStop });
    } catch (e) {
      await node.stop();
      const err = listenError(e, 'API', config.apiHost, config.apiPort);
      if (err instanceof InputError) throw err;
      throw new InputError('api-listen', `--api-port: cannot listen on ${config.apiHost}:${config.apiPort}: ${(e as Error).message}`);
    }
    const stopWatch = progress ? watchSync(node, new SyncProgressReporter({ logger })) : () => {};
    return { node, api, config, stopWatch, unlock };
  } catch (e) {
    unlock();
    throw e;
  }
}

export async function shutdown(all: Running[], logger: Logger): Promise<void> {
  for (const r of [...all].reverse()) {
    r.stopWatch();
    await r.api.close();
    await r.node.stop();
    r.unlock();
  }
  logger.info('stopped cleanly');
}

/**
 * SIGINT/SIGTERM → one clean shutdown then exit 0; a second signal or a stuck shutdown exits 1. Returns the same
 * clean stop for `POST /stop` (asked again while stopping: ignored, never a forced exit).
 */
export function onSignals(stop: () => Promise<void>, logger: Logger, io: Io, onHup: () => void = () => {}): () => void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals | 'api'): void => {
    if (stopping) {
      if (sig === 'api') return;
      io.err(`${sig} again: exiting without a clean shutdown`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal: sig }, sig === 'api' ? 'shutting down (bloomcoin stop)' : 'shutting down');
    setTimeout(() => {
      io.err('shutdown took over 20 s: exiting');
      process.exit(1);
    }, 20_000).unref();
    stop().then(
      () => flushAndExit(logger, 0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        flushAndExit(logger, 1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  // SIGHUP never kills (a closed terminal, logrotate's postrotate): it reopens the log file
  process.on('SIGHUP', () => {
    onHup();
    logger.info('SIGHUP: log file reopened');
  });
  return () => handler('api');
}

function flushAndExit(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
  setTimeout(() => process.exit(code), 500).unref();
}

export function banner(io: Io, r: Running, label = 'BloomCoin node'): void {
  const s = r.node.status();
  io.err(`${label} (${r.config.network}) v${VERSION} running`);
  io.err(`  API        ${r.api.url}   dashboard ${r.api.url}/   metrics ${r.api.url}/metrics`);
  io.err(`  P2P        ${s.listen ?? `${r.config.host}:${r.config.port}`}`);
  io.err(`  data dir   ${r.config.dataDir}`);
  io.err(`  mining     ${r.config.mine ? `yes, paying ${r.config.minerAddress}` : 'no'}`);
  io.err(`  API auth   cookie ${join(r.config.dataDir, COOKIE_FILE)}${r.config.apiAuth ? `, user ${r.config.apiAuth.split(':')[0]}` : ''}`);
  for (const w of s.warnings ?? []) io.err(`  warning    ${w}`);
}
