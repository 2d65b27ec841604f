#!/usr/bin/env node
// The `bloomcoin` command: node, devnet, status, wallet (commander). Docs: docs/operations.md.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { PROFILES, type NetworkName } from './constants.js';
import { BloomError, InputError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import {
  GOSSIP_STRATEGIES,
  LOG_LEVELS,
  NETWORKS,
  defaultConfig,
  loadConfigFile,
  parseIntOption,
  parseNetwork,
  resolveConfig,
  type ConfigInput,
  type NodeConfig,
} from './config.js';
import { startApi, type ApiServer } from './api/server.js';
import type { NodeView } from './api/types.js';
import { createMetrics } from './metrics.js';
import { SyncProgressReporter, formatEta, watchSync } from './progress.js';
import { buildSignedTx, defaultKey, findKey, formatAmount, loadWallet, newKey, parseAmount } from './wallet.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION = pkg.version;

/** What the CLI needs of a node: NodeView plus a lifecycle (src/node.ts's BloomNode). */
export interface RunnableNode extends NodeView {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Io = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
};

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Node options shared by `node` and the config-driven parts of `devnet`. */
function addNodeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--network <name>', 'network profile (default: devnet)').choices(NETWORKS as string[]))
    .option('--host <host>', 'P2P bind address (default: 0.0.0.0)')
    .option('--port <port>', 'P2P port, 0 = any free port (default: 17618 devnet, 7618 mainnet)')
    .option('--api-host <host>', 'HTTP API bind address (default: 127.0.0.1)')
    .option('--api-port <port>', 'HTTP API port, 0 = any free port (default: 17619 devnet, 7619 mainnet)')
    .option('--data-dir <dir>', 'store and wallet directory (default: ./.bloomcoin/<network>)')
    .option('--seed <host:port>', 'peer to connect to, repeatable; IPv6 as [addr]:port', collect)
    .option('--no-mine', 'do not mine (default: mine)')
    .option('--miner-address <addr>', 'address credited with mined blocks (default: first wallet key)')
    .option('--max-peers <n>', 'peer limit (default: 8)')
    .addOption(new Option('--gossip <strategy>', 'phase gossip strategy (default: bloom)').choices(GOSSIP_STRATEGIES as string[]))
    .addOption(new Option('--log-level <level>', 'log level (default: info)').choices(LOG_LEVELS as string[]))
    .option('--oscillators <n>', 'local Kuramoto oscillators (default: 4096)')
    .option('--ban-ms <ms>', 'ban duration for misbehaving peers, ms (default: 86400000)')
    .option('--config <file>', 'JSON config file; command-line options override it');
}

const OPTION_KEYS: Record<string, keyof NodeConfig> = {
  network: 'network',
  host: 'host',
  port: 'port',
  apiHost: 'apiHost',
  apiPort: 'apiPort',
  dataDir: 'dataDir',
  seed: 'seeds',
  mine: 'mine',
  minerAddress: 'minerAddress',
  maxPeers: 'maxPeers',
  gossip: 'gossip',
  logLevel: 'logLevel',
  oscillators: 'oscillators',
  banMs: 'banMs',
};

/** Only options the user actually typed, so a config file is not overridden by commander's implicit defaults. */
export function cliInput(cmd: Command): ConfigInput {
  const opts = cmd.opts<Record<string, unknown>>();
  const input: ConfigInput = {};
  for (const [opt, key] of Object.entries(OPTION_KEYS)) {
    if (opts[opt] !== undefined && cmd.getOptionValueSource(opt) === 'cli') input[key] = opts[opt];
  }
  return input;
}

/** Parses the node command's options into a validated NodeConfig (no side effects). */
export function configFromCommand(cmd: Command): NodeConfig {
  const path = cmd.opts<{ config?: string }>().config;
  return resolveConfig(cliInput(cmd), path ? loadConfigFile(path) : {});
}

export interface NodeFactory {
  create(config: NodeConfig, opts: { logger: Logger }): Promise<RunnableNode>;
}

async function loadFactory(): Promise<NodeFactory> {
  // loaded on demand: option parsing and the wallet/status commands never pay for the node's imports
  const { BloomNode } = await import('./node.js');
  return BloomNode;
}

