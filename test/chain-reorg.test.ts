import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INITIAL_SUBSIDY, TX_SIZE } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { Mempool, SENDER_BYTES, SLOT_BYTES } from '../src/mempool/mempool.js';
import { keyPairFromSeed, signTx, type KeyPair } from '../src/chain/tx.js';
import type { TipChange } from '../src/chain/types.js';
import { core, makeBlock, makeChain, MINER_A, MINER_B, NOW, profile, tempDir, type Parent } from './helpers/chain.js';

const key = (n: number): KeyPair => keyPairFromSeed(new Uint8Array(32).fill(n));
const alice = key(1);
const bob = key(2);
const g = genesisBlock(core, profile);
const G: Parent = { hash: g.hash, header: g.header };
const pay = (from: KeyPair, nonce: bigint, amount = 10n, fee = 1n) => signTx(from, { to: bob.address, amount, fee, nonce }, profile.magic);

let chain: Chain;
let pool: Mempool;
let cleanup: () => void;
let changes: TipChange[];

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  chain = await Chain.open({ dataDir: t.dir, profile, core, now: () => NOW });
  pool = new Mempool(chain, { maxBytes: 1 << 20 });
  changes = [];
  chain.onTip((c) => changes.push(c));
});
afterEach(async () => {
  await chain.close();
  cleanup();
});

describe('fork choice and reorganisation', () => {
  it('reorgs to more work and back, with ledger, tx index and mempool following', async () => {
    const a1 = makeBlock(G, { miner: alice.address });
    const tx0 = pay(alice, 0n);
    const tx1 = pay(alice, 1n, 20n, 2n);
    const a2 = makeBlock(a1, { miner: MINER_A, txs: [tx0] });
    const a3 = makeBlock(a2, { miner: MINER_A });
    for (const b of [a1, a2, a3]) expect((await chain.addBlock(b.bytes)).status).toBe('connected');
    expect(pool.add(tx0)).toMatchObject({ accepted: false, code: 'bad-tx-nonce' }); // already confirmed
    expect(pool.add(tx1).accepted).toBe(true);
    expect(await chain.getAccount(alice.address)).toEqual({ balance: INITIAL_SUBSIDY - 11n, nonce: 1n });

    // branch B forks after a1 and gets longer
    const [b2, b3, b4] = makeChain(a1, 3, { miner: MINER_B, spacing: 700 });
    expect((await chain.addBlock(b2!.bytes)).status).toBe('side');
    expect((await chain.addBlock(b3!.bytes)).status).toBe('side'); // equal work: first seen stays
    expect(chain.tip().hash).toEqual(a3.hash);
    changes = [];
    expect((await chain.addBlock(b4!.bytes)).status).toBe('reorg');
    expect(chain.tip()).toMatchObject({ height: 4, hash: b4!.hash });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.disconnected.map((b) => b.header.height)).toEqual([3, 2]);
    expect(changes[0]!.connected.map((b) => b.header.height)).toEqual([2, 3, 4]);
    expect(await chain.getAccount(alice.address)).toEqual({ balance: INITIAL_SUBSIDY, nonce: 0n });
    expect((await chain.getAccount(bob.address)).balance).toBe(0n);
    expect((await chain.getAccount(MINER_A)).balance).toBe(0n);
    expect((await chain.getAccount(MINER_B)).balance).toBe(3n * INITIAL_SUBSIDY);
    expect(await chain.getTx(core.sha256d(tx0))).toBeUndefined();
    // tx0 came back to the mempool, tx1 still follows it
    expect(pool.size).toBe(2);
    expect(pool.select(10)).toEqual([tx0, tx1]);
    expect((await chain.getHeaderByHeight(2))?.timestamp).toBe(b2!.header.timestamp);

    // branch A grows past B: reorg back
    const [a4, a5] = makeChain(a3, 2, { miner: MINER_A });
    expect((await chain.addBlock(a4!.bytes)).status).toBe('side');
    expect((await chain.addBlock(a5!.bytes)).status).toBe('reorg');
    expect(chain.tip()).toMatchObject({ height: 5, hash: a5!.hash });
    expect(await chain.getAccount(alice.address)).toEqual({ balance: INITIAL_SUBSIDY - 11n, nonce: 1n });
    expect((await chain.getAccount(bob.address)).balance).toBe(10n);
    expect((await chain.getAccount(MINER_A)).balance).toBe(4n * INITIAL_SUBSIDY + 1n);
    expect((await chain.getAccount(MINER_B)).balance).toBe(0n);
    expect((await chain.getTx(core.sha256d(tx0)))?.height).toBe(2);
    expect(pool.size).toBe(1);
    expect(pool.select(10)).toEqual([tx1]);

    // a block confirming tx1 empties the pool
    const a6 = makeBlock(a5!, { miner: MINER_A, txs: [tx1] });
    expect((await chain.addBlock(a6.bytes)).status).toBe('connected');
    expect(pool.size).toBe(0);
    expect(await chain.getAccount(alice.address)).toEqual({ balance: INITIAL_SUBSIDY - 33n, nonce: 2n });
  });

  it('backs out of a heavier branch that fails to connect and keeps the old chain', async () => {
    const a1 = makeBlock(G, { miner: alice.address });
    const [a2, a3] = makeChain(a1, 2, { miner: MINER_A });
    for (const b of [a1, a2!, a3!]) await chain.addBlock(b.bytes);
    // c3 overspends: signatures are fine, the ledger is not
    const c2 = makeBlock(a1, { miner: MINER_B, spacing: 300 });
    const c3 = makeBlock(c2, { miner: MINER_B, txs: [pay(alice, 0n, INITIAL_SUBSIDY, 1n)] });
    const [c4, c5] = makeChain(c3, 2, { miner: MINER_B });
    expect((await chain.addBlock(c2.bytes)).status).toBe('side');
    expect((await chain.addBlock(c3.bytes)).status).toBe('side');
    changes = [];
    const r = await chain.addBlock(c4!.bytes);
    expect(r.status).toBe('invalid');
    expect(chain.tip().hash).toEqual(a3!.hash);
    expect(chain.headerTip().hash).toEqual(a3!.hash);
    expect(changes).toHaveLength(0);
    expect(await chain.getAccount(alice.address)).toEqual({ balance: INITIAL_SUBSIDY, nonce: 0n });
    expect((await chain.getAccount(MINER_B)).balance).toBe(0n);
    expect((await chain.getAccount(MINER_A)).balance).toBe(2n * INITIAL_SUBSIDY);
    // descendants of the bad block are refused
    expect(await chain.addBlock(c5!.bytes)).toMatchObject({ status: 'invalid', code: 'bad-prev' });
    expect(await chain.addHeaders([makeBlock(c4!).bytes.subarray(0, 118)])).toMatchObject({ code: 'bad-prev' });
    // the honest chain still grows
    expect((await chain.addBlock(makeBlock(a3!).bytes)).status).toBe('connected');
  });

  it('switches to a heavier header chain once its blocks arrive (header-first reorg)', async () => {
    const as = makeChain(G, 3, { miner: MINER_A });
    for (const b of as) await chain.addBlock(b.bytes);
    const bs = makeChain(G, 5, { miner: MINER_B, spacing: 900 });
    expect(await chain.addHeaders(bs.map((b) => b.bytes.subarray(0, 118)))).toEqual({ added: 5 });
    expect(chain.headerTip().height).toBe(5);
    expect((await chain.missingBlocks(10)).map((m) => m.height)).toEqual([1, 2, 3, 4, 5]);
    for (const b of bs.slice(0, 4)) await chain.addBlock(b.bytes);
    expect(chain.tip().hash).toEqual(bs[3]!.hash);
    expect((await chain.addBlock(bs[4]!.bytes)).status).toBe('connected');
    expect((await chain.getAccount(MINER_B)).balance).toBe(5n * INITIAL_SUBSIDY);
    expect((await chain.getAccount(MINER_A)).balance).toBe(0n);
  });
});

