import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIFFICULTY_INTERVAL, HEADER_SIZE, INITIAL_SUBSIDY, MAINNET, Z_C } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { bitsToTarget, targetToBits } from '../src/chain/header.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import { buildTemplate } from '../src/miner/template.js';
import { core, EASY, goodCert, makeBlock, makeChain, MINER_A, NOW, profile, tempDir, type Made, type Parent } from './helpers/chain.js';

const alice = keyPairFromSeed(new Uint8Array(32).fill(1));
const bob = keyPairFromSeed(new Uint8Array(32).fill(2));
const g = genesisBlock(core, profile);
const G: Parent = { hash: g.hash, header: g.header };

let chain: Chain;
let cleanup: () => void;
let clock = NOW;

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  clock = NOW;
  chain = await Chain.open({ dataDir: t.dir, profile, core, now: () => clock });
});
afterEach(async () => {
  await chain.close();
  cleanup();
});

/** Alice mined block 1 (50 coins); returns it. */
async function fundAlice(): Promise<Made> {
  const b1 = makeBlock(G, { miner: alice.address });
  expect((await chain.addBlock(b1.bytes)).status).toBe('connected');
  return b1;
}

const pay = (nonce: bigint, amount = 10n, fee = 1n, key = alice) => signTx(key, { to: bob.address, amount, fee, nonce }, profile.magic);

async function rejects(bytes: Uint8Array, code: string): Promise<void> {
  const r = await chain.addBlock(bytes);
  expect(r.status).toBe('invalid');
  expect(r.code).toBe(code);
}

