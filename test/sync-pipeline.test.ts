// Block download as a pipeline, over real sockets: GETDATA in whole batches, one fetch per block however
// many announce it, the next header request sent before the last reply is processed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../src/core/types.js';
import { MsgType } from '../src/wire/types.js';
import { chainDir, connect, copyDir, genesis, getCore, hex, makeBlocks, removeFixtures, startNode, stopAll, tempDir, waitFor, type Made } from './helpers/sync-fixture.js';

let core: Core;
let blocks: Made[];
let dir: string;

beforeAll(async () => {
  core = await getCore();
  blocks = makeBlocks(core, genesis(core), 400, new Uint8Array(20).fill(0x44));
  dir = await chainDir(blocks);
}, 30_000);

afterEach(async () => {
  await stopAll();
});

afterAll(() => removeFixtures());

describe('block download pipeline', () => {
  it('asks in whole batches even when the in-flight cap is what limits it', async () => {
    const a = await startNode(copyDir(dir));
    // a small cap makes every processed block free one slot: the old path sent a GETDATA per slot
    const b = await startNode(tempDir(), { sync: { maxOutstanding: 40 } });
    await connect(b, a);
    await waitFor(() => b.chain.tip().height === 400, 20_000, 'synced');
    const st = b.sync.stats();
    expect(st.blocksRequested).toBeGreaterThanOrEqual(400);
    // 40 batches of 10 (a few more if a stall re-requested some)
    expect(st.getDataSent).toBeLessThanOrEqual(45);
    expect(st.blocksRequested / st.getDataSent).toBeGreaterThanOrEqual(9);
    expect(st.blocksDuplicate).toBe(0);
  });

  it('an announcement of a block already in flight sends no second GETDATA', async () => {
    const src = await startNode(copyDir(dir), { withSync: false });
    const asked = new Map<string, number>();
    const held: (() => void)[] = [];
    src.net.on(MsgType.GETBLOCKS, async (peer, m) => {
      src.net.send(peer, { type: MsgType.BLOCKS, headers: await src.chain.getHeadersRange(m.start, Math.min(m.count, 500)) });
    });
    // answers GETDATA only when released, so the blocks stay in flight while they are announced
    src.net.on(MsgType.GETDATA, (peer, m) => {
      for (const h of m.hashes) asked.set(hex(h), (asked.get(hex(h)) ?? 0) + 1);
      held.push(() => {
        void (async () => {
          for (const h of m.hashes) {
            const bytes = await src.chain.getBlockBytes(h);
            if (bytes) src.net.send(peer, { type: MsgType.BLOCK, block: bytes });
          }
        })();
      });
    });
    const b = await startNode(tempDir());
    await connect(b, src);
    await waitFor(() => asked.size >= 10, 10_000, 'first GETDATA');
    const first = blocks[0]!;
    expect(asked.get(hex(first.hash))).toBe(1);
    const peer = b.net.peers()[0]!;
    // a BLOOM (or any announcement) of it, twice, while it is in flight
    await b.sync.announce(peer, { hash: first.hash });
    await b.sync.announce(peer, { hash: first.hash });
    await new Promise((r) => setTimeout(r, 200));
    expect(asked.get(hex(first.hash))).toBe(1);
    // release everything, including what gets asked for later, until synced
    const until = Date.now() + 20_000;
    while (b.chain.tip().height < 400 && Date.now() < until) {
      held.splice(0).forEach((f) => f());
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(b.chain.tip().height).toBe(400);
    expect([...asked.entries()].filter(([, n]) => n !== 1).map(([k]) => blocks.findIndex((x) => hex(x.hash) === k) + 1)).toEqual([]);
    expect(b.sync.stats().blocksDuplicate).toBe(0);
  });
});

describe('header pipeline', () => {
  it('the next GETBLOCKS goes out before the previous reply is processed', async () => {
    const src = await startNode(copyDir(dir), { withSync: false });
    const sent: number[] = [];
    let replies = 0;
    src.net.on(MsgType.GETBLOCKS, async (peer, m) => {
      sent.push(m.start);
      // 50 headers per reply, so a 400-header chain takes 8 replies
      src.net.send(peer, { type: MsgType.BLOCKS, headers: await src.chain.getHeadersRange(m.start, Math.min(m.count, 50)) });
      replies++;
    });
    src.net.on(MsgType.GETDATA, () => undefined);
    const b = await startNode(tempDir(), { sync: { headerBatch: 50 } });
    let processedWhenAsked = -1;
    const orig = b.chain.addHeaders.bind(b.chain);
    let calls = 0;
    b.chain.addHeaders = async (hs) => {
      calls++;
      // the first reply's processing: by now the requests after it must already be out
      if (calls === 1) {
        await new Promise((r) => setTimeout(r, 100));
        processedWhenAsked = sent.length;
      }
      return orig(hs);
    };
    await connect(b, src);
    await waitFor(() => b.chain.headerTip().height === 400, 10_000, 'headers');
    expect(replies).toBeGreaterThanOrEqual(8);
    // two were in flight at first; the first reply's arrival sent more before it was validated
    expect(processedWhenAsked).toBeGreaterThanOrEqual(3);
  });
});