interface Running {
  node: RunnableNode;
  api: ApiServer;
  config: NodeConfig;
  stopWatch: () => void;
}

async function launch(config: NodeConfig, logger: Logger, factory: NodeFactory, progress: boolean): Promise<Running> {
  mkdirSync(config.dataDir, { recursive: true });
  if (config.mine && !config.minerAddress) config.minerAddress = defaultKey(config.dataDir).address;
  const node = await factory.create(config, { logger });
  await node.start();
  let api: ApiServer;
  try {
    api = await startApi(node, { host: config.apiHost, port: config.apiPort, logger, metrics: createMetrics(node) });
  } catch (e) {
    await node.stop();
    throw new InputError('API_LISTEN', `--api-port: cannot listen on ${config.apiHost}:${config.apiPort}: ${(e as Error).message}`);
  }
  const stopWatch = progress ? watchSync(node, new SyncProgressReporter({ logger })) : () => {};
  return { node, api, config, stopWatch };
}

async function shutdown(all: Running[], logger: Logger): Promise<void> {
  for (const r of [...all].reverse()) {
    r.stopWatch();
    await r.api.close();
    await r.node.stop();
  }
  logger.info('stopped cleanly');
}

/** SIGINT/SIGTERM → one clean shutdown then exit 0; a second signal or a stuck shutdown exits 1. */
function onSignals(stop: () => Promise<void>, logger: Logger, io: Io): void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals): void => {
    if (stopping) {
      io.err(`${sig} again: exiting without a clean shutdown`);
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal: sig }, 'shutting down');
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
}

function flushAndExit(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
  setTimeout(() => process.exit(code), 500).unref();
}

function banner(io: Io, r: Running, label = 'BloomCoin node'): void {
  const s = r.node.status();
  io.err(`${label} (${r.config.network}) v${VERSION} running`);
  io.err(`  API        ${r.api.url}   dashboard ${r.api.url}/   metrics ${r.api.url}/metrics`);
  io.err(`  P2P        ${s.listen ?? `${r.config.host}:${r.config.port}`}`);
  io.err(`  data dir   ${r.config.dataDir}`);
  io.err(`  mining     ${r.config.mine ? `yes, paying ${r.config.minerAddress}` : 'no'}`);
}

export interface ProgramOptions {
  io?: Io;
  /** Replaces src/node.ts's BloomNode (tests). */
  factory?: NodeFactory;
}

