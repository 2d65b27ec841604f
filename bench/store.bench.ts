// Store write amplification: key+value bytes handed to LevelDB by Store.write (deletes count their key)
// while connecting N devnet blocks one by one (as sync does), against the live key+value bytes left in the
// store; peak RSS sampled along the way. Target (issue 18): amplification ≤ 3×.
// CLI: npx vite-node bench/store-wa.ts [blocks]
import { rmSync } from 'node:fs';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { core, EASY, makeBlock, NOW, tempDir, type Parent } from '../test/helpers/chain.js';
import type { BenchCtx } from './lib.js';

export interface StoreWa {
  kernel: string;
  size: number;
  impl: string;
  blocks: number;
  written: number;
  live: number;
  amplification: number;
  blocksPerSec: number;
  rssPeakMB: number;
  heapMB: number;
}

export async function storeWriteAmplification(n: number): Promise<StoreWa> {
  const { dir } = tempDir();
  const chain = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW + n * 5000 });
  try {
    const g = genesisBlock(core, EASY);
    let p: Parent = { hash: g.hash, header: g.header };
    let peak = process.memoryUsage().rss;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const bits = await chain.atTip((_tip, childBits) => childBits);
      const b = makeBlock(p, { spacing: 4000, header: { bits } });
      const r = await chain.addBlock(b.bytes);
      if (r.status !== 'connected') throw new Error(`block ${i}: ${r.status} ${r.code ?? ''}`);
      p = b;
      if (i % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const ms = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().rss);
    let live = 0;
    for await (const [k, v] of chain.store.db.iterator()) live += k.length + v.length;
    const written = chain.store.bytesWritten;
    return {
      kernel: 'store write amplification',
      size: n,
      impl: 'classic-level, one addBlock per block (format 3 index)',
      blocks: n,
      written,
      live,
      amplification: +(written / live).toFixed(2),
      blocksPerSec: Math.round((n * 1000) / ms),
      rssPeakMB: Math.round(peak / 2 ** 20),
      heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    };
  } finally {
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function storeBench(ctx: BenchCtx): Promise<object[]> {
  return [await storeWriteAmplification(ctx.quick ? 1000 : 5000)];
}
