// The node options shared by `node` and `config`, and how flags, BLOOMCOIN_* variables and the config file become a NodeConfig.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { GOSSIP_STRATEGIES } from '../gossip/strategy.js';
import { RELAY_MODES } from '../gossip/aggregate.js';
import {
  CONFIG_FILE,
  CONFIG_KEYS,
  LOG_LEVELS,
  NETWORKS,
  OPTION_OF,
  envInput,
  envName,
  expandHome,
  loadConfigFile,
  resolveSourced,
  type ConfigInput,
  type NodeConfig,
  type Origin,
  type Resolved,
} from '../config.js';
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
    .option('--data-dir <dir>', 'store, wallet and config directory (default: ~/.bloomcoin/<network>)')
    .option('--seed <host:port>', 'peer to connect to, repeatable; IPv6 as [addr]:port', collect)
    .option('--no-mine', 'do not mine (default: mine)')
    .option('--miner-address <addr>', 'address credited with mined blocks (default: first wallet key)')
    .option('--max-peers <n>', 'peer limit (default: 8)')
    .addOption(new Option('--gossip <strategy>', 'phase gossip strategy (default: bloom)').choices(GOSSIP_STRATEGIES as string[]))
    .addOption(new Option('--relay <mode>', 'PHASE relay: aggregate (one merge per round to 6 peers) or flood (seed 2.6) (default: aggregate)').choices(RELAY_MODES as string[]))
    .addOption(new Option('--log-level <level>', 'log level (default: info)').choices(LOG_LEVELS as string[]))
    .option('--oscillators <n>', 'local Kuramoto oscillators (default: 4096)')
    .option('--log-file <file>', 'write JSON log lines to this file (reopened on SIGHUP, for logrotate)')
    .option('--ban-ms <ms>', 'ban duration for misbehaving peers, ms (default: 86400000)')
    .option('--api-auth <user:salt$hmac>', 'API credential (bloomcoin api-auth <user> prints one); required for a non-loopback --api-host')
    .option('--config <file>', 'JSON config file (default: <data-dir>/bloomcoin.json if present); environment and flags override it');
}

const OPTION_KEYS: Record<string, keyof NodeConfig> = Object.fromEntries(
  CONFIG_KEYS.map((k) => [OPTION_OF[k].replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), k]),
);

/** Only options the user actually typed, so a config file is not overridden by commander's implicit defaults. */
export function cliInput(cmd: Command): ConfigInput {
  const opts = cmd.opts<Record<string, unknown>>();
  const input: ConfigInput = {};
  for (const [opt, key] of Object.entries(OPTION_KEYS)) {
    if (opts[opt] !== undefined && cmd.getOptionValueSource(opt) === 'cli') input[key] = opts[opt];
  }
  return input;
}

export interface Effective extends Resolved {
  /** The config file consulted: --config, BLOOMCOIN_CONFIG, or <data-dir>/bloomcoin.json. */
  file: { path: string; found: boolean; origin: Origin };
}

/**
 * Flags > BLOOMCOIN_* environment > config file > defaults. The file is --config (or BLOOMCOIN_CONFIG) when given,
 * else <data-dir>/bloomcoin.json if present, the data dir found from flags, environment and defaults.
 */
export function effectiveConfig(cli: ConfigInput, explicitFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Effective {
  const envIn = envInput(env);
  const envFile = env[envName('config')]?.trim() || undefined;
  const explicit = explicitFile ?? envFile;
  if (explicit !== undefined) {
    const path = resolve(expandHome(explicit));
    const file = loadConfigFile(path);
    const origin: Origin = explicitFile !== undefined ? { source: 'flag', name: '--config' } : { source: 'env', name: envName('config') };
    return { ...resolveSourced({ cli, env: envIn, file, filePath: path }), file: { path, found: true, origin } };
  }
  const pre = resolveSourced({ cli, env: envIn });
  const path = join(pre.config.dataDir, CONFIG_FILE);
  const origin: Origin = { source: 'default', name: '' };
  if (!existsSync(path)) return { ...pre, file: { path, found: false, origin } };
  const file = loadConfigFile(path);
  // the file was found through the data dir and network: it may repeat them, not move them
  for (const k of ['dataDir', 'network'] as const) {
    if (file[k] === undefined) continue;
    const v = k === 'dataDir' && typeof file[k] === 'string' ? resolve(dirname(path), expandHome(file[k] as string)) : file[k];
    if (v !== pre.config[k]) {
      throw new InputError(
        'config-data-dir-moved',
        `config file ${path}: key "${k}": ${JSON.stringify(file[k])} differs from the ${k === 'dataDir' ? 'data dir' : 'network'} the file was found in; set it with --${OPTION_OF[k]} or ${envName(OPTION_OF[k])}, or use --config`,
      );
    }
  }
  return { ...resolveSourced({ cli, env: envIn, file, filePath: path }), file: { path, found: true, origin } };
}

/** The effective configuration of a command's typed options (no side effects). */
export function effectiveOf(cmd: Command, env: NodeJS.ProcessEnv = process.env): Effective {
  return effectiveConfig(cliInput(cmd), cmd.opts<{ config?: string }>().config, env);
}

/** Parses the node command's options into a validated NodeConfig (no side effects). */
export function configFromCommand(cmd: Command, env: NodeJS.ProcessEnv = process.env): NodeConfig {
  return effectiveOf(cmd, env).config;
}
