// `bloomcoin generate --blocks N --data-dir D [--txs-per-block K]`: a valid devnet chain on demand (src/chain/generate.ts).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir, expandHome, parseIntOption } from '../config.js';
import { formatEta } from '../progress.js';
import { lockDataDir, prepareDataDir } from './datadir.js';
import type { Io } from './io.js';

export function generateCommand(program: Command, io: Io): void {
  program
    .command('generate')
    .description('build a valid devnet chain in a data dir (for tests, benchmarks, a long chain to sync)')
    .requiredOption('--blocks <n>', 'blocks to add on top of the current tip')
    .option('--data-dir <dir>', 'node data dir (default: ~/.bloomcoin/devnet)')
    .option('--txs-per-block <k>', 'signed transactions per block', '0')
    .action(async (o: { blocks: string; dataDir?: string; txsPerBlock: string }) => {
      const blocks = parseIntOption(o.blocks, 'blocks', 1, 10_000_000);
      const txsPerBlock = parseIntOption(o.txsPerBlock, 'txs-per-block', 0, 1_000);
      const dataDir = resolve(expandHome(o.dataDir ?? (process.env.BLOOMCOIN_DATA_DIR?.trim() || defaultDataDir('devnet'))));
      prepareDataDir(dataDir);
      const unlock = lockDataDir(dataDir); // a running node on the same store would corrupt it
      try {
        const { generateChain } = await import('../chain/generate.js');
        const r = await generateChain({
          dataDir,
          blocks,
          txsPerBlock,
          network: 'devnet',
          progressEvery: 1000,
          onProgress: (p) => io.err(`generate ${p.done}/${p.total} blocks, height ${p.height}, ${p.txs} txs, ${formatEta(p.ms / 1000)}`),
        });
        io.out(`height ${r.height} tip ${r.tip}: ${r.blocksAdded} blocks, ${r.txsAdded} txs in ${(r.ms / 1000).toFixed(1)} s, mined by ${r.minerAddress}`);
      } finally {
        unlock();
      }
    });
}
