// Group commit (src/chain/store.ts write): one LevelDB batch in flight; what the chain commits meanwhile
// is readable at once and written, in order, as the next batch. Driven through a db whose batch writes
// are held until released, so "meanwhile" is certain rather than a race.
import { MemoryLevel } from 'memory-level';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import { BytesLru, BytesMap } from '../src/chain/bytesmap.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { heightKey, type ChainDb } from '../src/chain/store.js';
import { MsgType } from '../src/wire/types.js';
import { core, makeChain, MINER_A, NOW, profile } from './helpers/chain.js';
import { connect, copyDir, chainDir, genesis, getCore, makeBlocks, PROFILE, startNode, stopAll, tempDir, waitFor } from './helpers/sync-fixture.js';

/** A memory-level db whose chained-batch writes wait at a gate while it is closed; `fail` makes the next held write fail. */
function gatedDb(): { db: ChainDb; hold: () => void; release: () => void; held: () => number; failNext: () => void; batches: () => number } {
  const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;
  let closed = false;
  let fail = false;
  let batches = 0;
  const waiting: (() => void)[] = [];
  const orig = db.batch.bind(db) as () => ReturnType<ChainDb['batch']>;
  (db as { batch: unknown }).batch = (...args: unknown[]) => {
    if (args.length > 0) return (orig as (...a: unknown[]) => unknown)(...args);
    const b = orig();
    const write = b.write.bind(b);
    (b as { write: unknown }).write = () => {
      batches++;
      if (!closed) return write();
      return new Promise<void>((res, rej) => {
        waiting.push(() => {
          if (fail) {
            fail = false;
            void b.close();
            rej(new Error('disk full'));
          } else write().then(res, rej);
        });
      });
    };
    return b;
  };
  return {
    db,
    hold: () => (closed = true),
    release: () => {
      closed = false;
      for (const w of waiting.splice(0)) w();
    },
    held: () => waiting.length,
    failNext: () => (fail = true),
    batches: () => batches,
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
const G = (() => {
  const g = genesisBlock(core, profile);
  return { hash: g.hash, header: g.header };
})();

afterEach(async () => {
  await stopAll();
});

describe('BytesMap', () => {
  it('tells apart keys with the same fingerprint (same length, first byte and last 4 bytes) by their bytes', () => {
    const m = new BytesMap<number>();
    const a = Uint8Array.of(0x62, 1, 2, 3, 9, 9, 9, 9);
    const b = Uint8Array.of(0x62, 7, 7, 7, 9, 9, 9, 9);
    const c = Uint8Array.of(0x62, 5, 5, 5, 9, 9, 9, 9);
    m.set(a, 1);
    m.set(b, 2);
    m.set(c, 3);
    expect([m.get(a), m.get(b), m.get(c), m.size]).toEqual([1, 2, 3, 3]);
    expect(m.get(Uint8Array.of(0x62, 0, 0, 0, 9, 9, 9, 9))).toBeUndefined();
    m.set(Uint8Array.from(b), 20); // equal bytes, another array: the same key
    expect([m.get(b), m.size]).toEqual([20, 3]);
    m.deleteIf(b, 2); // no longer what it maps to: kept
    expect(m.get(b)).toBe(20);
    m.deleteIf(b, 20);
    m.deleteIf(a, 1);
    expect([m.get(a), m.get(b), m.get(c), m.size]).toEqual([undefined, undefined, 3, 1]);
    m.deleteIf(c, 3);
    expect(m.size).toBe(0);
  });
});

describe('heightKey', () => {
  it('is the prefix then the height as u32 big-endian (written by hand, no DataView)', () => {
    for (const h of [0, 1, 255, 256, 0x01020304, 100_000, 0xffff_ffff]) {
      const want = new Uint8Array(5);
      want[0] = 0x6e;
      new DataView(want.buffer).setUint32(1, h, false);
      expect(heightKey(0x6e, h)).toEqual(want);
    }
    expect(heightKey(0x73, 7, Uint8Array.of(9, 9))).toEqual(Uint8Array.of(0x73, 0, 0, 0, 7, 9, 9));
  });
});

describe('BytesLru', () => {
  it('finds by equal bytes, keeps what is in use, forgets the coldest past its capacity', () => {
    const c = new BytesLru<number>(4);
    const k = (i: number): Uint8Array => Uint8Array.of(0x68, i, 0, 0, 0, 0);
    c.set(k(1), 1);
    c.set(k(2), 2); // young generation full (half of 4): 1 and 2 become the old one
    expect(c.get(Uint8Array.from(k(1)))).toBe(1); // promoted
    c.set(k(3), 3); // 1 and 3 now old; 2 only in the generation dropped next
    c.set(k(4), 4);
    c.set(k(5), 5);
    expect(c.get(k(2))).toBeUndefined();
    expect(c.size).toBeLessThanOrEqual(4);
    expect(c.get(k(5))).toBe(5);
  });
});

describe('group commit', () => {
  it('header batches committed while a write is in flight are readable at once, written together in order, and reopen intact', async () => {
    const gate = gatedDb();
    const blocks = makeChain(G, 30, { miner: MINER_A });
    const hs = blocks.map((b) => b.bytes.subarray(0, HEADER_SIZE));
    const c = await Chain.open({ dataDir: '', db: gate.db, profile, core, now: () => NOW });
    gate.hold();
    const before = c.store.batchesWritten;
    // the first batch goes out and is held; the next four are checked and queued behind it
    for (let i = 0; i < 30; i += 6) expect(await c.addHeaders(hs.slice(i, i + 6))).toEqual({ added: 6 });
    expect(gate.held()).toBe(1);
    expect(c.store.batchesWritten - before).toBe(1);
    expect(c.headerTip().height).toBe(30);
    for (let h = 1; h <= 30; h++) expect((await c.getHeader(blocks[h - 1]!.hash))?.height).toBe(h);
    // a bad header in the next batch is refused as it would be with nothing in flight
    const bad = Uint8Array.from(makeChain(blocks[29]!, 1, { miner: MINER_A })[0]!.bytes.subarray(0, HEADER_SIZE));
    bad.fill(0, 102, 110); // timestamp 0: below the median of the last 11
    const r = await c.addHeaders([bad]);
    expect(r.added).toBe(0);
    expect(r.code).toBeDefined();
    gate.release();
    await c.store.idle();
    // the four queued commits went out as ONE batch once the first landed
    expect(c.store.batchesWritten - before).toBe(2);
    expect(gate.batches()).toBeGreaterThanOrEqual(2);
    await c.close();
    const c2 = await Chain.open({ dataDir: '', db: gate.db, profile, core, now: () => NOW });
    expect(c2.headerTip().height).toBe(30);
    for (let h = 1; h <= 30; h++) expect(c2.store.headerChainHash(h)).toEqual(blocks[h - 1]!.hash);
    await c2.close();
  });

  it('a failed write fails the commits queued behind it, unwritten, and every later one; the store reopens at the last landed state', async () => {
    const gate = gatedDb();
    const blocks = makeChain(G, 12, { miner: MINER_A });
    const hs = blocks.map((b) => b.bytes.subarray(0, HEADER_SIZE));
    const c = await Chain.open({ dataDir: '', db: gate.db, profile, core, now: () => NOW });
    expect(await c.addHeaders(hs.slice(0, 4))).toEqual({ added: 4 });
    await c.store.idle();
    gate.hold();
    gate.failNext();
    expect(await c.addHeaders(hs.slice(4, 8))).toEqual({ added: 4 }); // in flight (will fail)
    expect(await c.addHeaders(hs.slice(8, 12))).toEqual({ added: 4 }); // queued behind it
    const landed = c.store.batchesWritten;
    gate.release();
    await c.store.idle();
    expect(c.store.batchesWritten).toBe(landed); // the queued one was never handed to the db
    // the cache went with the failure: headers 5-8 are new again, and storing them is refused
    await expect(c.addHeaders(hs.slice(4, 8))).rejects.toThrow('disk full');
    await c.close();
    const c2 = await Chain.open({ dataDir: '', db: gate.db, profile, core, now: () => NOW });
    expect(c2.headerTip().height).toBe(4);
    expect(c2.store.headerChainHash(5)).toBeUndefined();
    await c2.close();
  });
});

describe('header sync over a slow disk', () => {
  it('every header that arrives while a write is in flight is stored, in order, and a bad one still costs the sender', async () => {
    const cr = await getCore();
    const made = makeBlocks(cr, genesis(cr), 1_600, new Uint8Array(20).fill(0x45));
    const src = await startNode(copyDir(await chainDir(made)), { withSync: false });
    // serves the real headers, except that the one at height 1,300 (in the 3rd reply) names a wrong parent
    let served = 0;
    src.net.on(MsgType.GETBLOCKS, async (peer, m) => {
      const hs = (await src.chain.getHeadersRange(m.start, Math.min(m.count, 500))).map((h) => Uint8Array.from(h));
      for (const h of hs) {
        if (new DataView(h.buffer, h.byteOffset).getUint32(2, true) === 1_300) h[6]! ^= 0xff;
      }
      served++;
      src.net.send(peer, { type: MsgType.BLOCKS, headers: hs });
    });
    const gate = gatedDb();
    const chain = await Chain.open({ dataDir: '', db: gate.db, profile: PROFILE, core: cr });
    gate.hold();
    const sink = await startNode(tempDir(), { chain, sync: { headerPipeline: 4 } });
    await connect(sink, src);
    // while the first header write is held, the later replies are validated and queued
    await waitFor(() => sink.sync.stats().penalties > 0 || sink.chain.headerTip().height >= 1_299, 15_000, 'headers checked behind the held write');
    expect(gate.held()).toBe(1);
    expect(served).toBeGreaterThanOrEqual(3);
    gate.release();
    await waitFor(() => sink.sync.stats().penalties > 0, 10_000, 'the sender penalised');
    await sink.chain.store.idle();
    expect(sink.chain.headerTip().height).toBe(1_299);
    for (const h of [1, 499, 500, 501, 1_000, 1_299]) expect(sink.chain.store.headerChainHash(h)).toEqual(made[h - 1]!.hash);
    expect(sink.chain.store.headerChainHash(1_300)).toBeUndefined();
    const peerView = sink.sync.stats().peers[0];
    expect(peerView?.standing ?? false).toBe(false);
  }, 60_000);
});
