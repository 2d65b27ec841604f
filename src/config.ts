// Node configuration: embedded defaults < JSON config file < command line, validated into one NodeConfig.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_BAN_MS, DEFAULT_MAX_PEERS, PROFILES, type NetworkName } from './constants.js';
import { InputError } from './errors.js';
import type { LogLevel } from './log.js';

export type GossipStrategy = 'eager' | 'threshold' | 'bloom';
export const GOSSIP_STRATEGIES: readonly GossipStrategy[] = ['eager', 'threshold', 'bloom'];
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
  logLevel: LogLevel;
  /** Local Kuramoto oscillators of the miner. */
  oscillators: number;
  /** How long a banned address stays banned, ms. */
  banMs: number;
  /** 40-hex address credited with mined blocks; the CLI fills it from the wallet when absent. */
  minerAddress?: string;
  /** Log file (JSON lines) instead of stdout; reopened on SIGHUP. */
  logFile?: string;
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
    dataDir: `./.bloomcoin/${network}`,
    seeds: [],
    mine: true,
    maxPeers: DEFAULT_MAX_PEERS,
    gossip: 'bloom',
    logLevel: 'info',
    oscillators: p.oscillators,
    banMs: DEFAULT_BAN_MS,
  };
}

const KEYS = new Set<string>(Object.keys(defaultConfig()).concat('minerAddress', 'logFile'));

/** Reads a JSON object of NodeConfig keys; unknown keys are refused so typos do not pass silently. */
export function loadConfigFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('config-unreadable', `--config: cannot read ${path}: ${(e as Error).message}`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new InputError('config-bad-json', `--config: ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new InputError('config-bad-json', `--config: ${path} must hold a JSON object`);
  }
  for (const k of Object.keys(obj)) {
    if (!KEYS.has(k)) throw new InputError('config-unknown-key', `--config: unknown key "${k}" in ${path}`);
  }
  return obj as ConfigInput;
}

/** Merges defaults(network) < file < cli and validates every field; throws InputError naming the option. */
export function resolveConfig(cli: ConfigInput = {}, file: ConfigInput = {}): NodeConfig {
  const pick = <K extends keyof NodeConfig>(k: K): unknown => (cli[k] !== undefined ? cli[k] : file[k]);
  const network = parseNetwork(pick('network') ?? 'devnet');
  const d = defaultConfig(network);
  const or = <K extends keyof NodeConfig>(k: K): unknown => pick(k) ?? d[k];
  const cfg: NodeConfig = {
    network,
    host: parseHost(or('host'), 'host'),
    port: parsePort(or('port'), 'port'),
    apiHost: parseHost(or('apiHost'), 'api-host'),
    apiPort: parsePort(or('apiPort'), 'api-port'),
    dataDir: resolve(parseNonEmpty(or('dataDir'), 'data-dir')),
    seeds: parseSeeds(or('seeds'), d.port),
    mine: parseBool(or('mine'), 'mine'),
    maxPeers: parseIntOption(or('maxPeers'), 'max-peers', 0, MAX_MAX_PEERS),
    gossip: parseChoice(or('gossip'), 'gossip', GOSSIP_STRATEGIES),
    logLevel: parseChoice(or('logLevel'), 'log-level', LOG_LEVELS),
    oscillators: parseIntOption(or('oscillators'), 'oscillators', MIN_OSCILLATORS, MAX_OSCILLATORS),
    banMs: parseIntOption(or('banMs'), 'ban-ms', 0, 365 * 24 * 3600 * 1000),
  };
  const miner = pick('minerAddress');
  if (miner !== undefined) cfg.minerAddress = parseAddress(miner, 'miner-address');
  const logFile = pick('logFile');
  if (logFile !== undefined) cfg.logFile = resolve(parseNonEmpty(logFile, 'log-file'));
  return cfg;
}

function bad(option: string, code: string, message: string): InputError {
  return new InputError(code, `--${option}: ${message}`);
}

export function parseNetwork(v: unknown): NetworkName {
  return parseChoice(v, 'network', NETWORKS);
}

function parseChoice<T extends string>(v: unknown, option: string, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw bad(option, 'bad-choice', `expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Integer in [min, max]; accepts a number or a decimal string (argv). */
export function parseIntOption(v: unknown, option: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw bad(option, 'bad-integer', `expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function parsePort(v: unknown, option: string): number {
  return parseIntOption(v, option, 0, 65535);
}

function parseBool(v: unknown, option: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw bad(option, 'bad-boolean', `expected true or false, got ${JSON.stringify(v)}`);
}

function parseNonEmpty(v: unknown, option: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw bad(option, 'bad-value', 'expected a non-empty string');
  return v;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An IPv4/IPv6 literal (brackets allowed) or a DNS name. */
export function parseHost(v: unknown, option: string): string {
  if (typeof v !== 'string') throw bad(option, 'bad-host', `expected a host, got ${JSON.stringify(v)}`);
  const h = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
  if (isIP(h) === 0 && !HOSTNAME.test(h)) throw bad(option, 'bad-host', `"${v}" is not an IP address or host name`);
  return h;
}

/** "host:port", "[v6]:port", or a bare host/[v6] (then the network's P2P port). */
export function parseSeed(s: string, defaultPort: number): SeedAddr {
  const option = 'seed';
  if (typeof s !== 'string' || s === '') throw bad(option, 'bad-seed', 'expected host:port');
  let host: string;
  let port: string | undefined;
  if (s.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
    if (!m) throw bad(option, 'bad-seed', `"${s}" is not [ipv6]:port`);
    if (isIP(m[1]!) !== 6) throw bad(option, 'bad-seed', `"${m[1]}" is not an IPv6 address`);
    host = m[1]!;
    port = m[2];
  } else {
    const parts = s.split(':');
    if (parts.length > 2) throw bad(option, 'bad-seed', `"${s}": put IPv6 addresses in brackets, e.g. [::1]:7618`);
    host = parts[0]!;
    port = parts[1];
    if (isIP(host) === 0 && !HOSTNAME.test(host)) throw bad(option, 'bad-seed', `"${host}" is not an IP address or host name`);
  }
  const p = port === undefined ? defaultPort : parseIntOption(port, option, 1, 65535);
  return { host, port: p };
}

function parseSeeds(v: unknown, defaultPort: number): SeedAddr[] {
  if (!Array.isArray(v)) throw bad('seed', 'bad-seed', 'expected a list of host:port');
  return v.map((s: unknown) => {
    if (typeof s === 'string') return parseSeed(s, defaultPort);
    if (typeof s === 'object' && s !== null && 'host' in s) {
      const o = s as { host: unknown; port?: unknown };
      return { host: parseHost(o.host, 'seed'), port: o.port === undefined ? defaultPort : parseIntOption(o.port, 'seed', 1, 65535) };
    }
    throw bad('seed', 'bad-seed', `expected host:port, got ${JSON.stringify(s)}`);
  });
}

export function parseAddress(v: unknown, option: string): string {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{40}$/.test(v)) {
    throw bad(option, 'bad-address', `expected a 40-hex-digit address, got ${JSON.stringify(v)}`);
  }
  return v.toLowerCase();
}
