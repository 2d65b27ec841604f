import { type NetworkName } from './constants.js';
import type { LogLevel } from './log.js';
export type GossipStrategy = 'eager' | 'threshold' | 'bloom';
export declare const GOSSIP_STRATEGIES: readonly GossipStrategy[];
export declare const LOG_LEVELS: readonly LogLevel[];
export declare const NETWORKS: readonly NetworkName[];
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
}
/** The options the CLI or a config file may set (strings from argv, typed values from JSON). */
export type ConfigInput = {
    [K in keyof NodeConfig]?: unknown;
};
export declare function defaultConfig(network?: NetworkName): NodeConfig;
/** Reads a JSON object of NodeConfig keys; unknown keys are refused so typos do not pass silently. */
export declare function loadConfigFile(path: string): ConfigInput;
/** Merges defaults(network) < file < cli and validates every field; throws InputError naming the option. */
export declare function resolveConfig(cli?: ConfigInput, file?: ConfigInput): NodeConfig;
export declare function parseNetwork(v: unknown): NetworkName;
/** Integer in [min, max]; accepts a number or a decimal string (argv). */
export declare function parseIntOption(v: unknown, option: string, min: number, max: number): number;
export declare function parsePort(v: unknown, option: string): number;
/** An IPv4/IPv6 literal (brackets allowed) or a DNS name. */
export declare function parseHost(v: unknown, option: string): string;
/** "host:port", "[v6]:port", or a bare host/[v6] (then the network's P2P port). */
export declare function parseSeed(s: string, defaultPort: number): SeedAddr;
export declare function parseAddress(v: unknown, option: string): string;
