// Partition in the simulator: four real nodes (BloomNode: chain, mempool, sync, gossip, miner) on the
// in-memory network with virtual time. They share a prefix, are cut in two groups that mine apart, then
// healed: all converge on the branch with most work, the losing branch's transactions return to the
// mempool, and a double spend confirmed only on the losing branch disappears.
import { MemoryLevel } from 'memory-level';
import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../src/chain/bytes.js';
import type { ChainDb } from '../src/chain/store.js';
import { encodeTx, keyPairFromSeed } from '../src/chain/tx.js';
import type { TipChange } from '../src/chain/types.js';
import { resolveConfig } from '../src/config.js';
import { DEVNET } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { BloomNode } from '../src/node.js';
import { settle, VirtualClock } from '../src/sim/clock.js';
import { VirtualHashPool } from '../src/sim/pool.js';
import { Rng } from '../src/sim/rng.js';
import { hostOf, splitRule } from '../src/sim/topology.js';
import { MemoryNetwork } from '../src/sim/transport.js';
import { buildSignedTx, type WalletKey } from '../src/wallet.js';
import { checkReplay } from './helpers/replay.js';

const core = await loadCore();
const PORT = DEVNET.p2pPort;
/** Virtual hashes/s per miner: the devnet target needs ~4096 hashes, so one miner alone finds a block every ~4 s. */
const HASHRATE = 1024;

/** A wallet key from a fixed seed byte: the run is the same every time (txids feed merkle roots and nonces). */
function fixedKey(b: number): WalletKey {
  const seed = new Uint8Array(32).fill(b);
  const kp = keyPairFromSeed(seed);
  const hex = (x: Uint8Array): string => Buffer.from(x).toString('hex');
  return { address: hex(kp.address), publicKey: hex(kp.publicKey), seed: hex(seed), createdAt: '' };
}

interface SimNet {
  clock: VirtualClock;
  net: MemoryNetwork;
  nodes: BloomNode[];
}

let running: SimNet | null = null;

afterEach(async () => {
  if (!running) return;
  const { clock, nodes } = running;
  running = null;
  await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
  await clock.runFor(0);
  await settle();
  clock.clear();
});

async function build(miners: { index: number; key: WalletKey }[], n: number): Promise<SimNet> {
  const clock = new VirtualClock();
  const rng = new Rng(1010);
  const net = new MemoryNetwork(clock, rng.fork('net'), { latency: { kind: 'fixed', ms: 20 }, bandwidth: 0, loss: 0, connectTimeoutMs: 1000 });
  const nodes: BloomNode[] = [];
  for (let i = 0; i < n; i++) {
    const host = hostOf(i);
    const miner = miners.find((m) => m.index === i);
    const config = resolveConfig({
      network: 'devnet',
      host,
      port: PORT,
      apiPort: 0,
      dataDir: `/sim/${host}`,
      // a full mesh of seeds: after the heal every cross-group seed is redialled
      seeds: Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => `${hostOf(j)}:${PORT}`),
      mine: !!miner,
      minerAddress: miner?.key.address,
      oscillators: 64,
    });
    const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;
    const node = await BloomNode.create(config, {
      transport: net.transport(host),
      clock,
      db,
      core,
      pool: miner ? new VirtualHashPool(core, clock, HASHRATE) : undefined,
      nonce: BigInt(i + 1) * 0x1_0000_0001n,
      minerSeed: 77 + i,
    });
    nodes.push(node);
  }
  running = { clock, net, nodes };
  for (const node of nodes) await node.start();
  return running;
}

/** Advances virtual time in 1 s steps until `done()` holds; false if it never did within `maxSec`. */
async function runUntil(clock: VirtualClock, maxSec: number, done: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let s = 0; s < maxSec; s++) {
    await clock.runFor(1000, { maxEvents: 2_000_000 });
    if (await done()) return true;
  }
  return false;
}

const tipHex = (n: BloomNode): string => toHex(n.chain.tip().hash);

