// Sync against peers that stall, lie or send bad headers, and a fork with more work: real nodes on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_SIZE, NONCE_OFFSET } from '../src/constants.js';
import type { Core } from '../src/core/types.js';
import { bitsToTarget, hashMeetsTarget } from '../src/chain/header.js';
import type { Peer } from '../src/p2p/types.js';
import { PENALTY } from '../src/sync/manager.js';
import { MsgType } from '../src/wire/types.js';
import {
  chainDir,
  connect,
  copyDir,
  genesis,
  getCore,
  hex,
  makeBlocks,
  removeFixtures,
  startNode,
  stopAll,
  tempDir,
  waitFor,
  type Made,
  type TestNode,
} from './helpers/sync-fixture.js';

const MINER = new Uint8Array(20).fill(0x22);
const FAST = { blockTimeoutMs: 300, requestTimeoutMs: 2_000, stallBackoffMs: 2_000, headerTimeoutMs: 2_000, checkMs: 50 };
let core: Core;
let blocks: Made[];
let dir600: string;

beforeAll(async () => {
  core = await getCore();
  blocks = makeBlocks(core, genesis(core), 600, MINER);
  dir600 = await chainDir(blocks);
}, 30_000);

afterEach(async () => {
  await stopAll();
});

afterAll(async () => {
  await stopAll();
  removeFixtures();
});

/** A node without sync: the test scripts its answers. Claims `height` with a large chain work. */
async function rogue(dataDir: string, height: number): Promise<TestNode> {
  return startNode(dataDir, { withSync: false, net: { localInfo: () => ({ height, chainWork: 1n << 200n }) } });
}

/** The PeerManager-side view of `other` as seen from `n`. */
const peerOf = (n: TestNode, other: TestNode): Peer | undefined => n.net.peers().find((p) => p.listenPort === other.net.port || p.address.endsWith(`:${other.net.port}`)) ?? n.net.peers()[0];

describe('stalls', () => {
  it('a peer that never delivers blocks is replaced and its blocks re-requested elsewhere', async () => {
    const honest = await startNode(copyDir(dir600));
    const staller = await rogue(copyDir(dir600), 600);
    let getdata = 0;
    staller.net.on(MsgType.GETBLOCKS, async (peer, m) => {
      staller.net.send(peer, { type: MsgType.BLOCKS, headers: await staller.chain.getHeadersRange(m.start, Math.min(m.count, 500)) });
    });
    staller.net.on(MsgType.GETDATA, () => void getdata++);
    // all nodes share this process's event loop: a 1 s stall limit and many allowed stalls keep a busy
    // loop from costing the honest peer its standing
    const b = await startNode(tempDir(), { sync: { ...FAST, blockTimeoutMs: 1_000, maxStalls: 50 } });
    await connect(b, staller);
    await connect(b, honest);
    await waitFor(() => b.chain.tip().height === 600, 20_000, 'b synced');
    expect(hex(b.chain.tip().hash)).toBe(hex(blocks[599]!.hash));
    const st = b.sync.stats();
    expect(getdata).toBeGreaterThan(0);
    expect(st.stalls).toBeGreaterThanOrEqual(1);
    expect(st.reRequested).toBeGreaterThan(0);
    const views = st.peers;
    expect(views.find((v) => v.delivered === 0)?.stalls).toBeGreaterThanOrEqual(1);
    expect(honest.sync.stats().servedBlocks).toBeGreaterThanOrEqual(600);
  });
});

