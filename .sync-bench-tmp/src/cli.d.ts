#!/usr/bin/env node
import { Command } from 'commander';
import { type NetworkName } from './constants.js';
import { type Logger } from './log.js';
import { type ConfigInput, type NodeConfig } from './config.js';
import type { NodeView } from './api/types.js';
export declare const VERSION: string;
/** What the CLI needs of a node: NodeView plus a lifecycle (src/node.ts's BloomNode). */
export interface RunnableNode extends NodeView {
    start(): Promise<void>;
    stop(): Promise<void>;
}
export interface Io {
    out(line: string): void;
    err(line: string): void;
}
/** Only options the user actually typed, so a config file is not overridden by commander's implicit defaults. */
export declare function cliInput(cmd: Command): ConfigInput;
/** Parses the node command's options into a validated NodeConfig (no side effects). */
export declare function configFromCommand(cmd: Command): NodeConfig;
export interface NodeFactory {
    create(config: NodeConfig, opts: {
        logger: Logger;
    }): Promise<RunnableNode>;
}
export interface ProgramOptions {
    io?: Io;
    /** Replaces src/node.ts's BloomNode (tests). */
    factory?: NodeFactory;
}
export declare function buildProgram(popts?: ProgramOptions): Command;
export interface StatusJson {
    network: string;
    version: string;
    height: number;
    tipHash: string;
    peers: number;
    coherence: {
        r: number;
        psi: number;
    };
    coherenceRounds: number;
    networkCoherence: number;
    mining: boolean;
    syncing: boolean;
    sync: {
        headers: number;
        blocks: number;
        targetHeight: number;
        rate: number;
        etaSec: number | null;
    };
    uptimeSec: number;
    listen?: string;
}
export declare function formatStatus(s: StatusJson): string[];
/** "host:port" or "[v6]:port" → base URL; default the network's API port on loopback. */
export declare function apiBase(api: string | undefined, network?: NetworkName): string;
/** Runs the program; commander and InputError failures print one clear line and set exit code 1. */
export declare function main(argv?: string[], popts?: ProgramOptions): Promise<number>;
