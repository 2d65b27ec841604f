// `bloomcoin devnet --nodes K`: K linked devnet nodes in this process, for a demo.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { LOG_LEVELS, parseIntOption, resolveConfig, type NodeConfig } from '../config.js';
import { createLogger } from '../log.js';
import type { Io } from './io.js';
import { launch, onSignals, shutdown, type NodeFactory, type Running } from './launch.js';

export function devnetCommand(program: Command, io: Io, factory: () => Promise<NodeFactory>): void {
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
      const stop = onSignals(() => shutdown(all, logger), logger, io); // `bloomcoin stop` on any node stops them all
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
          all.push(await launch(config, logger.child({ node: i }), f, false, { onStop: stop }));
        }
      } catch (e) {
        await shutdown(all, logger); // do not leave the first nodes running when a later one fails
        throw e;
      }
      io.err(`devnet of ${k} nodes, data under ${dir}`);
      for (const [i, r] of all.entries()) io.err(`  node${i}  P2P ${r.node.status().listen ?? r.config.port}  API ${r.api.url}`);
      io.err('Ctrl-C stops all nodes.');
    });
}
