// `bloomcoin stop`: asks the running node to stop cleanly over its API (bitcoin-cli stop), authenticated by the
// data dir's cookie, then waits until it has let go of the data dir.
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { parseIntOption } from '../config.js';
import { holderPid } from './datadir.js';
import { clientOptions, connect } from './connect.js';
import type { Io } from './io.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function stopCommand(program: Command, io: Io): void {
  clientOptions(program.command('stop').description('stop a running node cleanly (over its API, with the cookie in its data dir)'))
    .option('--timeout <s>', 'seconds to wait for the node to finish stopping (0 = do not wait)', '30')
    .action(async (o: { timeout: string }, cmd: Command) => {
      const timeout = parseIntOption(o.timeout, 'timeout', 0, 3600);
      const { effective, client } = connect(cmd);
      const dir = effective.config.dataDir;
      const pid = holderPid(dir);
      await client.stop();
      io.err(`stopping the node at ${client.base}${pid ? ` (pid ${pid})` : ''}`);
      if (timeout === 0) return;
      // done when the API no longer answers and (for a node on this data dir) its pid file is gone
      const end = Date.now() + timeout * 1000;
      for (;;) {
        const apiUp = await client.status().then(
          () => true,
          (e: unknown) => (e as InputError).code !== 'api-unreachable',
        );
        if (!apiUp && (pid === undefined || holderPid(dir) === undefined)) break;
        if (Date.now() > end) throw new InputError('stop-timeout', `the node at ${client.base} is still stopping after ${timeout} s: see its log, or wait longer with --timeout`);
        await sleep(200);
      }
      io.out('stopped');
    });
}