describe('block validation: each rule has its code', () => {
  it('accepts a valid block and credits subsidy + fees', async () => {
    const b1 = await fundAlice();
    expect(chain.tip().height).toBe(1);
    expect((await chain.getAccount(alice.address)).balance).toBe(INITIAL_SUBSIDY);
    const b2 = makeBlock(b1, { miner: MINER_A, txs: [pay(0n, 10n, 3n)] });
    expect((await chain.addBlock(b2.bytes)).status).toBe('connected');
    expect(await chain.getAccount(alice.address)).toEqual({ balance: INITIAL_SUBSIDY - 13n, nonce: 1n });
    expect((await chain.getAccount(bob.address)).balance).toBe(10n);
    expect((await chain.getAccount(MINER_A)).balance).toBe(INITIAL_SUBSIDY + 3n);
    expect((await chain.addBlock(b2.bytes)).status).toBe('duplicate');
  });

  it('bad-prev: parent known invalid', async () => {
    const bad = makeBlock(G, { cert: goodCert({ rounds: 3 }) });
    await rejects(bad.bytes, 'cert-rounds');
    await rejects(makeBlock(bad).bytes, 'bad-prev');
  });
  it('bad-height', async () => rejects(makeBlock(G, { header: { height: 2 } }).bytes, 'bad-height'));
  it('time-too-old', async () => rejects(makeBlock(G, { timestamp: g.header.timestamp }).bytes, 'time-too-old'));
  it('time-too-new', async () => rejects(makeBlock(G, { timestamp: NOW + 120_001 }).bytes, 'time-too-new'));
  it('bad-bits', async () => rejects(makeBlock(G, { header: { bits: 0x1f07ffff } }).bytes, 'bad-bits'));
  it('high-hash', async () => rejects(makeBlock(G, { highHash: true }).bytes, 'high-hash'));
  it('bad-version', async () => rejects(makeBlock(G, { header: { version: 2 } }).bytes, 'bad-version'));
  it('bad-merkle-root', async () => rejects(makeBlock(G, { header: { merkleRoot: new Uint8Array(32).fill(1) } }).bytes, 'bad-merkle-root'));
  it('bad-cert-hash (also when the miner address is swapped after mining)', async () => {
    await rejects(makeBlock(G, { header: { certHash: new Uint8Array(32).fill(1) } }).bytes, 'bad-cert-hash');
    const ok = makeBlock(G);
    const stolen = ok.bytes.slice();
    stolen.fill(0xee, HEADER_SIZE, HEADER_SIZE + 20);
    await rejects(stolen, 'bad-cert-hash');
    expect((await chain.addBlock(ok.bytes)).status).toBe('connected'); // the honest body still connects
  });
  it('cert-below-zc', async () => {
    const phases = new Float64Array(64).map((_, i) => Math.fround((i * 2 * Math.PI) / 64));
    const r = Math.fround(core.orderParameter(phases).r);
    expect(r).toBeLessThan(Z_C);
    await rejects(makeBlock(G, { cert: goodCert({ phases, r }) }).bytes, 'cert-below-zc');
  });
  it('cert-r-mismatch', async () => rejects(makeBlock(G, { cert: goodCert({ r: 0.9 }) }).bytes, 'cert-r-mismatch'));
  it('cert-rounds', async () => rejects(makeBlock(G, { cert: goodCert({ rounds: 6 }) }).bytes, 'cert-rounds'));
  it('bad-size and bad-cert', async () => {
    await rejects(new Uint8Array(50), 'bad-size');
    const ok = makeBlock(G).bytes;
    await rejects(new Uint8Array([...ok, 0]), 'bad-size');
    const nan = ok.slice();
    new DataView(nan.buffer).setFloat32(HEADER_SIZE + 24 + 16, NaN, true);
    await rejects(nan, 'bad-cert');
  });
  it('bad-tx-sig', async () => {
    const b1 = await fundAlice();
    const t = pay(0n);
    t[60]! ^= 1; // fee changed after signing
    await rejects(makeBlock(b1, { txs: [t] }).bytes, 'bad-tx-sig');
  });
  it('bad-tx-nonce', async () => {
    const b1 = await fundAlice();
    await rejects(makeBlock(b1, { txs: [pay(1n)] }).bytes, 'bad-tx-nonce');
    await rejects(makeBlock(b1, { txs: [pay(0n), pay(0n, 11n)] }).bytes, 'bad-tx-nonce');
  });
  it('insufficient-funds (counting earlier txs in the block)', async () => {
    const b1 = await fundAlice();
    await rejects(makeBlock(b1, { txs: [pay(0n, INITIAL_SUBSIDY)] }).bytes, 'insufficient-funds');
    await rejects(makeBlock(b1, { txs: [pay(0n, INITIAL_SUBSIDY - 10n, 0n), pay(1n, 10n, 1n)] }).bytes, 'insufficient-funds');
    await rejects(makeBlock(b1, { txs: [pay(0n, 1n, 1n, bob)] }).bytes, 'insufficient-funds');
    expect(chain.tip().height).toBe(1);
    expect((await chain.getAccount(alice.address)).balance).toBe(INITIAL_SUBSIDY);
  });
  it('duplicate-tx', async () => {
    const b1 = await fundAlice();
    const t = pay(0n);
    await rejects(makeBlock(b1, { txs: [t, t] }).bytes, 'duplicate-tx');
  });
  it('holds orphans and connects them when the parent arrives', async () => {
    const [b1, b2, b3] = makeChain(G, 3);
    expect((await chain.addBlock(b3!.bytes)).status).toBe('orphan');
    expect((await chain.addBlock(b2!.bytes)).status).toBe('orphan');
    expect(chain.orphanCount).toBe(2);
    expect((await chain.addBlock(b1!.bytes)).status).toBe('connected');
    expect(chain.tip().height).toBe(3);
    expect(chain.orphanCount).toBe(0);
  });
  it('getTx finds main-chain transactions', async () => {
    const b1 = await fundAlice();
    const t = pay(0n);
    await chain.addBlock(makeBlock(b1, { txs: [t] }).bytes);
    const found = await chain.getTx(core.sha256d(t));
    expect(found?.height).toBe(2);
    expect(found?.bytes).toEqual(t);
    expect(await chain.getTx(new Uint8Array(32))).toBeUndefined();
  });
});