export function buildProgram(popts: ProgramOptions = {}): Command {
  const io = popts.io ?? stdio;
  const factory = (): Promise<NodeFactory> => (popts.factory ? Promise.resolve(popts.factory) : loadFactory());
  const program = new Command('bloomcoin')
    .description('BloomCoin node: P2P network, phase gossip, Kuramoto coherence mining')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride() // before .command(): subcommands copy it
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  addNodeOptions(program.command('node').description('run a node (defaults: devnet, mining, API on 127.0.0.1:17619)')).action(
    async (_o, cmd: Command) => {
      const config = configFromCommand(cmd);
      const logger = createLogger({ level: config.logLevel });
      const running = await launch(config, logger, await factory(), true);
      banner(io, running);
      logger.info({ api: running.api.url, dataDir: config.dataDir, network: config.network }, 'node ready');
      onSignals(() => shutdown([running], logger), logger, io);
    },
  );

  program
    .command('devnet')
    .description('start K linked devnet nodes in this process (P2P and API on consecutive ports)')
    .option('--nodes <k>', 'number of nodes, 1 to 16', '3')
    .option('--port <port>', 'first P2P port; node i uses port+2i (P2P) and port+2i+1 (API); 0 = any free ports', '17618')
    .option('--data-dir <dir>', 'parent of node0 … nodeK-1 (default: a new temp dir)')
    .option('--oscillators <n>', 'oscillators per node', '1024')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS as string[]).default('info'))
    .action(async (o: { nodes: string; port: string; dataDir?: string; oscillators: string; logLevel: string }) => {
      const k = parseIntOption(o.nodes, 'nodes', 1, 16);
      // --port 0: every node on ephemeral ports (tests); seeds come from the ports actually bound
      const base = parseIntOption(o.port, 'port', 0, 65535 - 2 * k);
      const dir = o.dataDir ? resolve(o.dataDir) : mkdtempSync(join(tmpdir(), 'bloomcoin-devnet-'));
      const logger = createLogger({ level: o.logLevel as NodeConfig['logLevel'] });
      const f = await factory();
      const all: Running[] = [];
      onSignals(() => shutdown(all, logger), logger, io);
      try {
        for (let i = 0; i < k; i++) {
          // each node dials the first and the previous one: a connected graph with no single hub
          const seeds = [...new Set([all[0], all[i - 1]].filter((r): r is Running => r !== undefined))].map(
            (r) => r.node.status().listen ?? `127.0.0.1:${r.config.port}`,
          );
          const config = resolveConfig({
            network: 'devnet',
            host: '127.0.0.1',
            port: base && base + 2 * i,
            apiPort: base && base + 2 * i + 1,
            dataDir: join(dir, `node${i}`),
            seeds,
            oscillators: o.oscillators,
            logLevel: o.logLevel,
          });
          all.push(await launch(config, logger.child({ node: i }), f, false));
        }
      } catch (e) {
        await shutdown(all, logger); // do not leave the first nodes running when a later one fails
        throw e;
      }
      io.err(`devnet of ${k} nodes, data under ${dir}`);
      for (const [i, r] of all.entries()) io.err(`  node${i}  P2P ${r.node.status().listen ?? r.config.port}  API ${r.api.url}`);
      io.err('Ctrl-C stops all nodes.');
    });

  program
    .command('status')
    .description("print a running node's status (reads its HTTP API)")
    .option('--api <host:port>', 'node API address (default: 127.0.0.1:17619, or 7619 with --network mainnet)')
    .addOption(new Option('--network <name>', 'picks the default API port').choices(NETWORKS as string[]).default('devnet'))
    .option('--json', 'print the raw JSON')
    .action(async (o: { api?: string; network: NetworkName; json?: boolean }) => {
      const base = apiBase(o.api, o.network);
      const s = (await apiGet(base, '/status')) as StatusJson;
      if (o.json) io.out(JSON.stringify(s, null, 2));
      else for (const l of formatStatus(s)) io.out(l);
    });

  const wallet = program.command('wallet').description('keys in <data-dir>/wallet.json; balances and payments over the API');
  const walletOpts = (c: Command): Command =>
    c
      .addOption(new Option('--network <name>', 'network (default: devnet)').choices(NETWORKS as string[]).default('devnet'))
      .option('--data-dir <dir>', 'wallet directory (default: ./.bloomcoin/<network>)')
      .option('--api <host:port>', 'node API address (default: 127.0.0.1:17619 devnet, 7619 mainnet)');
  const dataDirOf = (o: { network: NetworkName; dataDir?: string }): string => resolve(o.dataDir ?? defaultConfig(parseNetwork(o.network)).dataDir);

  walletOpts(wallet.command('new').description('create a key and print its address')).action((o: { network: NetworkName; dataDir?: string }) => {
    const k = newKey(dataDirOf(o));
    io.out(k.address);
  });

  walletOpts(wallet.command('balance').description('balances of an address or of every wallet key').argument('[address]')).action(
    async (address: string | undefined, o: { network: NetworkName; dataDir?: string; api?: string }) => {
      const addrs = address ? [address] : loadWallet(dataDirOf(o)).map((k) => k.address);
      if (addrs.length === 0) throw new InputError('WALLET_EMPTY', 'no keys in the wallet; run "bloomcoin wallet new"');
      const base = apiBase(o.api, o.network);
      for (const a of addrs) {
        if (!/^[0-9a-fA-F]{40}$/.test(a)) throw new InputError('BAD_ADDRESS', `address: expected 40 hex digits, got "${a}"`);
        const acc = (await apiGet(base, `/accounts/${a}`)) as { balance: string; nonce: string };
        io.out(`${a}  ${formatAmount(BigInt(acc.balance))} BLOOM  (nonce ${acc.nonce})`);
      }
    },
  );

  walletOpts(
    wallet
      .command('send')
      .description('sign a payment with a wallet key and submit it to the node')
      .requiredOption('--to <address>', 'recipient address (40 hex digits)')
      .requiredOption('--amount <bloom>', 'amount in BLOOM, up to 8 decimals')
      .option('--fee <bloom>', 'fee in BLOOM', '0.0001')
      .option('--from <address>', 'sending wallet key (default: the first)'),
  ).action(async (o: { network: NetworkName; dataDir?: string; api?: string; to: string; amount: string; fee: string; from?: string }) => {
    const key = findKey(dataDirOf(o), o.from);
    const amount = parseAmount(o.amount, 'amount');
    const fee = parseAmount(o.fee, 'fee');
    const base = apiBase(o.api, o.network);
    const status = (await apiGet(base, '/status')) as StatusJson;
    const magic = PROFILES[parseNetwork(status.network)].magic;
    const acc = (await apiGet(base, `/accounts/${key.address}`)) as { nonce: string };
    // transactions of ours still in the mempool have taken the next nonces
    const pool = (await apiGet(base, '/mempool')) as { txs: Array<{ fromAddress: string; nonce: string }> };
    let nonce = BigInt(acc.nonce);
    for (const t of pool.txs) if (t.fromAddress === key.address && BigInt(t.nonce) >= nonce) nonce = BigInt(t.nonce) + 1n;
    const { bytes } = buildSignedTx(key, { to: o.to, amount, fee, nonce }, magic);
    const res = (await apiPost(base, '/tx', { hex: Buffer.from(bytes).toString('hex') })) as { txid: string; accepted: boolean };
    io.out(`${res.accepted ? 'sent' : 'already known'} ${res.txid}  ${formatAmount(amount)} BLOOM to ${o.to} (fee ${formatAmount(fee)}, nonce ${nonce})`);
  });

  return program;
}

