// `bloomcoin node`: one node with its API until a signal or `bloomcoin stop` stops it.
import type { Command } from 'commander';
import { createLogger, reopenLogFile } from '../log.js';
import type { Io } from './io.js';
import { banner, launch, onSignals, shutdown, type NodeFactory } from './launch.js';
import { addNodeOptions, configFromCommand } from './options.js';

export function nodeCommand(program: Command, io: Io, factory: () => Promise<NodeFactory>): void {
  addNodeOptions(program.command('node').description('run a node (defaults: devnet, mining, API on 127.0.0.1:17619)')).action(
    async (_o, cmd: Command) => {
      const config = configFromCommand(cmd);
      const logger = createLogger({ level: config.logLevel, file: config.logFile });
      let stop = (): void => {};
      const hupWhileStarting = (): void => {}; // a SIGHUP while the store opens must not kill either
      process.on('SIGHUP', hupWhileStarting);
      const running = await launch(config, logger, await factory(), true, { onStop: () => stop() }).finally(() => process.off('SIGHUP', hupWhileStarting));
      banner(io, running);
      logger.info({ api: running.api.url, dataDir: config.dataDir, network: config.network }, 'node ready');
      stop = onSignals(() => shutdown([running], logger), logger, io, () => reopenLogFile(logger));
    },
  );
}
