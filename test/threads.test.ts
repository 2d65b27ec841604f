// One thread budget (src/core/threads.ts): a CorePool and the signature checks on one group never run
// more threads than its budget; a signature check queued behind grinding is served between two chunks
// (it does not wait for the range), and the grind still finds the reference's lowest nonce and counts
// every hash once. A mining node runs both on its one group.
import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBlockParts } from '../src/chain/block.js';
import { createSigChecker, sigChunk } from '../src/chain/sigcheck.js';
import { keyPairFromSeed, signTx, verifyTxSignature } from '../src/chain/tx.js';
import { resolveConfig } from '../src/config.js';
import { CorePool, GRIND_CHUNK } from '../src/core/pool.js';
import * as R from '../src/core/reference.js';
import { untilDone, WorkerThreads } from '../src/core/threads.js';
import sigWorker from '../src/chain/sigcheck-worker.js';
import { SIG_VALID } from '../src/chain/sigcheck-protocol.js';
import { TX_SIZE } from '../src/constants.js';
import { BloomNode } from '../src/node.js';
import { generatedBlocks, profile, tempDir } from './helpers/chain.js';

const keys = [1, 2, 3].map((s) => keyPairFromSeed(new Uint8Array(32).fill(s)));
const payee = keyPairFromSeed(new Uint8Array(32).fill(9)).address;
const signed = Array.from({ length: 48 }, (_, i) => signTx(keys[i % 3]!, { to: payee, amount: 10n, fee: 1n, nonce: BigInt(i) }, profile.magic));
signed[29] = signed[29]!.slice();
signed[29]![100]! ^= 4;
const expectedSigs = signed.map((t) => verifyTxSignature(t, profile.magic));
const header = new Uint8Array(118).map((_, i) => (i * 29 + 7) & 0xff);

const group = new WorkerThreads({ threads: 2 });
const pool = await CorePool.create({ threads: group, grind: 'wasm' });
const sigs = createSigChecker({ threads: group, minPoolTxs: 0 });
afterAll(async () => {
  await sigs.close();
  await pool.close();
  await group.close();
});

/** Signature checks one after another until `done()`; how many finished before it. */
async function checksUntil(done: () => boolean): Promise<number> {
  let n = 0;
  while (!done()) {
    expect(await sigs.verifyTxSignatures(signed, profile.magic)).toEqual(expectedSigs);
    if (!done()) n++;
  }
  return n;
}

describe('one thread budget for the core and the signature checks', () => {
  it('both use the group: its budget is theirs, and it never starts more threads than that', async () => {
    expect(pool.threads).toBe(2);
    expect(sigs.workers).toBe(2);
    const ac = new AbortController();
    let settled = false;
    // nothing to find in 2^31 nonces: minutes of grinding on both threads unless aborted
    const grinding = pool.search(header, new Uint8Array(32), { start: 0, count: 2 ** 31, signal: ac.signal }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 5; i++) expect(await sigs.firstBadSignature(signed, profile.magic)).toBe(29);
    // served between chunks while the range was still being ground
    expect(settled).toBe(false);
    ac.abort();
    const res = await grinding;
    expect(res.nonce).toBeNull();
    expect(res.hashes).toBeGreaterThan(0);
    const data = new Uint8Array(104 * 4096).map((_, i) => (i * 31) & 0xff);
    expect(await pool.sha256dBatch(data, 104)).toEqual(R.sha256dBatch(data, 104));
    expect(group.threadsStarted).toBe(2);
    expect(group.threads).toBe(2);
  });

  it('a grind that yields to signature checks finds the lowest nonce and hashes each nonce exactly once', async () => {
    const target = new Uint8Array(32).fill(0xff);
    target[0] = 0;
    target[1] = 0;
    const start = 123_457;
    const expected = R.grindNonces(header, target, start, 1 << 22);
    let done = false;
    const found = pool.search(header, target, { start, count: 1 << 22 }).finally(() => (done = true));
    const [res, during] = await Promise.all([found, checksUntil(() => done)]);
    expect(res.nonce).toBe(expected);
    expect(res.hashes).toBeGreaterThanOrEqual(expected - start + 1);
    expect(res.hashes).toBeLessThanOrEqual(expected - start + 1 + 2 * GRIND_CHUNK);

    const count = 200 * GRIND_CHUNK + 123;
    done = false;
    const none = pool.search(header, new Uint8Array(32), { start: 7, count }).finally(() => (done = true));
    const [all, served] = await Promise.all([none, checksUntil(() => done)]);
    expect(all).toEqual({ nonce: null, hashes: count, backend: 'wasm' });
    expect(during + served).toBeGreaterThan(0); // some checks really ran while it ground
    expect(group.threadsStarted).toBe(2);
  });

  it('a pool or checker of its own still closes its threads; a shared group is left to its owner', async () => {
    const own = await CorePool.create({ threads: 1 });
    await own.close();
    await expect(own.sha256dBatch(new Uint8Array(104 * 4096), 104)).rejects.toMatchObject({ code: 'closed' });
    const other = await CorePool.create({ threads: group });
    await other.close();
    // the group still serves the others
    expect(await sigs.firstBadSignature(signed, profile.magic)).toBe(29);
    expect(group.threadsStarted).toBe(2);
  });
});