export interface StatusJson {
  network: string;
  version: string;
  height: number;
  tipHash: string;
  peers: number;
  coherence: { r: number; psi: number };
  coherenceRounds: number;
  networkCoherence: number;
  mining: boolean;
  syncing: boolean;
  sync: { headers: number; blocks: number; targetHeight: number; rate: number; etaSec: number | null };
  uptimeSec: number;
  listen?: string;
}

export function formatStatus(s: StatusJson): string[] {
  return [
    `network    ${s.network}  (node v${s.version})`,
    `height     ${s.height}  tip ${s.tipHash}`,
    `peers      ${s.peers}${s.listen ? `  listening on ${s.listen}` : ''}`,
    `coherence  r=${s.coherence.r.toFixed(4)} psi=${s.coherence.psi.toFixed(3)}  rounds above Z_C ${s.coherenceRounds}  network r=${s.networkCoherence.toFixed(4)}`,
    `mining     ${s.mining ? 'yes' : 'no'}`,
    `sync       ${s.syncing ? `syncing ${s.sync.blocks}/${s.sync.targetHeight} blocks, headers ${s.sync.headers}, ${s.sync.rate.toFixed(1)} blk/s` : 'in sync'}`,
    `uptime     ${formatEta(s.uptimeSec)}`,
  ];
}

/** "host:port" or "[v6]:port" → base URL; default the network's API port on loopback. */
export function apiBase(api: string | undefined, network: NetworkName = 'devnet'): string {
  if (api === undefined) return `http://127.0.0.1:${PROFILES[network].apiPort}`;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(api);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new InputError('BAD_API', `--api: expected host:port, got "${api}"`);
  return `http://${m[1]}:${m[2]}`;
}

async function apiFetch(base: string, path: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new InputError('API_UNREACHABLE', `cannot reach the node API at ${base}: ${cause} (is the node running? see --api)`);
  }
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) throw new InputError(body.error?.code ?? `HTTP_${res.status}`, `${path}: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return body;
}

const apiGet = (base: string, path: string): Promise<unknown> => apiFetch(base, path);
const apiPost = (base: string, path: string, json: unknown): Promise<unknown> =>
  apiFetch(base, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });

/** Runs the program; commander and InputError failures print one clear line and set exit code 1. */
export async function main(argv: string[] = process.argv, popts: ProgramOptions = {}): Promise<number> {
  const io = popts.io ?? stdio;
  const program = buildProgram(popts);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its message
    if (e instanceof BloomError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    io.err(`error: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

function isEntry(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  main().then((code) => {
    if (code === 0) return;
    process.exitCode = code;
    // a failed start may leave sockets open: exit anyway once stderr has drained
    setTimeout(() => process.exit(code), 200).unref();
  });
}
