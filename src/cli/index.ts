// The `bloomcoin` program: one file per command beside this one (commander). Docs: docs/operations.md.
import { Command, CommanderError } from 'commander';
import { BloomError } from '../errors.js';
import { devnetCommand } from './devnet.js';
import { exitCodeOf } from './exit.js';
import { generateCommand } from './generate.js';
import { stdio, type Io } from './io.js';
import { loadFactory, type NodeFactory } from './launch.js';
import { VERSION } from '../paths.js';
import { nodeCommand } from './node.js';
import { statusCommand } from './status.js';
import { walletCommand } from './wallet.js';
import { stopCommand } from './stop.js';
import { apiAuthCommand, configCommand } from './show-config.js';

export { apiBase } from '../api/client.js';
export { formatStatus } from './status.js';
export { cliInput, configFromCommand } from './options.js';
export { type NodeFactory, type RunnableNode } from './launch.js';
export { VERSION } from '../paths.js';
export type { Io } from './io.js';
export type { StatusJson } from '../api/types.js';

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
    .exitOverride() // before .command(): subcommands copy it
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      // commander's own errors in the node's style: one line, "error: …", with where to look
      outputError: (s, write) => write(`${s.trim().replace(/\s*\n\s*/g, ' ')} (run with --help for usage)\n`),
    });
  nodeCommand(program, io, factory);
  devnetCommand(program, io, factory);
  statusCommand(program, io);
  walletCommand(program, io);
  generateCommand(program, io);
  stopCommand(program, io);
  configCommand(program, io);
  apiAuthCommand(program, io);
  return program;
}

/** Runs the program; every failure prints one line, "error: …", and returns its exit code (src/cli/exit.ts). */
export async function main(argv: string[] = process.argv, popts: ProgramOptions = {}): Promise<number> {
  const io = popts.io ?? stdio;
  const program = buildProgram(popts);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    const code = exitCodeOf(e);
    if (e instanceof BloomError) io.err(`error: ${e.message}`);
    else if (!(e instanceof CommanderError)) io.err(`error: ${(e as Error).stack ?? String(e)}`); // commander printed its own
    return code;
  }
}
