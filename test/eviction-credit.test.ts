// Issue 19: inbound-eviction protection for "recent blocks/txs" is earned only by new, valid ones (Core credits
// m_last_block_time / m_last_tx_time from the validation result), over real sockets against a full node.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyPairFromSeed, signTx, type KeyPair } from '../src/chain/tx.js';
import type { Core } from '../src/core/types.js';
import type { PeerConn } from '../src/p2p/peer.js';
import { MsgType } from '../src/wire/types.js';
import { HostileClient, sleep } from './helpers/hostile-client.js';
import { chainDir, copyDir, genesis, getCore, makeBlocks, PROFILE, removeFixtures, startNode, stopAll, waitFor, type Made, type TestNode } from './helpers/sync-fixture.js';

let core: Core;
let key: KeyPair;
let base: Made[];
let dir: string;

beforeAll(async () => {
  core = await getCore();
  key = keyPairFromSeed(new Uint8Array(32).fill(0x31)); // mines the fixture, so it can pay
  base = makeBlocks(core, genesis(core), 5, key.address);
  dir = await chainDir(base);
}, 30_000);

afterEach(async () => {
  HostileClient.destroyAll();
  await stopAll();
});

afterAll(() => removeFixtures());

const to = new Uint8Array(20).fill(1);
/** The node's own record of a client (by the client's local port). */
const connOf = (n: TestNode, c: HostileClient): PeerConn => n.net.peers().find((p) => p.address.endsWith(`:${c.socket.localPort}`)) as PeerConn;

/** Old blocks (already stored), an invalid block, a duplicate tx, an unfundable tx and a bad signature: nothing new and valid. */
async function replayJunk(n: TestNode, c: HostileClient, accepted: Uint8Array): Promise<void> {
  const before = n.sync.stats();
  for (const b of base.slice(1, 4)) c.send({ type: MsgType.BLOCK, block: b.bytes });
  const tip = { hash: n.chain.tip().hash, header: n.chain.tip().header };
  const poor = keyPairFromSeed(new Uint8Array(32).fill(0x99));
  const bad = makeBlocks(core, tip, 1, to, [signTx(poor, { to, amount: 5n, fee: 1n, nonce: 0n }, PROFILE.magic)])[0]!;
  c.send({ type: MsgType.BLOCK, block: bad.bytes });
  c.send({ type: MsgType.TX, tx: accepted });
  c.send({ type: MsgType.TX, tx: signTx(poor, { to, amount: 5n, fee: 1n, nonce: 0n }, PROFILE.magic) });
  const forged = signTx(key, { to, amount: 7n, fee: 1n, nonce: 1n }, PROFILE.magic);
  forged[100]! ^= 1;
  c.send({ type: MsgType.TX, tx: forged });
  await c.roundTrip();
  await waitFor(() => n.sync.stats().blocksInvalid > before.blocksInvalid && n.sync.stats().blocksReceived >= before.blocksReceived + 4, 5_000, 'junk processed');
  await waitFor(() => (n.net.stats().invalid['sync-tx-invalid:bad-tx-sig'] ?? 0) > 0, 5_000, 'forged tx rejected');
}

describe('eviction protection from blocks and transactions', () => {
  it('is earned by a new valid block or tx, not by replayed or invalid ones', async () => {
    const n = await startNode(copyDir(dir));
    const honest = await HostileClient.handshaken(n.net.port, {}, '127.40.0.1');
    const replayer = await HostileClient.handshaken(n.net.port, {}, '127.41.0.1');
    const tx = signTx(key, { to, amount: 10n, fee: 1n, nonce: 0n }, PROFILE.magic);
    const tip = { hash: n.chain.tip().hash, header: n.chain.tip().header };
    const next = makeBlocks(core, tip, 1, to)[0]!;
    honest.send({ type: MsgType.TX, tx });
    await waitFor(() => n.mempool.size === 1, 5_000, 'honest tx accepted');
    honest.send({ type: MsgType.BLOCK, block: next.bytes });
    await waitFor(() => n.chain.tip().height === 6, 5_000, 'honest block connected');
    await replayJunk(n, replayer, tx);
    await sleep(50);
    expect(connOf(n, honest).lastTxAt).toBeGreaterThan(0);
    expect(connOf(n, honest).lastBlockAt).toBeGreaterThan(0);
    expect(connOf(n, replayer).lastTxAt).toBe(0);
    expect(connOf(n, replayer).lastBlockAt).toBe(0);
  });

  it('a peer replaying old or invalid blocks and txs is evicted like any young peer of a crowded group', async () => {
    // 4 slots, all from one group; nobody answers PING, so ping protection covers no one
    const n = await startNode(copyDir(dir), { net: { maxInbound: 4 } });
    const crowd: HostileClient[] = [];
    for (let i = 1; i <= 3; i++) {
      crowd.push(await HostileClient.handshaken(n.net.port, {}, `127.30.0.${i}`));
      await sleep(20); // distinct connectedAt
    }
    const replayer = await HostileClient.handshaken(n.net.port, {}, '127.30.0.9');
    const tx = signTx(key, { to, amount: 10n, fee: 1n, nonce: 0n }, PROFILE.magic);
    expect((await n.sync.submitTx(tx)).accepted).toBe(true);
    await replayJunk(n, replayer, tx);
    expect(replayer.closed).toBe(false); // its points are below a ban
    // Core's order: the oldest of the group, then (had it earned them) the replayer by tx and block
    // time, then the older half by uptime; the youngest left is evicted. Credited, the replayer would
    // be kept and crowd[2] would go.
    const newcomer = await HostileClient.handshaken(n.net.port, {}, '127.50.0.1');
    await replayer.waitClosed();
    await sleep(50);
    expect(crowd.map((c) => c.closed)).toEqual([false, false, false]);
    expect(newcomer.closed).toBe(false);
    expect(n.net.stats().disconnects.evicted).toBe(1);
  });
});
