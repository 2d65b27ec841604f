// Write amplification of the chain store: key+value bytes written by Store.write while connecting N
// devnet blocks one by one (as sync does), against the live key+value bytes left in the store.
// Run: npx vite-node bench/store-wa.ts [blocks]
import { rmSync } from 'node:fs';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { core, EASY, makeBlock, NOW, tempDir, type Parent } from '../test/helpers/chain.js';

const n = Number(process.argv[2] ?? 3000);
const { dir } = tempDir();
const chain = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW + n * 5000 });
const g = genesisBlock(core, EASY);
let p: Parent = { hash: g.hash, header: g.header };
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const bits = await chain.atTip((_tip, childBits) => childBits);
  const b = makeBlock(p, { spacing: 4000, header: { bits } });
  const r = await chain.addBlock(b.bytes);
  if (r.status !== 'connected') throw new Error(`block ${i}: ${r.status} ${r.code ?? ''}`);
  p = b;
}
const ms = performance.now() - t0;
let live = 0;
for await (const [k, v] of chain.store.db.iterator()) live += k.length + v.length;
const written = chain.store.bytesWritten;
const mem = process.memoryUsage();
console.log(JSON.stringify({ blocks: n, written, live, amplification: +(written / live).toFixed(2), blocksPerSec: Math.round((n * 1000) / ms), rssMB: Math.round(mem.rss / 2 ** 20), heapMB: Math.round(mem.heapUsed / 2 ** 20) }));
await chain.close();
rmSync(dir, { recursive: true, force: true });