describe('headers first', () => {
  it('adds a header chain, lists missing blocks, connects as blocks arrive out of order', async () => {
    const blocks = makeChain(G, 20);
    const r = await chain.addHeaders(blocks.map((b) => b.bytes.subarray(0, HEADER_SIZE)));
    expect(r).toEqual({ added: 20 });
    expect(chain.headerTip().height).toBe(20);
    expect(chain.tip().height).toBe(0);
    const missing = await chain.missingBlocks(5);
    expect(missing.map((m) => m.height)).toEqual([1, 2, 3, 4, 5]);
    for (const b of blocks.slice(5, 10)) expect((await chain.addBlock(b.bytes)).status).toBe('side');
    expect((await chain.missingBlocks(100)).map((m) => m.height)).toEqual([1, 2, 3, 4, 5, ...Array.from({ length: 10 }, (_, i) => 11 + i)]);
    for (const b of blocks.slice(0, 5)) await chain.addBlock(b.bytes);
    expect(chain.tip().height).toBe(10);
    expect((await chain.getHeadersRange(3, 4)).map((h) => h[2])).toEqual([3, 4, 5, 6]);
    expect((await chain.addHeaders(blocks.map((b) => b.bytes.subarray(0, HEADER_SIZE))))).toEqual({ added: 0 });
  });

  it('rejects headers with their codes and stops at the first bad one', async () => {
    const blocks = makeChain(G, 4);
    const hs = blocks.map((b) => b.bytes.subarray(0, HEADER_SIZE));
    expect(await chain.addHeaders([hs[1]!])).toMatchObject({ added: 0, code: 'unknown-parent' });
    expect(await chain.addHeaders([hs[0]!, hs[2]!])).toMatchObject({ added: 1, code: 'bad-prev' });
    const high = makeBlock(blocks[0]!, { highHash: true }).bytes.subarray(0, HEADER_SIZE);
    expect(await chain.addHeaders([high])).toMatchObject({ added: 0, code: 'high-hash' });
    const old = makeBlock(blocks[0]!, { timestamp: blocks[0]!.header.timestamp }).bytes.subarray(0, HEADER_SIZE);
    expect(await chain.addHeaders([old])).toMatchObject({ code: 'time-too-old' });
    expect(await chain.addHeaders([new Uint8Array(117)])).toMatchObject({ code: 'bad-size' });
    expect(chain.headerTip().height).toBe(1);
  });

  it('enforces the retarget at DIFFICULTY_INTERVAL', async () => {
    const t = tempDir();
    const easy = await Chain.open({ dataDir: t.dir, profile: EASY, core, now: () => clock });
    try {
      const eg = genesisBlock(core, EASY);
      // 122 gaps of 500 ms against a 2 s block time: the target must drop ÷4 at height 123
      const blocks = makeChain({ hash: eg.hash, header: eg.header }, DIFFICULTY_INTERVAL - 1, { spacing: 500 });
      expect(await easy.addHeaders(blocks.map((b) => b.bytes.subarray(0, HEADER_SIZE)))).toEqual({ added: DIFFICULTY_INTERVAL - 1 });
      const last = blocks[blocks.length - 1]!;
      expect(await easy.addHeaders([makeBlock(last).bytes.subarray(0, HEADER_SIZE)])).toMatchObject({ code: 'bad-bits' });
      const want = targetToBits(bitsToTarget(EASY.startBits)! / 4n);
      const good = makeBlock(last, { header: { bits: want } });
      expect(await easy.addHeaders([good.bytes.subarray(0, HEADER_SIZE)])).toEqual({ added: 1 });
      // the block path applies the same rule
      for (const b of blocks) expect((await easy.addBlock(b.bytes)).status).toBe('connected');
      expect((await easy.addBlock(good.bytes)).status).toBe('connected');
      expect(easy.tip().height).toBe(DIFFICULTY_INTERVAL);
    } finally {
      await easy.close();
      t.cleanup();
    }
  });

  it('refuses a data dir of another network', async () => {
    const t = tempDir();
    const c = await Chain.open({ dataDir: t.dir, profile, core });
    await c.close();
    await expect(Chain.open({ dataDir: t.dir, profile: MAINNET, core })).rejects.toMatchObject({ code: 'wrong-network' });
    t.cleanup();
  });
});

describe('templates', () => {
  it('builds a header to grind and assembles the block for a nonce, skipping txs that do not apply', async () => {
    await fundAlice();
    const t = await buildTemplate(chain, { minerAddress: MINER_A, cert: goodCert(), txs: [pay(0n), pay(5n), pay(1n)] });
    expect(t.height).toBe(2);
    expect(t.txCount).toBe(2);
    expect(t.fees).toBe(2n);
    const nonce = core.grindNonces(t.header, t.targetBytes, 0, 1 << 24);
    const r = await chain.addBlock(t.withNonce(nonce));
    expect(r).toMatchObject({ status: 'connected', height: 2 });
    expect((await chain.getAccount(MINER_A)).balance).toBe(INITIAL_SUBSIDY + 2n);
  });
});
