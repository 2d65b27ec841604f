// The best-header index in chunks of heights, write-behind header batches, and the format-1 migration.
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE, MAX_HEADERS_PER_MSG } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { toHex } from '../src/bytes.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { HCHAIN_CHUNK, heightKey, MAIN_CHUNK, P, Store, STORE_FORMAT, type ChainDb } from '../src/chain/store.js';
import { core, EASY, makeChain, MINER_B, tempDir, type Made } from './helpers/chain.js';

const g = genesisBlock(core, EASY);
const G = { hash: g.hash, header: g.header };
// spacing = block time: retargets keep the (already easiest) bits
const spacing = EASY.blockTimeSec * 1000;
const main = makeChain(G, 2 * HCHAIN_CHUNK + 200, { spacing });
const NOW = main[main.length - 1]!.header.timestamp + 3_600_000;
const fork = makeChain(main[2 * HCHAIN_CHUNK - 30]!, 300, { spacing, miner: MINER_B });
const heads = (bs: Made[]): Uint8Array[] => bs.map((b) => b.bytes.subarray(0, HEADER_SIZE));

async function feed(c: Chain, bs: Made[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < bs.length; i += MAX_HEADERS_PER_MSG) {
    const r = await c.addHeaders(heads(bs.slice(i, i + MAX_HEADERS_PER_MSG)));
    expect(r.code).toBeUndefined();
    added += r.added;
  }
  return added;
}

const hexes = (ms: { hash: Uint8Array }[]): string[] => ms.map((m) => toHex(m.hash));

const range = (prefix: number) => ({ gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) });
const heightOf = (k: Uint8Array): number => new DataView(k.buffer, k.byteOffset).getUint32(1, false);

/**
 * The best-header index as format 3 lays it out on disk, read back raw: full chunks as 'C' keys of 512
 * hashes, then 'T' runs of consecutive heights above the last of them, nothing else.
 */
async function diskIndex(db: ChainDb): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of db.iterator(range(P.hchain))) {
    expect(v.length).toBe(32 * HCHAIN_CHUNK);
    expect(heightOf(k)).toBe(out.length / HCHAIN_CHUNK);
    for (let i = 0; i < HCHAIN_CHUNK; i++) out.push(toHex(v.subarray(32 * i, 32 * i + 32)));
  }
  // each 'T' run starts where the previous ends and stays within one chunk
  for await (const [k, v] of db.iterator(range(P.htail))) {
    expect(heightOf(k)).toBe(out.length);
    expect(v.length % 32).toBe(0);
    expect(Math.floor(out.length / HCHAIN_CHUNK)).toBe(Math.floor((out.length + v.length / 32 - 1) / HCHAIN_CHUNK));
    for (let i = 0; i < v.length; i += 32) out.push(toHex(v.subarray(i, i + 32)));
  }
  return out;
}

