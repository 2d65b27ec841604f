// Mempool persistence: pending txs survive a restart, stale or corrupt records are dropped, the cap bounds the store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INITIAL_SUBSIDY, TX_SIZE } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { Mempool, SENDER_BYTES, SLOT_BYTES } from '../src/mempool/mempool.js';
import { keyPairFromSeed, signTx, type KeyPair } from '../src/chain/tx.js';
import { resolveConfig } from '../src/config.js';
import { BloomNode } from '../src/node.js';
import { core, makeBlock, NOW, profile, tempDir, type Made, type Parent } from './helpers/chain.js';

const key = (n: number): KeyPair => keyPairFromSeed(new Uint8Array(32).fill(n));
const alice = key(21);
const carol = key(22);
const bob = key(23);
const g = genesisBlock(core, profile);
const G: Parent = { hash: g.hash, header: g.header };
const pay = (from: KeyPair, nonce: bigint, amount = 10n, fee = 1n) => signTx(from, { to: bob.address, amount, fee, nonce }, profile.magic);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let dir: string;
let cleanup: () => void;
let chain: Chain | undefined;
let tip: Made;

const open = async (): Promise<Chain> => (chain = await Chain.open({ dataDir: dir, profile, core, now: () => NOW }));
async function reopen(): Promise<Chain> {
  await chain?.close();
  return open();
}
async function stored(c: Chain): Promise<string[]> {
  const out: string[] = [];
  for await (const r of c.store.pending.scan()) out.push(hex(r.id));
  return out.sort();
}
const ids = (...txs: Uint8Array[]) => txs.map((t) => hex(core.sha256d(t))).sort();

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  const c = await open();
  // alice and carol each mine one block: INITIAL_SUBSIDY apiece
  const b1 = makeBlock(G, { miner: alice.address });
  tip = makeBlock(b1, { miner: carol.address });
  for (const b of [b1, tip]) expect((await c.addBlock(b.bytes)).status).toBe('connected');
});
afterEach(async () => {
  await chain?.close();
  chain = undefined;
  cleanup();
});

