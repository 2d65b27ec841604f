// The node options shared by `node` (and read by `config`), and how typed options become a NodeConfig.
import { Command, Option } from 'commander';
import { GOSSIP_STRATEGIES, LOG_LEVELS, NETWORKS, loadConfigFile, resolveConfig, type ConfigInput, type NodeConfig } from '../config.js';
import { InputError } from '../errors.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Node options of `bloomcoin node`. */
export function addNodeOptions(cmd: Command): Command {
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
    .option('--log-file <file>', 'write JSON log lines to this file (reopened on SIGHUP, for logrotate)')
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
  logFile: 'logFile',
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
  const cli = cliInput(cmd);
  resolveConfig(cli); // a bad flag is named as the flag
  const file = path ? loadConfigFile(path) : {};
  if (path) {
    try {
      resolveConfig({ network: cli.network }, file);
    } catch (e) {
      throw inFile(e, path);
    }
  }
  return resolveConfig(cli, file);
}

const KEY_OF_OPTION: Record<string, string> = Object.fromEntries(
  Object.entries(OPTION_KEYS).map(([opt, key]) => [opt.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), key]),
);

/** "--port: expected …" from a value in the file → "config file F: key \"port\": expected …". */
function inFile(e: unknown, path: string): unknown {
  if (!(e instanceof InputError)) return e;
  const m = /^--([a-z-]+): (.*)$/s.exec(e.message);
  if (!m) return e;
  return new InputError(e.code, `config file ${path}: key "${KEY_OF_OPTION[m[1]!] ?? m[1]}": ${m[2]}`);
}