describe('best-header index', () => {
  it('spans chunk boundaries, serves a batch still being written, follows a heavier branch, and reopens', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      expect(await feed(c, main)).toBe(main.length);
      // read right after the last batch was handed to the store
      expect(c.headerTip()).toMatchObject({ height: main.length, hash: main[main.length - 1]!.hash });
      expect(await c.getHeader(main[main.length - 1]!.hash)).toEqual(main[main.length - 1]!.header);
      expect(await c.getHeader(main[main.length - 2]!.hash)).toEqual(main[main.length - 2]!.header);
      const missing = await c.missingBlocks(main.length);
      expect(hexes(missing)).toEqual(hexes(main));
      // resending known headers adds nothing
      expect(await c.addHeaders(heads(main.slice(HCHAIN_CHUNK - 5, HCHAIN_CHUNK + 5)))).toEqual({ added: 0 });

      // the branch forks below the second boundary and ends higher: the index is rewritten across it
      expect(await feed(c, fork)).toBe(fork.length);
      const best = [...main.slice(0, 2 * HCHAIN_CHUNK - 29), ...fork];
      expect(c.headerTip()).toMatchObject({ height: best.length, hash: fork[fork.length - 1]!.hash });

      expect(hexes(await c.missingBlocks(10_000))).toEqual(hexes(best));
      await c.close();

      c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      expect(c.headerTip()).toMatchObject({ height: best.length, hash: fork[fork.length - 1]!.hash });
      expect(hexes(await c.missingBlocks(10_000))).toEqual(hexes(best));
      expect(await diskIndex(c.store.db)).toEqual(hexes([G, ...best]));
      // a side header is still found by hash
      expect(await c.getHeader(main[main.length - 1]!.hash)).toEqual(main[main.length - 1]!.header);
      // blocks connect along the index
      for (const b of best.slice(0, 40)) expect((await c.addBlock(b.bytes)).status).toBe('connected');
      expect(c.tip().height).toBe(40);
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('migrates a format-1 store (one index key per height) on open', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const bs = main.slice(0, HCHAIN_CHUNK + 10);
      let c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await feed(c, bs);
      await c.close();
      // rewrite the index the old way: 'H' height → hash, no format meta
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'chain'), { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
      const b = db.batch();
      for (let c = 0; c <= Math.floor(bs.length / HCHAIN_CHUNK); c++) b.del(heightKey(P.hchain, c));
      b.del(Uint8Array.of(P.meta, ...new TextEncoder().encode('format')));
      [G, ...bs].forEach((x, h) => b.put(heightKey(P.oldHchain, h), x.hash));
      await b.write();
      await db.close();

      c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      expect(c.headerTip()).toMatchObject({ height: bs.length, hash: bs[bs.length - 1]!.hash });
      expect(hexes(await c.missingBlocks(10_000))).toEqual(hexes(bs));
      let old = 0;
      for await (const _ of c.store.db.keys({ gte: Uint8Array.of(P.oldHchain), lt: Uint8Array.of(P.oldHchain + 1) })) old++;
      expect(old).toBe(0);
      expect(c.store.getMeta('format')).toEqual(Uint8Array.of(STORE_FORMAT));
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('appends: a block adds one 37-byte tail run, each full chunk is written once', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const bs = main.slice(0, HCHAIN_CHUNK + 40);
      const c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      const deltas: number[] = [];
      for (const b of bs) {
        const before = c.store.bytesWritten;
        expect((await c.addBlock(b.bytes)).status).toBe('connected');
        deltas.push(c.store.bytesWritten - before);
      }
      // the block at height 511 completes chunk 0: 512 hashes once, its 511 tail keys deleted, and (format 5)
      // the chunk's 512 headers as one 'N' key
      const full = 5 + 32 * HCHAIN_CHUNK + 5 * (HCHAIN_CHUNK - 1) + 5 + MAIN_CHUNK * HEADER_SIZE;
      const others = deltas.filter((_, i) => i !== HCHAIN_CHUNK - 2);
      expect(Math.max(...others)).toBeLessThan(1500);
      expect(deltas[HCHAIN_CHUNK - 2]! - full).toBeLessThan(1500);
      let live = 0;
      for await (const [k, v] of c.store.db.iterator()) live += k.length + v.length;
      expect(c.store.bytesWritten / live).toBeLessThan(3);
      expect(await diskIndex(c.store.db)).toEqual(hexes([G, ...bs]));
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('migrates a format-2 store (every chunk a C key, the last one partial) on open, then appends', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const bs = main.slice(0, 2 * HCHAIN_CHUNK + 100);
      let c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await feed(c, bs);
      await c.close();
      // lay the index out as format 2 did: one 'C' key per chunk, the last one partial
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'chain'), { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
      const b = db.batch();
      for await (const k of db.keys(range(P.htail))) b.del(k);
      const all = [G, ...bs];
      for (let ci = 0; ci * HCHAIN_CHUNK < all.length; ci++) {
        const part = all.slice(ci * HCHAIN_CHUNK, (ci + 1) * HCHAIN_CHUNK);
        const v = new Uint8Array(32 * part.length);
        part.forEach((x, i) => v.set(x.hash, 32 * i));
        b.put(heightKey(P.hchain, ci), v);
      }
      b.put(Uint8Array.of(P.meta, ...new TextEncoder().encode('format')), Uint8Array.of(2));
      await b.write();
      let tails = 0;
      for await (const _ of db.keys(range(P.htail))) tails++;
      expect(tails).toBe(0);
      await db.close();

      c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      expect(c.store.getMeta('format')).toEqual(Uint8Array.of(STORE_FORMAT));
      expect(c.headerTip()).toMatchObject({ height: bs.length, hash: bs[bs.length - 1]!.hash });
      expect(hexes(await c.missingBlocks(10_000))).toEqual(hexes(bs));
      expect(await diskIndex(c.store.db)).toEqual(hexes(all));
      // the migrated tail grows by appends and fills its chunk
      const more = main.slice(bs.length);
      expect(await feed(c, more)).toBe(more.length);
      for (const x of main.slice(0, 30)) expect((await c.addBlock(x.bytes)).status).toBe('connected');
      await c.close();
      c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      expect(await diskIndex(c.store.db)).toEqual(hexes([G, ...main]));
      expect(c.tip().height).toBe(30);
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('refuses a store written by a newer format', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await c.close();
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'chain'), { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
      await db.put(Uint8Array.of(P.meta, ...new TextEncoder().encode('format')), Uint8Array.of(STORE_FORMAT + 1));
      await db.close();
      await expect(Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW })).rejects.toMatchObject({ code: 'store-format' });
    } finally {
      cleanup();
    }
  });

  it('extends, forks and truncations of the index read back the same from disk (property)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('extend' as const), depth: fc.constant(0), k: fc.integer({ min: 1, max: 700 }) }),
      fc.record({ kind: fc.constant('fork' as const), depth: fc.integer({ min: 1, max: 600 }), k: fc.integer({ min: 1, max: 700 }) }),
      fc.record({ kind: fc.constant('truncate' as const), depth: fc.integer({ min: 1, max: 600 }), k: fc.constant(0) }),
    );
    let serial = 0;
    const fresh = (): Uint8Array => {
      const h = new Uint8Array(32);
      new DataView(h.buffer).setUint32(0, ++serial);
      return h;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;
        const store = await Store.open('', 1000, db);
        const model: Uint8Array[] = [fresh()];
        store.setHeaderChainHash(0, model[0]!);
        await store.write([]);
        for (const o of ops) {
          // as Chain.setHeaderTip: every height from the fork to the new top is set, then the rest dropped
          const oldTop = model.length - 1;
          const fork = Math.max(0, oldTop - o.depth);
          const top = o.kind === 'truncate' ? fork : fork + o.k;
          model.length = fork + 1;
          for (let h = fork + 1; h <= top; h++) {
            model.push(fresh());
            store.setHeaderChainHash(h, model[h]!);
          }
          store.truncateHeaderChain(top, oldTop);
          await store.write([]);
        }
        const reread = await Store.open('', 1000, db);
        for (let h = 0; h < model.length; h++) expect(toHex(reread.headerChainHash(h)!)).toBe(toHex(model[h]!));
        expect(reread.headerChainHash(model.length)).toBeUndefined();
        expect(await diskIndex(db)).toEqual(model.map(toHex));
        await db.close();
      }),
      { numRuns: 80 },
    );
  });
});
