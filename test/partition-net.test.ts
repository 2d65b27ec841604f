// Partition with real processes (dist/cli.js on 127.0.0.1): two groups that share a prefix mine apart with no
// link between them, then a node of the losing group restarts seeded to the other group. All converge on
// the branch with most work; a tx confirmed only on the losing branch is back in the losing nodes' mempools,
// a double spend confirmed only there is gone, and every store equals a replay of its chain.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../src/chain/chain.js';
import { DEVNET } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { generateKey } from '../src/wallet.js';
import { api, assertBuilt, reapAll, sendTx, startNode, status, waitFor, type DevnetProcess } from './helpers/devnet-process.js';
import { checkReplay } from './helpers/replay.js';

const dirs: string[] = [];

afterEach(async () => {
  await reapAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface TxView {
  status?: string;
  height?: number;
  blockHash?: string;
}

const txOf = (p: DevnetProcess, id: string) => api<TxView>(p.api, `/tx/${id}`);
const confirmedOn = async (ps: DevnetProcess[], id: string): Promise<boolean> =>
  (await Promise.all(ps.map((p) => txOf(p, id)))).every((r) => r.json.status === 'confirmed');
const hashAt = async (p: DevnetProcess, h: number): Promise<string | undefined> => {
  const r = await api<{ hash?: string }>(p.api, `/blocks/${h}`);
  return r.status === 200 ? r.json.hash : undefined;
};

describe('partition (real processes on loopback)', () => {
  it('groups mining apart converge on the most-work branch; its losers return to the mempool', { timeout: 90_000 }, async () => {
    assertBuilt();
    const root = mkdtempSync(join(tmpdir(), 'bloom-partition-'));
    dirs.push(root);
    const d = (n: string): string => join(root, n);
    const kA = generateKey();
    const kB = generateKey();
    const payee = generateKey().address;

    // 1. shared prefix: one node mines to kA, pays kB; stopped cleanly and its store copied to both groups
    const p0 = await startNode({ dataDir: d('p0'), minerAddress: kA.address });
    await waitFor('kA funded', async () => ((await status(p0.api)).height >= 1 ? true : undefined), 20_000);
    const fund = await sendTx(p0.api, kA, kB.address, 1_000_000n, 0n);
    expect(fund.accepted, JSON.stringify(fund)).toBe(true);
    await waitFor('funding confirmed', async () => ((await txOf(p0, fund.txid)).json.status === 'confirmed' ? true : undefined), 20_000);
    expect((await p0.stop()).code).toBe(0);
    cpSync(d('p0'), d('a1'), { recursive: true });
    cpSync(d('p0'), d('b1'), { recursive: true });

    // 2. two groups, no link between them: A = miner + follower, B = miner + follower
    const a1 = await startNode({ dataDir: d('a1'), minerAddress: kA.address });
    const b1 = await startNode({ dataDir: d('b1'), minerAddress: kB.address });
    const a2 = await startNode({ dataDir: d('a2'), mine: false, seeds: [a1.p2p] });
    const b2 = await startNode({ dataDir: d('b2'), mine: false, seeds: [b1.p2p], logLevel: 'debug' });
    const forkHeight = (await status(a1.api)).height;
    // the followers have the prefix (kA's nonce 0 spent, kB funded) before the groups' own txs go in
    await waitFor('followers synced', async () => ((await confirmedOn([a2, b2], fund.txid)) ? true : undefined), 20_000);
    const txA = await sendTx(a2.api, kA, payee, 5000n, 1n);
    const txDouble = await sendTx(b2.api, kA, kB.address, 7000n, 1n); // spends kA's nonce 1 again
    const txB = await sendTx(b2.api, kB, payee, 3000n, 0n);
    for (const t of [txA, txDouble, txB]) expect(t.accepted, JSON.stringify(t)).toBe(true);
    await waitFor('each side confirms its txs', async () =>
      (await confirmedOn([a1, a2], txA.txid)) && (await confirmedOn([b1, b2], txB.txid)) && (await confirmedOn([b1, b2], txDouble.txid)) ? true : undefined,
    30_000, 250);
    expect((await txOf(a1, txB.txid)).status).toBe(404); // A never heard of B's txs
    const lostBlock = (await txOf(b2, txB.txid)).json.blockHash!;

    // 3. B stops mining (its follower keeps the branch); A mines on until it clearly has more work
    expect((await b1.stop()).code).toBe(0);
    const sB = await status(b2.api);
    const sA = await waitFor('A ahead of B', async () => {
      const [x, y] = await Promise.all([status(a1.api), status(a2.api)]);
      return x.height >= sB.height + 3 && y.height === x.height ? x : undefined;
    }, 30_000, 200);
    expect(sA.height).toBeGreaterThan(forkHeight);

    // 4. join: B's old miner restarts without mining, seeded to A's miner and to its own follower
    const b1r = await startNode({ dataDir: d('b1'), mine: false, seeds: [a1.p2p, b2.p2p] });
    const all = [a1, a2, b1r, b2];
    await waitFor('convergence on A\'s branch', async () => {
      const hs = await Promise.all(all.map((p) => hashAt(p, sA.height)));
      return hs.every((h) => h === sA.tipHash) ? true : undefined;
    }, 30_000, 250).catch(async (e: Error) => {
      const st = await Promise.all(all.map(async (p) => ({ s: await status(p.api), peers: (await api<{ address: string }[]>(p.api, '/peers')).json.map((x) => x.address) })));
      throw new Error(`${e.message}; A at ${sA.height} ${sA.tipHash.slice(0, 12)}; nodes: ${JSON.stringify(st.map((x) => [x.s.height, x.s.tipHash.slice(0, 12), x.peers]))}; b2 logs:\n${b2.logs.filter((l) => !l.includes('api request')).slice(-80).join('\n')}`);
    });
    // B's block with txB is off every main chain (A's nodes never had it at all)
    for (const p of [b1r, b2]) expect((await api<{ mainChain: boolean }>(p.api, `/blocks/${lostBlock}`)).json.mainChain).toBe(false);
    for (const p of [a1, a2]) expect((await api(p.api, `/blocks/${lostBlock}`)).status).toBe(404);

    for (const p of all) {
      // A's payment stands; the double spend confirmed only on B's branch is nowhere (not even the mempool)
      expect((await txOf(p, txA.txid)).json.status).toBe('confirmed');
      expect((await txOf(p, txDouble.txid)).status).toBe(404);
    }
    // txB went back to the mempool of B's nodes and from there to A's miner: it ends up on the winning branch
    const reconfirmed = await waitFor('txB re-mined on the winning branch', async () => {
      const ts = await Promise.all(all.map((p) => txOf(p, txB.txid)));
      return ts.every((t) => t.json.status === 'confirmed' && t.json.blockHash === ts[0]!.json.blockHash) ? ts[0]!.json : undefined;
    }, 20_000, 250);
    expect(reconfirmed.blockHash).not.toBe(lostBlock);
    expect(reconfirmed.height).toBeGreaterThan(forkHeight);

    // 5. clean stops; every store equals a replay of the branch it follows
    for (const p of all) expect((await p.stop()).code).toBe(0);
    const core = await loadCore();
    for (const n of ['a1', 'a2', 'b1', 'b2']) {
      const chain = await Chain.open({ dataDir: d(n), profile: DEVNET, core });
      try {
        const rep = await checkReplay(chain);
        expect(rep.hashes[sA.height]).toBe(sA.tipHash);
      } finally {
        await chain.close();
      }
    }
  });
});