describe('mempool persistence (Chain + Mempool)', () => {
  it('restores the same txs, with their arrival times, after a reopen', async () => {
    const c = chain!;
    const pool = new Mempool(c, { store: c.store.pending });
    const txs = [pay(alice, 0n), pay(alice, 1n, 5n, 3n), pay(carol, 0n, 7n, 2n)];
    for (const t of txs) expect(pool.add(t).accepted).toBe(true);
    const before = pool.list().map((e) => ({ id: hex(e.id), addedAt: e.addedAt }));
    await pool.flush();

    const c2 = await reopen();
    const pool2 = new Mempool(c2, { store: c2.store.pending });
    expect(pool2.size).toBe(0);
    expect(await pool2.restore()).toEqual({ restored: 3, dropped: 0, corrupt: 0 });
    const after = pool2.list().map((e) => ({ id: hex(e.id), addedAt: e.addedAt }));
    expect(after.sort((a, b) => a.id.localeCompare(b.id))).toEqual(before.sort((a, b) => a.id.localeCompare(b.id)));
    expect(pool2.nextNonce(alice.address)).toBe(2n);
    expect(pool2.select(10)).toEqual([txs[2], txs[0], txs[1]]); // fee order, alice's in nonce order
    expect(await stored(c2)).toEqual(ids(...txs));
  });

  it('deletes confirmed txs from the store while running', async () => {
    const c = chain!;
    const pool = new Mempool(c, { store: c.store.pending });
    const t0 = pay(alice, 0n);
    const t1 = pay(alice, 1n);
    for (const t of [t0, t1]) expect(pool.add(t).accepted).toBe(true);
    await pool.flush();
    expect(await stored(c)).toEqual(ids(t0, t1));
    expect((await c.addBlock(makeBlock(tip, { txs: [t0] }).bytes)).status).toBe('connected');
    await pool.flush();
    expect(pool.size).toBe(1);
    expect(await stored(c)).toEqual(ids(t1));
  });

  it('does not restore a tx confirmed or made invalid while the node was down', async () => {
    const c = chain!;
    const pool = new Mempool(c, { store: c.store.pending });
    const a0 = pay(alice, 0n);
    const a1 = pay(alice, 1n);
    const c0 = pay(carol, 0n, 100n);
    for (const t of [a0, a1, c0]) expect(pool.add(t).accepted).toBe(true);
    await pool.flush();

    // offline: a block confirms a0 and a different carol tx with nonce 0 (c0 can no longer apply)
    const c2 = await reopen();
    const other = pay(carol, 0n, INITIAL_SUBSIDY - 1n, 1n);
    expect((await c2.addBlock(makeBlock(tip, { txs: [a0, other] }).bytes)).status).toBe('connected');
    const c3 = await reopen();
    const pool3 = new Mempool(c3, { store: c3.store.pending });
    expect(await pool3.restore()).toEqual({ restored: 1, dropped: 2, corrupt: 0 });
    expect(pool3.list().map((e) => hex(e.id))).toEqual(ids(a1));
    expect(await stored(c3)).toEqual(ids(a1));
  });

  it('skips and deletes corrupt records without failing', async () => {
    const c = chain!;
    const good = pay(alice, 0n);
    const rec = (tx: Uint8Array, addedAt: number): Uint8Array => {
      const v = new Uint8Array(TX_SIZE + 8);
      v.set(tx);
      new DataView(v.buffer).setFloat64(TX_SIZE, addedAt, true);
      return v;
    };
    const forged = pay(carol, 0n);
    forged[60]! ^= 1; // fee changed after signing: key matches, signature does not
    await c.store.pending.write([
      { id: core.sha256d(good), value: rec(good, 1234) },
      { id: new Uint8Array(32).fill(1), value: new Uint8Array(7) }, // short value
      { id: new Uint8Array(32).fill(2), value: rec(pay(carol, 0n), 1) }, // key is not the txid
      { id: core.sha256d(pay(carol, 1n)), value: rec(pay(carol, 1n), NaN) }, // bad time
      { id: Uint8Array.of(9), value: rec(pay(carol, 2n), 1) }, // short key
      { id: core.sha256d(forged), value: rec(forged, 1) }, // well-formed, fails validation
    ]);
    const pool = new Mempool(c, { store: c.store.pending });
    expect(await pool.restore()).toEqual({ restored: 1, dropped: 5, corrupt: 4 });
    expect(pool.get(core.sha256d(good))?.addedAt).toBe(1234);
    expect(await stored(c)).toEqual(ids(good));
  });

  it('keeps the store within the byte cap: evictions are deleted, restore reads no more than fits', async () => {
    const c = chain!;
    const small = new Mempool(c, { store: c.store.pending, maxBytes: 3 * SLOT_BYTES + 2 * SENDER_BYTES, subscribe: false });
    const txs = [pay(alice, 0n, 1n, 1n), pay(alice, 1n, 1n, 2n), pay(carol, 0n, 1n, 3n)];
    for (const t of txs) expect(small.add(t).accepted).toBe(true);
    const hi = pay(carol, 1n, 1n, 9n);
    expect(small.add(hi).accepted).toBe(true); // evicts alice's tail (fee 2)
    expect(small.has(core.sha256d(txs[1]!))).toBe(false);
    await small.flush();
    expect(await stored(c)).toEqual(ids(txs[0]!, txs[2]!, hi));

    // restarted with a smaller cap: at most 2 records are read and kept, the rest deleted
    const c2 = await reopen();
    const tiny = new Mempool(c2, { store: c2.store.pending, maxBytes: 2 * SLOT_BYTES + SENDER_BYTES });
    const r = await tiny.restore();
    expect(r.restored).toBe(tiny.size);
    expect(tiny.size).toBeGreaterThan(0);
    expect(tiny.size).toBeLessThanOrEqual(2);
    expect(r.restored + r.dropped).toBe(3);
    expect(r.corrupt).toBe(0);
    expect(await stored(c2)).toEqual(tiny.list().map((e) => hex(e.id)).sort());
  });
});

describe('mempool persistence (BloomNode)', () => {
  it('a stopped and recreated node holds the same pending txs', async () => {
    await chain!.close();
    chain = undefined;
    const config = resolveConfig({ dataDir: dir, host: '127.0.0.1', port: 0, apiPort: 0, mine: false });
    const txs = [pay(alice, 0n), pay(alice, 1n, 3n, 2n), pay(carol, 0n)];
    const n1 = await BloomNode.create(config, { history: false });
    try {
      await n1.start();
      for (const t of txs) expect(n1.txpool.add(t).accepted).toBe(true);
    } finally {
      await n1.stop();
    }
    const n2 = await BloomNode.create(config, { history: false });
    try {
      expect(n2.tip().height).toBe(2);
      expect(n2.mempool().map((e) => hex(e.txid)).sort()).toEqual(ids(...txs));
      expect((await n2.getTx(core.sha256d(txs[1]!)))?.status).toBe('mempool');
    } finally {
      await n2.stop();
    }
  });
});