describe('bad headers', () => {
  it('headers that connect to nothing, even after walking back, cost points and standing', async () => {
    const r = await rogue(copyDir(dir600), 1000);
    r.net.on(MsgType.GETBLOCKS, (peer, m) => {
      const hs: Uint8Array[] = [];
      for (let i = 0; i < Math.min(m.count, 500, 601 - m.start); i++) {
        // well-formed, but the parent is a hash nobody has
        const h = blocks[m.start + i - 1]!.bytes.slice(0, HEADER_SIZE);
        h.fill(0x5a, 6, 38);
        hs.push(h);
      }
      r.net.send(peer, { type: MsgType.BLOCKS, headers: hs });
    });
    const b = await startNode(await chainDir(blocks.slice(0, 50)), { sync: FAST });
    await connect(b, r);
    await waitFor(() => (b.net.stats().invalid['sync-headers-do-not-connect'] ?? 0) === 1, 5_000, 'penalty');
    const st = b.sync.stats();
    expect(st.forkWalks).toBe(1); // asked 51.. then walked back to 1, which did not connect either
    expect(peerOf(b, r)!.score).toBe(PENALTY.headersUnconnected);
    expect(st.peers[0]!.standing).toBe(false);
    // the liar no longer counts for the target height
    expect(b.sync.progress()).toMatchObject({ blocks: 50, targetHeight: 50, syncing: false });
  });

  it('headers that fail proof of work are rejected with points', async () => {
    const r = await rogue(copyDir(dir600), 600);
    const bad = blocks.slice(0, 10).map((m) => m.bytes.slice(0, HEADER_SIZE));
    // break header 5's proof: a nonce whose hash is above the target
    const dv = new DataView(bad[4]!.buffer);
    const target = bitsToTarget(blocks[4]!.header.bits)!;
    for (let n = 0; hashMeetsTarget(core.sha256d(bad[4]!), target); n++) dv.setUint32(NONCE_OFFSET, n, true);
    r.net.on(MsgType.GETBLOCKS, (peer) => void r.net.send(peer, { type: MsgType.BLOCKS, headers: bad }));
    const b = await startNode(tempDir(), { sync: FAST });
    await connect(b, r);
    await waitFor(() => (b.net.stats().invalid['sync-headers-invalid:high-hash'] ?? 0) === 1, 5_000, 'penalty');
    expect(peerOf(b, r)!.score).toBe(PENALTY.headersInvalid);
    // the 4 good headers before the bad one were kept, no block was asked for past them
    expect(b.chain.headerTip().height).toBe(4);
    expect(b.sync.stats().peers[0]!.standing).toBe(false);
  });

  it('a peer that claims a height but returns no headers loses its standing', async () => {
    const r = await rogue(tempDir(), 5000);
    r.net.on(MsgType.GETBLOCKS, (peer) => void r.net.send(peer, { type: MsgType.BLOCKS, headers: [] }));
    const b = await startNode(tempDir(), { sync: FAST });
    const progress: boolean[] = [];
    b.sync.onProgress((p) => progress.push(p.syncing));
    await connect(b, r);
    await waitFor(() => (b.net.stats().invalid['sync-cannot-serve-claimed-height'] ?? 0) === 1, 5_000, 'penalty');
    expect(peerOf(b, r)!.score).toBe(PENALTY.cannotServe);
    expect(b.sync.progress()).toMatchObject({ targetHeight: 0, syncing: false });
    // without standing it is not asked again at the next tick
    const asked = b.sync.stats().headerRequests;
    expect(asked).toBeLessThanOrEqual(2); // first request and one pipelined
    b.sync.syncNow();
    await new Promise((res) => setTimeout(res, 100));
    expect(b.sync.stats().headerRequests).toBe(asked);
    expect(progress).toContain(true);
    expect(progress[progress.length - 1]).toBe(false);
  });

  it('a flood of unsolicited duplicate blocks costs points', async () => {
    const a = await startNode(copyDir(dir600), { withSync: false });
    const b = await startNode(copyDir(dir600), { sync: { unsolicitedLimit: 5 } });
    await connect(a, b);
    const peer = a.net.peers()[0]!;
    for (let i = 0; i < 10; i++) a.net.send(peer, { type: MsgType.BLOCK, block: blocks[100]!.bytes });
    await waitFor(() => (b.net.stats().invalid['sync-unsolicited-flood'] ?? 0) === 1, 5_000, 'flood penalty');
    expect(b.net.peers()[0]!.score).toBe(PENALTY.unsolicitedFlood);
    expect(b.sync.stats().blocksDuplicate).toBeGreaterThanOrEqual(6);
  });
});

describe('forks', () => {
  it('a remote branch with more work triggers a walk back to the fork point and a reorg', async () => {
    const base = blocks.slice(0, 100);
    const longer = makeBlocks(core, base[99]!, 30, new Uint8Array(20).fill(0xa1));
    const shorter = makeBlocks(core, base[99]!, 20, new Uint8Array(20).fill(0xb2));
    const a = await startNode(await chainDir([...base, ...longer]));
    const b = await startNode(await chainDir([...base, ...shorter]), { sync: FAST });
    expect(b.chain.tip().height).toBe(120);
    await connect(b, a);
    await waitFor(() => hex(b.chain.tip().hash) === hex(longer[29]!.hash), 10_000, 'b reorganised');
    expect(b.chain.tip().height).toBe(130);
    const st = b.sync.stats();
    expect(st.forkWalks).toBeGreaterThanOrEqual(1);
    expect(st.blocksRequested).toBeGreaterThanOrEqual(30);
    expect(st.blocksRequested).toBeLessThan(60);
    expect(await b.chain.getHeaderByHeight(110)).toEqual(longer[9]!.header);
    // the node with more work kept its chain and was not penalised
    expect(hex(a.chain.tip().hash)).toBe(hex(longer[29]!.hash));
    expect(b.net.peers()[0]!.score).toBe(0);
  });
});
