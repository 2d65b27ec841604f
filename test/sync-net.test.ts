// Sync between real nodes: real PeerManager over TCP on 127.0.0.1, real Chain in temp dirs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/types.js';
import type { SyncProgress } from '../src/sync/manager.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import { MsgType } from '../src/wire/types.js';
import { chainDir, connect, copyDir, genesis, getCore, hex, makeBlocks, PROFILE, removeFixtures, startNode, stopAll, tempDir, waitFor, type Made } from './helpers/sync-fixture.js';

const MINER = new Uint8Array(20).fill(0x11);
let core: Core;
let blocks: Made[];
let fullDir: string;

beforeAll(async () => {
  core = await getCore();
  blocks = makeBlocks(core, genesis(core), 3000, MINER);
  fullDir = await chainDir(blocks);
}, 30_000);

afterEach(async () => {
  await stopAll();
});

afterAll(async () => {
  await stopAll();
  removeFixtures();
});

describe('sync between real nodes', () => {
  it('syncs 3000 blocks header-first from one peer, reporting progress', async () => {
    const a = await startNode(copyDir(fullDir));
    const b = await startNode(tempDir());
    const seen: SyncProgress[] = [];
    b.sync.onProgress((p) => seen.push(p));
    await connect(b, a);
    await waitFor(() => b.chain.tip().height === 3000, 25_000, 'b at 3000');
    expect(hex(b.chain.tip().hash)).toBe(hex(blocks[2999]!.hash));
    expect(b.chain.tip().chainWork).toBe(a.chain.tip().chainWork);
    const st = b.sync.stats();
    expect(st.headersAdded).toBe(3000);
    // headers came in batches of 500
    expect(st.headerRequests).toBeGreaterThanOrEqual(6);
    expect(st.headerRequests).toBeLessThanOrEqual(8);
    expect(st.blocksRequested).toBeGreaterThanOrEqual(3000);
    expect(st.blocksConnected).toBeGreaterThanOrEqual(1);
    expect(a.sync.stats().servedHeaders).toBeGreaterThanOrEqual(3000);
    expect(a.sync.stats().servedBlocks).toBeGreaterThanOrEqual(3000);
    // progress: syncing at some point with the right target, then done
    await waitFor(() => seen.some((p) => !p.syncing && p.blocks === 3000), 3_000, 'final progress');
    expect(seen.some((p) => p.syncing && p.targetHeight === 3000)).toBe(true);
    const p = b.sync.progress();
    expect(p).toMatchObject({ headers: 3000, blocks: 3000, targetHeight: 3000, syncing: false, etaSec: 0 });
    // the serving node learnt nothing new and relayed nothing back
    expect(a.chain.tip().height).toBe(3000);
    expect(a.sync.stats().blocksReceived).toBe(0);
  });

  it('downloads from three peers in parallel', async () => {
    const peers = await Promise.all([0, 1, 2].map(() => startNode(copyDir(fullDir))));
    const b = await startNode(tempDir());
    for (const p of peers) await connect(b, p);
    await waitFor(() => b.chain.tip().height === 3000, 25_000, 'b at 3000');
    expect(hex(b.chain.tip().hash)).toBe(hex(blocks[2999]!.hash));
    const served = peers.map((p) => p.sync.stats().servedBlocks);
    // every peer contributed blocks, none served everything
    for (const s of served) {
      expect(s).toBeGreaterThan(50);
      expect(s).toBeLessThan(3000);
    }
    expect(served.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(3000);
    const views = b.sync.stats().peers;
    expect(views).toHaveLength(3);
    for (const v of views) expect(v.delivered).toBeGreaterThan(50);
  });
});

describe('block and transaction relay', () => {
  it('reaches a third node and is not echoed back', async () => {
    // the key's address mines the first blocks, so it has coins to send
    const key = keyPairFromSeed(new Uint8Array(32).fill(7));
    const base = makeBlocks(core, genesis(core), 20, key.address);
    const dir = await chainDir(base);
    const a = await startNode(copyDir(dir));
    const b = await startNode(copyDir(dir));
    const c = await startNode(copyDir(dir));
    const got = { a: { block: 0, tx: 0 }, b: { block: 0, tx: 0 }, c: { block: 0, tx: 0 } };
    for (const [name, n] of [['a', a], ['b', b], ['c', c]] as const) {
      n.net.on(MsgType.BLOCK, () => void got[name].block++);
      n.net.on(MsgType.TX, () => void got[name].tx++);
    }
    await connect(a, b);
    await connect(b, c);
    await waitFor(() => b.net.peers().length === 2 && c.net.peers().length === 1, 5_000, 'line a-b-c');

    const next = makeBlocks(core, base[19]!, 1, MINER)[0]!;
    const res = await a.sync.submitBlock(next.bytes);
    expect(res.status).toBe('connected');
    await waitFor(() => c.chain.tip().height === 21, 5_000, 'c has the new block');
    expect(hex(c.chain.tip().hash)).toBe(hex(next.hash));
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toMatchObject({ a: { block: 0 }, b: { block: 1 }, c: { block: 1 } });
    expect(a.sync.stats().relayedBlocks).toBe(1);
    expect(b.sync.stats().relayedBlocks).toBe(1);
    expect(c.sync.stats().relayedBlocks).toBe(0);

    const tx = signTx(key, { to: MINER, amount: 1_000n, fee: 10n, nonce: 0n }, PROFILE.magic);
    expect((await a.sync.submitTx(tx)).accepted).toBe(true);
    await waitFor(() => c.mempool.size === 1, 5_000, 'c has the tx');
    expect(b.mempool.size).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toMatchObject({ a: { tx: 0 }, b: { tx: 1 }, c: { tx: 1 } });
    expect(c.sync.stats().relayedTxs).toBe(0);

    // a tx with a broken signature is dropped at b, costs a point, and goes no further
    const bad = signTx(key, { to: MINER, amount: 5n, fee: 10n, nonce: 1n }, PROFILE.magic);
    bad[100] = bad[100]! ^ 0xff;
    a.net.send(a.net.peers()[0]!, { type: MsgType.TX, tx: bad });
    await waitFor(() => (b.net.stats().invalid['sync-tx-invalid:bad-tx-sig'] ?? 0) === 1, 5_000, 'tx penalty');
    expect(b.net.peers().find((p) => p.score > 0)?.score).toBe(1);
    expect(got.c.tx).toBe(1);
  });
});