describe('mempool', () => {
  const keys = [key(11), key(12), key(13), key(14)];
  async function fund(): Promise<void> {
    let p = G;
    for (const k of keys) {
      const b = makeBlock(p, { miner: k.address });
      await chain.addBlock(b.bytes);
      p = b;
    }
  }

  it('rejects duplicates, bad signatures, wrong nonces and overspends', async () => {
    await fund();
    const [k] = keys;
    expect(pool.add(new Uint8Array(10)).code).toBe('bad-size');
    const t0 = pay(k!, 0n, INITIAL_SUBSIDY - 100n, 50n);
    expect(pool.add(t0).accepted).toBe(true);
    expect(pool.add(t0).code).toBe('duplicate');
    const forged = pay(k!, 1n);
    forged[55]! ^= 1;
    expect(pool.add(forged).code).toBe('bad-tx-sig');
    expect(pool.add(pay(k!, 2n)).code).toBe('bad-tx-nonce');
    expect(pool.add(pay(k!, 0n, 5n)).code).toBe('bad-tx-nonce');
    expect(pool.add(pay(k!, 1n, 40n, 11n)).code).toBe('insufficient-funds'); // 51 > 50 left after t0
    expect(pool.add(pay(k!, 1n, 40n, 10n)).accepted).toBe(true);
    expect(pool.add(pay(bob, 0n, 1n, 0n)).code).toBe('insufficient-funds');
    expect(pool.size).toBe(2);
    expect(pool.bytes).toBe(2 * TX_SIZE);
    expect(pool.nextNonce(k!.address)).toBe(2n);
  });

  it('selects by fee in nonce order and evicts the lowest fee past the cap', async () => {
    await fund();
    const small = new Mempool(chain, { maxBytes: 3 * SLOT_BYTES + 2 * SENDER_BYTES, subscribe: false });
    const [k1, k2, k3, k4] = keys;
    const t1a = pay(k1!, 0n, 1n, 1n);
    const t1b = pay(k1!, 1n, 1n, 10n);
    const t2 = pay(k2!, 0n, 1n, 5n);
    for (const t of [t1a, t1b, t2]) expect(small.add(t).accepted).toBe(true);
    expect(small.select(10)).toEqual([t2, t1a, t1b]);
    expect(small.select(2)).toEqual([t2, t1a]);
    // full: a 7-fee tx evicts the lowest-fee tail (t2 at 5; t1a is not a tail)
    const t3 = pay(k3!, 0n, 1n, 7n);
    expect(small.add(t3).accepted).toBe(true);
    expect(small.has(core.sha256d(t2))).toBe(false);
    expect(small.size).toBe(3);
    // lower than every tail: refused
    expect(small.add(pay(k4!, 0n, 1n, 2n)).code).toBe('mempool-full');
    expect(small.select(10)).toEqual([t3, t1a, t1b]);
  });
});