describe('partition (simulator)', () => {
  it('two groups mine apart, rejoin on the most-work branch; losing-branch txs return to the mempool', { timeout: 60_000 }, async () => {
    const kA = fixedKey(0xa1);
    const kB = fixedKey(0xb2);
    const payee = fixedKey(0xc3).address;
    // group A = nodes 0, 1 (two miners), group B = nodes 2, 3 (one miner): A has twice the hash power
    const { clock, net, nodes } = await build([{ index: 0, key: kA }, { index: 1, key: kA }, { index: 2, key: kB }], 4);
    const groupA = nodes.slice(0, 2);
    const groupB = nodes.slice(2);

    // 1. a shared prefix in which both keys earned coins
    const funded = await runUntil(clock, 120, async () => {
      const t = tipHex(nodes[0]!);
      if (!nodes.every((n) => tipHex(n) === t)) return false;
      const a = await nodes[3]!.getAccount(Buffer.from(kA.address, 'hex'));
      const b = await nodes[3]!.getAccount(Buffer.from(kB.address, 'hex'));
      return a.balance > 0n && b.balance > 0n;
    });
    expect(funded, 'no shared prefix paying both miners').toBe(true);
    const forkHeight = nodes[0]!.chain.tip().height;

    // 2. cut; each side confirms its own transactions, B confirms a double spend of kA's nonce 0
    net.setCut(splitRule(new Set([hostOf(0), hostOf(1)])));
    const tx = (k: WalletKey, to: string, nonce: bigint) => buildSignedTx(k, { to, amount: 5000n, fee: 10n, nonce }, DEVNET.magic);
    const txA = tx(kA, payee, 0n);
    const txDouble = tx(kA, kB.address, 0n);
    const txB = tx(kB, payee, 0n);
    expect((await groupA[1]!.submitTx(txA.bytes)).accepted).toBe(true);
    expect((await groupB[1]!.submitTx(txDouble.bytes)).accepted).toBe(true);
    expect((await groupB[1]!.submitTx(txB.bytes)).accepted).toBe(true);
    const split = await runUntil(clock, 120, async () => {
      const onA = (await Promise.all(groupA.map((n) => n.chain.getTx(txA.txid)))).every(Boolean);
      const onB = (await Promise.all(groupB.flatMap((n) => [n.chain.getTx(txB.txid), n.chain.getTx(txDouble.txid)]))).every(Boolean);
      return onA && onB && nodes[0]!.chain.tip().height > forkHeight + 12;
    });
    expect(split, 'both sides should confirm their transactions while cut').toBe(true);
    // the groups really are apart: different tips, and A never saw B's transactions
    expect(tipHex(groupA[0]!)).not.toBe(tipHex(groupB[0]!));
    expect(await groupA[0]!.chain.getTx(txB.txid)).toBeUndefined();
    const heavyA = groupA[0]!.chain.tip();
    const heavyB = groupB[0]!.chain.tip();
    expect(heavyA.chainWork).toBeGreaterThan(heavyB.chainWork);
    const lostBlock = (await groupB[1]!.chain.getTx(txB.txid))!.blockHash;

    // watch B's nodes at the moment they reorganise: txB must be back in the mempool right then
    const returned = new Map<number, boolean>();
    let viaPool = 0;
    for (const [i, n] of groupB.entries()) {
      n.chain.onTip((c: TipChange) => {
        // listeners run in order and the mempool subscribed first (in BloomNode.create)
        if (!c.disconnected.some((b) => b.txs.some((t) => toHex(core.sha256d(encodeTx(t))) === toHex(txB.txid)))) return;
        // back in the mempool, or (if B's miner already re-mined it on the winning branch) in the blocks connected
        const reconfirmed = c.connected.some((b) => b.txs.some((t) => toHex(core.sha256d(encodeTx(t))) === toHex(txB.txid)));
        returned.set(i, n.txpool.has(txB.txid) || reconfirmed);
        if (n.txpool.has(txB.txid)) viaPool++;
      });
    }

    // 3. heal: everyone converges on A's branch (it has the most work)
    net.setCut(null);
    const converged = await runUntil(clock, 240, async () => {
      const t = tipHex(nodes[0]!);
      if (!nodes.every((n) => tipHex(n) === t)) return false;
      return toHex((await nodes[3]!.chain.getHashByHeight(heavyA.height)) ?? new Uint8Array()) === toHex(heavyA.hash);
    });
    expect(converged, `tips: ${nodes.map((n) => `${n.chain.tip().height}:${tipHex(n).slice(0, 8)}`).join(' ')}`).toBe(true);
    for (const n of nodes) expect(n.chain.isMain(lostBlock, heavyB.height)).toBe(false);

    expect(returned.get(0)).toBe(true);
    expect(returned.get(1)).toBe(true);
    expect(viaPool, 'at least one node must have taken txB back into its mempool').toBeGreaterThan(0);
    for (const n of nodes) {
      // A's payment stands everywhere; the double spend is gone for good (confirmed nowhere, pooled nowhere)
      expect((await n.chain.getTx(txA.txid))?.height).toBeGreaterThan(forkHeight);
      expect(await n.chain.getTx(txDouble.txid)).toBeUndefined();
      expect(n.txpool.has(txDouble.txid)).toBe(false);
      // the ledger of each node equals a replay of the branch it now follows
      await checkReplay(n.chain);
    }
    // txB is pending (mempool) or re-confirmed on the winning branch on B's nodes, never lost
    for (const n of groupB) {
      const on = await n.chain.getTx(txB.txid);
      expect(n.txpool.has(txB.txid) || (on !== undefined && n.chain.isMain(on.blockHash, on.height))).toBe(true);
    }
  });
});

