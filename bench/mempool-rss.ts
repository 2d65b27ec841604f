// Fills a mempool to its byte cap with signed 140-byte txs from many senders and prints RSS and heap per tx.
// Run: NODE_OPTIONS=--expose-gc npx vite-node bench/mempool-rss.ts [capMiB]   (docs/chain.md quotes the figure; issue 19's target is ≤ 1 KiB per tx)
// bench/mempool.bench.ts runs it in a fresh process (RSS of a process that ran other benches means little).
import { DEVNET, TX_SIZE } from '../src/constants.js';
import { toHex } from '../src/bytes.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import type { Account } from '../src/chain/types.js';
import { createReferenceCore } from '../src/core/reference.js';
import { Mempool } from '../src/mempool/mempool.js';

const capMiB = Number(process.argv[2] ?? 2);
const core = createReferenceCore();
const funded: Account = { balance: 1n << 60n, nonce: 0n };
const pool = new Mempool({ core, profile: { magic: DEVNET.magic }, accountSync: () => funded, onTip: () => undefined }, { maxBytes: capMiB << 20, subscribe: false });
// enough txs to fill the cap whatever a tx is accounted at (at least its 140 bytes)
const n = Math.floor((capMiB << 20) / TX_SIZE);
const to = new Uint8Array(20).fill(1);
// sign first (the txs themselves are not the mempool's memory), 100 txs per sender
const senders = Array.from({ length: Math.ceil(n / 100) }, (_, i) => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  return keyPairFromSeed(seed);
});
const txs: Uint8Array[] = [];
for (let i = 0; i < n; i++) txs.push(signTx(senders[Math.floor(i / 100)]!, { to, amount: 1n, fee: BigInt(1 + (i % 7)), nonce: BigInt(i % 100) }, DEVNET.magic));
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
for (const t of txs) pool.add(t);
gc?.();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    txs: pool.size,
    bytes: pool.bytes,
    memoryBytes: (pool as { memoryBytes?: number }).memoryBytes ?? pool.bytes,
    capBytes: capMiB << 20,
    rss: after.rss - before.rss,
    rssPerTx: Math.round((after.rss - before.rss) / pool.size),
    heapPerTx: Math.round((after.heapUsed - before.heapUsed) / pool.size),
    externalPerTx: Math.round((after.external - before.external) / pool.size), // external includes arrayBuffers
    gc: gc !== undefined,
    sample: toHex(txs[0]!.subarray(0, 4)),
  }),
);
