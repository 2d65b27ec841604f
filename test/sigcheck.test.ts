// Tx signature checks over worker threads (src/chain/sigcheck.ts): the pool and inline agree with
// verifyTxSignature on every batch, and a block with one bad signature among many is rejected as before.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TX_SIZE } from '../src/constants.js';
import { decodeBlockParts } from '../src/chain/block.js';
import { Chain } from '../src/chain/chain.js';
import { resolveConfig } from '../src/config.js';
import { BloomNode } from '../src/node.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { createSigChecker } from '../src/chain/sigcheck.js';
import { keyPairFromSeed, signTx, verifyTxSignature } from '../src/chain/tx.js';
import { core, generatedBlocks, makeBlock, NOW, profile, tempDir, type Parent } from './helpers/chain.js';

const DIST = fileURLToPath(new URL('../dist/chain/sigcheck-worker.js', import.meta.url));
const keys = [1, 2, 3].map((s) => keyPairFromSeed(new Uint8Array(32).fill(s)));
const payee = keyPairFromSeed(new Uint8Array(32).fill(9)).address;
const signed = Array.from({ length: 48 }, (_, i) => signTx(keys[i % 3]!, { to: payee, amount: 10n, fee: 1n, nonce: BigInt(i) }, profile.magic));

const pool = createSigChecker({ workers: 2, minPoolTxs: 0 });
const inline = createSigChecker({ workers: 0 });
afterAll(async () => {
  await pool.close();
  await inline.close();
});

/** A batch from the signed txs with some corrupted: a flipped bit in the key, the signed fields or the signature, or a short tx. */
const batch = fc
  .array(
    fc.record({ i: fc.nat(signed.length - 1), bad: fc.option(fc.oneof(fc.nat(TX_SIZE - 1), fc.constant(-1)), { freq: 4 }) }),
    { maxLength: 40 },
  )
  .map((xs) =>
    xs.map(({ i, bad }) => {
      const t = signed[i]!.slice();
      if (bad === null) return t;
      if (bad < 0) return t.subarray(0, TX_SIZE - 1);
      t[bad]! ^= 1 << (bad % 8);
      return t;
    }),
  );

describe('signature checker', () => {
  it('the worker is built', () => expect(existsSync(DIST), 'dist/ missing: run npm run build:ts').toBe(true));

  it('pool and inline agree with verifyTxSignature, and find the same first bad tx', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (txs) => {
        const want = txs.map((t) => verifyTxSignature(t, profile.magic));
        expect(await pool.verifyTxSignatures(txs, profile.magic)).toEqual(want);
        expect(await inline.verifyTxSignatures(txs, profile.magic)).toEqual(want);
        expect(await pool.firstBadSignature(txs, profile.magic)).toBe(want.indexOf(false));
        expect(await inline.firstBadSignature(txs, profile.magic)).toBe(want.indexOf(false));
      }),
      { numRuns: 60 },
    );
  });

  it('another network magic fails every signature', async () => {
    expect(await pool.verifyTxSignatures(signed, profile.magic + 1)).toEqual(signed.map(() => false));
    expect(await pool.firstBadSignature(signed, profile.magic + 1)).toBe(0);
  });

  it('a block with one bad signature among 40 is rejected with bad-tx-sig exactly as inline; a good one connects', async () => {
    const g = genesisBlock(core, profile);
    const G: Parent = { hash: g.hash, header: g.header };
    const alice = keys[0]!;
    const b1 = makeBlock(G, { miner: alice.address });
    const txs = Array.from({ length: 40 }, (_, i) => signTx(alice, { to: payee, amount: 10n, fee: 1n, nonce: BigInt(i) }, profile.magic));
    const bad = txs.slice();
    bad[29] = bad[29]!.slice();
    bad[29]![60]! ^= 1; // the fee changed after signing
    const badBlock = makeBlock(b1, { txs: bad });
    const goodBlock = makeBlock(b1, { txs, spacing: 2000 });
    const results = [];
    for (const sigChecker of [undefined, pool, createSigChecker({ workers: 1, minPoolTxs: 0 })]) {
      const { dir, cleanup } = tempDir();
      const c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW, sigChecker });
      try {
        expect((await c.addBlock(b1.bytes)).status).toBe('connected');
        const r = await c.addBlock(badBlock.bytes);
        expect(r).toMatchObject({ status: 'invalid', code: 'bad-tx-sig' });
        results.push(r);
        expect(await c.hasBlock(badBlock.hash)).toBe(false);
        expect((await c.addBlock(goodBlock.bytes)).status).toBe('connected');
        expect((await c.getAccount(alice.address)).nonce).toBe(40n);
      } finally {
        await c.close();
        if (sigChecker && sigChecker !== pool) await sigChecker.close();
        cleanup();
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('rejects use after close', async () => {
    const c = createSigChecker({ workers: 1, minPoolTxs: 0 });
    await c.close();
    await expect(c.firstBadSignature(signed, profile.magic)).rejects.toMatchObject({ code: 'closed' });
  });

  it('a node checks a 20-tx block with its own checker: one bad signature is bad-tx-sig, the honest block connects', async () => {
    const home = tempDir();
    try {
      const [g1, g2] = await generatedBlocks(2, 20);
      const [b1, b2] = [g1!.bytes, g2!.bytes];
      const parent: Parent = { hash: g1!.hash, header: g1!.header };
      const txs = decodeBlockParts(b2).txBytes.map((t) => t.slice());
      expect(txs).toHaveLength(20);
      txs[17]![60]! ^= 1;
      const bad = makeBlock(parent, { txs, spacing: 2000 });
      const node = await BloomNode.create(resolveConfig({ network: 'devnet', dataDir: home.dir, host: '127.0.0.1', port: 0, apiPort: 0, mine: false }));
      try {
        expect((await node.chain.addBlock(b1)).status).toBe('connected');
        expect(await node.chain.addBlock(bad.bytes)).toMatchObject({ status: 'invalid', code: 'bad-tx-sig', reason: `tx ${Buffer.from(core.sha256d(txs[17]!)).toString('hex')} has a bad signature` });
        expect((await node.chain.addBlock(b2)).status).toBe('connected');
      } finally {
        await node.stop();
      }
    } finally {
      home.cleanup();
    }
  });
});

describe('the parsed public key cache', () => {
  it('keys on its own copy: bytes rewritten in place (shared memory reused by the next batch) are verified under their new key', () => {
    const buf = new Uint8Array(new SharedArrayBuffer(TX_SIZE));
    buf.set(signed[0]!); // signed by keys[0]
    expect(verifyTxSignature(buf, profile.magic)).toBe(true);
    // the same signature under another key: invalid, whatever the cache holds for the old bytes
    buf.set(keys[1]!.publicKey, 0);
    expect(verifyTxSignature(buf, profile.magic)).toBe(false);
    buf.set(signed[1]!); // keys[1]'s own tx
    expect(verifyTxSignature(buf, profile.magic)).toBe(true);
  });

  it('a malformed key is refused every time, cached or not', () => {
    const t = signed[2]!.slice();
    t.fill(0xff, 0, 32); // not a point on the curve
    expect(verifyTxSignature(t, profile.magic)).toBe(false);
    expect(verifyTxSignature(t, profile.magic)).toBe(false);
  });
});
