// Node configuration: defaults < JSON config file < BLOOMCOIN_* environment < command line, validated into
// one NodeConfig with where each value came from (docs/operations.md; anchors: bitcoind's bitcoin.conf in the
// data dir, twelve-factor environment variables).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_BAN_MS, DEFAULT_MAX_PEERS, PROFILES, type NetworkName } from './constants.js';
import { InputError, type ErrorCode } from './errors.js';
import { DEFAULT_RELAY, RELAY_MODES, type RelayMode } from './gossip/aggregate.js';
import type { LogLevel } from './log.js';
import { GOSSIP_STRATEGIES, type GossipStrategy } from './gossip/strategy.js';

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export const NETWORKS: readonly NetworkName[] = ['mainnet', 'devnet'];

export interface SeedAddr {
  host: string;
  port: number;
}

export interface NodeConfig {
  network: NetworkName;
  /** P2P bind address. */
  host: string;
  /** P2P port (0 = ephemeral). */
  port: number;
  /** HTTP API bind address; loopback by default. */
  apiHost: string;
  /** HTTP API port (0 = ephemeral). */
  apiPort: number;
  /** Absolute path of the store and wallet directory. */
  dataDir: string;
  seeds: SeedAddr[];
  mine: boolean;
  maxPeers: number;
  gossip: GossipStrategy;
  /** PHASE relay: one aggregate per round to a mesh (default) or the seed's flood (docs/gossip.md). */
  relay: RelayMode;
  logLevel: LogLevel;
  /** Local Kuramoto oscillators of the miner. */
  oscillators: number;
  /** How long a banned address stays banned, ms. */
  banMs: number;
  /** 40-hex address credited with mined blocks; the CLI fills it from the wallet when absent. */
  minerAddress?: string;
  /** Log file (JSON lines) instead of stdout; reopened on SIGHUP. */
  logFile?: string;
  /** API credential `user:salt$hmac` (bitcoind's rpcauth format); required to bind the API beyond loopback. */
  apiAuth?: string;
}

/** The options the CLI or a config file may set (strings from argv, typed values from JSON). */
export type ConfigInput = { [K in keyof NodeConfig]?: unknown };

const MIN_OSCILLATORS = 64; // a certificate carries 64 phases
const MAX_OSCILLATORS = 1 << 20;
const MAX_MAX_PEERS = 1024;

export function defaultConfig(network: NetworkName = 'devnet'): NodeConfig {
  const p = PROFILES[network];
  return {
    network,
    host: '0.0.0.0',
    port: p.p2pPort,
    apiHost: '127.0.0.1',
    apiPort: p.apiPort,
    dataDir: defaultDataDir(network),
    seeds: [],
    mine: true,
    maxPeers: DEFAULT_MAX_PEERS,
    gossip: 'bloom',
    relay: DEFAULT_RELAY,
    logLevel: 'info',
    oscillators: p.oscillators,
    banMs: DEFAULT_BAN_MS,
  };
}

/** `~/.bloomcoin/<network>`: the same place from any working directory (bitcoind's ~/.bitcoin, geth's ~/.ethereum). */
export function defaultDataDir(network: NetworkName): string {
  return join(homedir(), '.bloomcoin', network);
}

/** The config file read from the data dir when no --config / BLOOMCOIN_CONFIG names one. */
export const CONFIG_FILE = 'bloomcoin.json';
export const ENV_PREFIX = 'BLOOMCOIN_';

/** The command-line option of each config key (the env variable is BLOOMCOIN_ + its name in SCREAMING_SNAKE). */
export const OPTION_OF: Readonly<Record<keyof NodeConfig, string>> = {
  network: 'network',
  host: 'host',
  port: 'port',
  apiHost: 'api-host',
  apiPort: 'api-port',
  dataDir: 'data-dir',
  seeds: 'seed',
  mine: 'mine',
  maxPeers: 'max-peers',
  gossip: 'gossip',
  relay: 'relay',
  logLevel: 'log-level',
  oscillators: 'oscillators',
  banMs: 'ban-ms',
  minerAddress: 'miner-address',
  logFile: 'log-file',
  apiAuth: 'api-auth',
};
export const CONFIG_KEYS = Object.keys(OPTION_OF) as (keyof NodeConfig)[];

export const envName = (option: string): string => ENV_PREFIX + option.toUpperCase().replace(/-/g, '_');

/** Where a value came from, as `bloomcoin config` shows it. */
export type Source = 'flag' | 'env' | 'file' | 'default';
export interface Origin {
  source: Source;
  /** `--port`, `BLOOMCOIN_PORT`, the file's path, or '' for a default. */
  name: string;
}