describe('a mining node', () => {
  it('checks a 20-tx block and mines on one group: never more threads than availableParallelism', async () => {
    const home = tempDir();
    try {
      const blocks = (await generatedBlocks(2, 20)).map((b) => b.bytes);
      expect(decodeBlockParts(blocks[1]!).txBytes).toHaveLength(20);
      const node = await BloomNode.create(resolveConfig({ network: 'devnet', dataDir: home.dir, host: '127.0.0.1', port: 0, apiPort: 0, oscillators: 256 }));
      try {
        const threads = node.workerThreads;
        expect(threads.budget).toBe(availableParallelism());
        expect(threads.threads).toBe(threads.budget); // the miner's pool started them
        for (const b of blocks) expect((await node.chain.addBlock(b)).status).toBe('connected');
        // the 20 signatures were checked on the group's threads: a batch settles on the workers' count of
        // finished txs (untilDone), so piscina may count the tasks done a moment after addBlock returned
        for (const t0 = Date.now(); threads.completed === 0 && Date.now() - t0 < 5_000; ) await new Promise((r) => setTimeout(r, 10));
        expect(threads.completed).toBeGreaterThan(0);
        await node.start();
        for (const t0 = Date.now(); node.status().height < 3; ) {
          if (Date.now() - t0 > 30_000) throw new Error('no block mined in 30 s');
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(threads.threadsStarted).toBe(threads.budget);
        expect(threads.threads).toBe(threads.budget);
      } finally {
        await node.stop();
      }
      expect(node.workerThreads.threads).toBe(0);
    } finally {
      home.cleanup();
    }
  }, 60_000);
});

describe('a batch over the pool does not wait for a late thread', () => {
  it('one worker claims every chunk when the other never starts, and untilDone settles on the count alone', async () => {
    const n = signed.length;
    const input = new SharedArrayBuffer(n * TX_SIZE);
    signed.forEach((t, i) => new Uint8Array(input).set(t, i * TX_SIZE));
    const output = new SharedArrayBuffer(n);
    const stop = new SharedArrayBuffer(4);
    new Int32Array(stop)[0] = n;
    const cursor = new SharedArrayBuffer(8);
    const chunk = sigChunk(n, 2);
    expect(chunk).toBeLessThan(n / 2); // more claims than workers, or there is nothing to take over
    const late = new Promise<number>(() => undefined); // the second thread's task, never started
    // the first thread's task, run here: it takes what the late one would have done
    const first = Promise.resolve(sigWorker({ input, output, stop, cursor, chunk, count: n, magic: profile.magic, failFast: false }));
    await untilDone([first, late], new Int32Array(cursor, 4, 1), n);
    expect(await first).toBe(n);
    expect(Array.from(new Uint8Array(output), (v) => v === SIG_VALID)).toEqual(expectedSigs);
  });

  it('untilDone settles when the parts return early (a found bad signature) and rejects when one fails', async () => {
    const done = new Int32Array(new SharedArrayBuffer(4));
    await untilDone([Promise.resolve(1), Promise.resolve(2)], done, 10);
    await expect(untilDone([Promise.reject(new Error('worker died')), new Promise(() => undefined)], done, 10)).rejects.toThrow('worker died');
  });
});
