// The best-header index in chunks of heights, write-behind header batches, and the format-1 migration.
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE, MAX_HEADERS_PER_MSG } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { toHex } from '../src/bytes.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { HCHAIN_CHUNK, heightKey, P, STORE_FORMAT } from '../src/chain/store.js';
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
});