/** The BLOOMCOIN_<OPTION> variables that are set (empty counts as unset); BLOOMCOIN_SEED is a comma/space list. */
export function envInput(env: NodeJS.ProcessEnv = process.env): ConfigInput {
  const input: ConfigInput = {};
  for (const k of CONFIG_KEYS) {
    const v = env[envName(OPTION_OF[k])];
    if (v === undefined || v.trim() === '') continue;
    input[k] = k === 'seeds' ? v.split(/[\s,]+/).filter((x) => x !== '') : v;
  }
  return input;
}

const KEYS = new Set<string>(CONFIG_KEYS);

/** Reads a JSON object of NodeConfig keys; unknown keys are refused so typos do not pass silently. */
export function loadConfigFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('config-unreadable', `config file ${path}: cannot read it: ${(e as Error).message}`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new InputError('config-bad-json', `config file ${path}: not valid JSON: ${(e as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new InputError('config-bad-json', `config file ${path}: must hold a JSON object`);
  }
  for (const k of Object.keys(obj)) {
    if (!KEYS.has(k)) throw new InputError('config-unknown-key', `config file ${path}: unknown key "${k}" (keys: ${CONFIG_KEYS.join(', ')})`);
  }
  return obj as ConfigInput;
}

export interface Layers {
  cli?: ConfigInput;
  env?: ConfigInput;
  file?: ConfigInput;
  /** The file's path: named in its errors, and the base of its relative paths. */
  filePath?: string;
}

export interface Resolved {
  config: NodeConfig;
  sources: Record<keyof NodeConfig, Origin>;
}

/** Merges defaults(network) < file < env < cli and validates every field; an error names where the value came from. */
export function resolveSourced(layers: Layers): Resolved {
  const { cli = {}, env = {}, file = {}, filePath } = layers;
  const origin = (k: keyof NodeConfig): { v: unknown; o: Origin } | undefined => {
    if (cli[k] !== undefined) return { v: cli[k], o: { source: 'flag', name: `--${OPTION_OF[k]}` } };
    if (env[k] !== undefined) return { v: env[k], o: { source: 'env', name: envName(OPTION_OF[k]) } };
    if (file[k] !== undefined) return { v: file[k], o: { source: 'file', name: filePath ?? 'config file' } };
    return undefined;
  };
  const labelOf = (k: keyof NodeConfig, o: Origin): string =>
    o.source === 'flag' ? o.name : o.source === 'env' ? `environment ${o.name}` : o.source === 'file' ? `config file${filePath ? ' ' + filePath : ''}: key "${k}"` : `default ${k}`;
  const sources = {} as Record<keyof NodeConfig, Origin>;
  const get = (k: keyof NodeConfig, def: unknown): { v: unknown; label: string; base: string } => {
    const hit = origin(k);
    const o = hit?.o ?? { source: 'default' as const, name: '' };
    sources[k] = o;
    return { v: hit ? hit.v : def, label: labelOf(k, o), base: o.source === 'file' && filePath ? dirname(resolve(filePath)) : process.cwd() };
  };
  const net = get('network', 'devnet');
  const network = choiceIn(net.v, net.label, NETWORKS);
  const d = defaultConfig(network);
  const field = <T>(k: keyof NodeConfig, parse: (v: unknown, label: string) => T): T => {
    const x = get(k, d[k]);
    return parse(x.v, x.label);
  };
  const path = (x: { v: unknown; label: string; base: string }): string => resolve(x.base, expandHome(nonEmptyIn(x.v, x.label)));
  const port = (v: unknown, label: string): number => intIn(v, label, 0, 65535);
  const cfg: NodeConfig = {
    network,
    host: field('host', hostIn),
    port: field('port', port),
    apiHost: field('apiHost', hostIn),
    apiPort: field('apiPort', port),
    dataDir: path(get('dataDir', d.dataDir)),
    seeds: field('seeds', (v, label) => seedsIn(v, d.port, label)),
    mine: field('mine', boolIn),
    maxPeers: field('maxPeers', (v, label) => intIn(v, label, 0, MAX_MAX_PEERS)),
    gossip: field('gossip', (v, label) => choiceIn(v, label, GOSSIP_STRATEGIES)),
    relay: field('relay', (v, label) => choiceIn(v, label, RELAY_MODES)),
    logLevel: field('logLevel', (v, label) => choiceIn(v, label, LOG_LEVELS)),
    oscillators: field('oscillators', (v, label) => intIn(v, label, MIN_OSCILLATORS, MAX_OSCILLATORS)),
    banMs: field('banMs', (v, label) => intIn(v, label, 0, 365 * 24 * 3600 * 1000)),
  };
  const miner = get('minerAddress', undefined);
  if (miner.v !== undefined) cfg.minerAddress = addressIn(miner.v, miner.label);
  const logFile = get('logFile', undefined);
  if (logFile.v !== undefined) cfg.logFile = path(logFile);
  const auth = get('apiAuth', undefined);
  if (auth.v !== undefined) cfg.apiAuth = apiAuthIn(auth.v, auth.label);
  return { config: cfg, sources };
}

/** Merges defaults(network) < file < cli (no environment: library and test use); see resolveSourced. */
export function resolveConfig(cli: ConfigInput = {}, file: ConfigInput = {}, filePath?: string): NodeConfig {
  return resolveSourced({ cli, file, filePath }).config;
}

/** `~/x` → under the home dir (an env file or a config file gets no shell expansion). */
export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

function fail(label: string, code: ErrorCode, message: string): InputError {
  return new InputError(code, `${label}: ${message}`);
}

const RPCAUTH = /^[^\s:$]+:[0-9a-fA-F]{8,128}\$[0-9a-fA-F]{64}$/;

function apiAuthIn(v: unknown, label: string): string {
  if (typeof v !== 'string' || !RPCAUTH.test(v)) {
    throw fail(label, 'bad-api-auth', 'expected user:salt$hmac (as printed by "bloomcoin api-auth <user>")');
  }
  return v;
}

export function parseNetwork(v: unknown): NetworkName {
  return choiceIn(v, '--network', NETWORKS);
}

function choiceIn<T extends string>(v: unknown, label: string, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw fail(label, 'bad-choice', `expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Integer in [min, max]; accepts a number or a decimal string (argv). */
export function parseIntOption(v: unknown, option: string, min: number, max: number): number {
  return intIn(v, `--${option}`, min, max);
}

function intIn(v: unknown, label: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw fail(label, 'bad-integer', `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function parsePort(v: unknown, option: string): number {
  return parseIntOption(v, option, 0, 65535);
}

function boolIn(v: unknown, label: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw fail(label, 'bad-boolean', `expected true or false, got ${JSON.stringify(v)}`);
}

function nonEmptyIn(v: unknown, label: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw fail(label, 'bad-value', 'expected a non-empty string');
  return v;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An IPv4/IPv6 literal (brackets allowed) or a DNS name. */
export function parseHost(v: unknown, option: string): string {
  return hostIn(v, `--${option}`);
}

function hostIn(v: unknown, label: string): string {
  if (typeof v !== 'string') throw fail(label, 'bad-host', `expected a host, got ${JSON.stringify(v)}`);
  const h = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
  if (isIP(h) === 0 && !HOSTNAME.test(h)) throw fail(label, 'bad-host', `"${v}" is not an IP address or host name`);
  return h;
}

/** "host:port", "[v6]:port", or a bare host/[v6] (then the network's P2P port). */
export function parseSeed(s: string, defaultPort: number, label = '--seed'): SeedAddr {
  if (typeof s !== 'string' || s === '') throw fail(label, 'bad-seed', 'expected host:port');
  let host: string;
  let port: string | undefined;
  if (s.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
    if (!m) throw fail(label, 'bad-seed', `"${s}" is not [ipv6]:port`);
    if (isIP(m[1]!) !== 6) throw fail(label, 'bad-seed', `"${m[1]}" is not an IPv6 address`);
    host = m[1]!;
    port = m[2];
  } else {
    const parts = s.split(':');
    if (parts.length > 2) throw fail(label, 'bad-seed', `"${s}": put IPv6 addresses in brackets, e.g. [::1]:7618`);
    host = parts[0]!;
    port = parts[1];
    if (isIP(host) === 0 && !HOSTNAME.test(host)) throw fail(label, 'bad-seed', `"${host}" is not an IP address or host name`);
  }
  const p = port === undefined ? defaultPort : intIn(port, label, 1, 65535);
  return { host, port: p };
}

function seedsIn(v: unknown, defaultPort: number, label: string): SeedAddr[] {
  if (!Array.isArray(v)) throw fail(label, 'bad-seed', 'expected a list of host:port');
  return v.map((s: unknown) => {
    if (typeof s === 'string') return parseSeed(s, defaultPort, label);
    if (typeof s === 'object' && s !== null && 'host' in s) {
      const o = s as { host: unknown; port?: unknown };
      return { host: hostIn(o.host, label), port: o.port === undefined ? defaultPort : intIn(o.port, label, 1, 65535) };
    }
    throw fail(label, 'bad-seed', `expected host:port, got ${JSON.stringify(s)}`);
  });
}

export function parseAddress(v: unknown, option: string): string {
  return addressIn(v, `--${option}`);
}

function addressIn(v: unknown, label: string): string {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{40}$/.test(v)) {
    throw fail(label, 'bad-address', `expected a 40-hex-digit address, got ${JSON.stringify(v)}`);
  }
  return v.toLowerCase();
}
