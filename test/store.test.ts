import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE, INITIAL_SUBSIDY } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { Lru } from '../src/chain/lru.js';
import { toHex as hex } from '../src/bytes.js';
import type { ChainDb } from '../src/chain/store.js';
import { core, makeChain, MINER_A, MINER_B, NOW, profile, tempDir } from './helpers/chain.js';

const g = genesisBlock(core, profile);
const G = { hash: g.hash, header: g.header };

describe('store', () => {
  it('reopens with tip, header tip, side blocks, ledger and address book intact', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const main = makeChain(G, 6, { miner: MINER_A });
      const side = makeChain(main[1]!, 2, { miner: MINER_B, spacing: 500 });
      const ahead = makeChain(main[5]!, 4, { miner: MINER_A });
      let c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW });
      for (const b of [...main, ...side]) await c.addBlock(b.bytes);
      expect((await c.addHeaders(ahead.map((b) => b.bytes.subarray(0, HEADER_SIZE)))).added).toBe(4);
      await c.peers.put('127.0.0.1:17618', JSON.stringify({ lastSeen: 5 }));
      await c.peers.put('10.0.0.1:17618', 'x');
      await c.peers.delete('10.0.0.1:17618');
      await c.close();

      c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW });
      expect(c.tip()).toMatchObject({ height: 6, hash: main[5]!.hash });
      expect(c.headerTip()).toMatchObject({ height: 10, hash: ahead[3]!.hash });
      expect(c.tip().chainWork).toBe(7n * 4096n);
      expect((await c.getAccount(MINER_A)).balance).toBe(6n * INITIAL_SUBSIDY);
      expect(await c.hasBlock(side[1]!.hash)).toBe(true);
      expect(c.isMain(side[1]!.hash, 4)).toBe(false);
      expect((await c.missingBlocks(10)).map((m) => m.height)).toEqual([7, 8, 9, 10]);
      expect(await c.peers.list()).toEqual([{ key: '127.0.0.1:17618', value: '{"lastSeen":5}' }]);
      expect(await c.peers.get('127.0.0.1:17618')).toBe('{"lastSeen":5}');
      for (const b of ahead) await c.addBlock(b.bytes);
      expect(c.tip().height).toBe(10);
      await c.close();
      await expect(c.addBlock(ahead[0]!.bytes)).rejects.toMatchObject({ code: 'closed' });
    } finally {
      cleanup();
    }
  });

  it('prunes bodies of side blocks that fell far behind', async () => {
    const { dir, cleanup } = tempDir();
    const c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW, sideKeep: 5 });
    try {
      const main = makeChain(G, 100, { miner: MINER_A, spacing: 10 });
      const side = makeChain(main[9]!, 1, { miner: MINER_B, spacing: 5 });
      for (const b of main.slice(0, 11)) await c.addBlock(b.bytes);
      expect((await c.addBlock(side[0]!.bytes)).status).toBe('side');
      for (const b of main.slice(11)) await c.addBlock(b.bytes);
      expect(c.tip().height).toBe(100);
      expect(await c.hasBlock(side[0]!.hash)).toBe(false);
      // getBlockBytes reads the block key alone: it goes in the same batch as HAVE_DATA
      expect(await c.getBlockBytes(side[0]!.hash)).toBeUndefined();
      expect(await c.getHeader(side[0]!.hash)).toBeDefined();
      expect(await c.hasBlock(main[50]!.hash)).toBe(true);
      expect(await c.getBlockBytes(main[50]!.hash)).toEqual(main[50]!.bytes);
    } finally {
      await c.close();
      cleanup();
    }
  });

  it('prunes a side block that arrives below heights already pruned (scans start past the pruned heights)', async () => {
    const { dir, cleanup } = tempDir();
    const c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW, sideKeep: 5 });
    try {
      // spacing = block time: the retargets at 123 and 246 keep the bits
      const main = makeChain(G, 300, { miner: MINER_A, spacing: profile.blockTimeSec * 1000 });
      const side = makeChain(main[9]!, 1, { miner: MINER_B, spacing: 500 });
      for (const b of main.slice(0, 200)) await c.addBlock(b.bytes);
      expect((await c.addBlock(side[0]!.bytes)).status).toBe('side');
      expect(await c.hasBlock(side[0]!.hash)).toBe(true);
      for (const b of main.slice(200)) await c.addBlock(b.bytes);
      expect(c.tip().height).toBe(300);
      expect(await c.hasBlock(side[0]!.hash)).toBe(false);
      expect(await c.getHeader(side[0]!.hash)).toBeDefined();
    } finally {
      await c.close();
      cleanup();
    }
  });

  it('prunes a side block stored before a restart (the first pruning after open looks for side blocks in the whole store)', async () => {
    const { dir, cleanup } = tempDir();
    let c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW, sideKeep: 5 });
    try {
      const main = makeChain(G, 300, { miner: MINER_A, spacing: profile.blockTimeSec * 1000 });
      const side = makeChain(main[149]!, 1, { miner: MINER_B, spacing: 500 });
      for (const b of main.slice(0, 160)) await c.addBlock(b.bytes);
      expect((await c.addBlock(side[0]!.bytes)).status).toBe('side');
      await c.close();
      c = await Chain.open({ dataDir: dir, profile, core, now: () => NOW, sideKeep: 5 });
      for (const b of main.slice(160)) await c.addBlock(b.bytes);
      expect(c.tip().height).toBe(300);
      expect(await c.hasBlock(side[0]!.hash)).toBe(false);
    } finally {
      await c.close();
      cleanup();
    }
  });

  it('runs on an injected memory-level db (the simulator)', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;
    const c = await Chain.open({ dataDir: '/nonexistent/sim', db, profile, core, now: () => NOW });
    try {
      const blocks = makeChain(G, 3, { miner: MINER_A });
      for (const b of blocks) expect((await c.addBlock(b.bytes)).status).toBe('connected');
      const fork = makeChain(blocks[0]!, 3, { miner: MINER_B, spacing: 400 });
      for (const b of fork) await c.addBlock(b.bytes);
      expect(c.tip().hash).toEqual(fork[2]!.hash);
      expect((await c.getAccount(MINER_B)).balance).toBe(3n * INITIAL_SUBSIDY);
      expect((await c.getAccount(MINER_A)).balance).toBe(INITIAL_SUBSIDY);
    } finally {
      await c.close();
    }
  });

  it("the main index carries each header: GETBLOCKS ranges read one key per height, older hash-only values still serve", async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;
    const c = await Chain.open({ dataDir: '/nonexistent/sim', db, profile, core, now: () => NOW });
    try {
      const blocks = makeChain(G, 6, { miner: MINER_A });
      for (const b of blocks.slice(0, 3)) expect((await c.addBlock(b.bytes)).status).toBe('connected');
      expect((await c.addBlocks(blocks.slice(3).map((b) => b.bytes))).map((r) => r.status)).toEqual(['connected', 'connected', 'connected']);
      await c.close();
      await db.open(); // memory-level keeps its data across close/open
      const nKey = (h: number) => Uint8Array.of(0x6e, h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
      for (let h = 0; h <= 6; h++) {
        const v = db.getSync(nKey(h))!;
        expect(v.length).toBe(32 + HEADER_SIZE);
        if (h > 0) expect(hex(v.subarray(32))).toBe(hex(blocks[h - 1]!.bytes.subarray(0, HEADER_SIZE)));
      }
      // heights 2 and 4 as a store written before the header was added: the hash alone
      await db.put(nKey(2), blocks[1]!.hash);
      await db.put(nKey(4), blocks[3]!.hash);
      const c2 = await Chain.open({ dataDir: '/nonexistent/sim', db, profile, core, now: () => NOW });
      try {
        const got = await c2.getHeadersRange(1, 6);
        expect(got.map(hex)).toEqual(blocks.map((b) => hex(b.bytes.subarray(0, HEADER_SIZE))));
        expect(hex((await c2.getHashByHeight(4))!)).toBe(hex(blocks[3]!.hash));
        expect(hex((await c2.getHashByHeight(5))!)).toBe(hex(blocks[4]!.hash));
      } finally {
        await c2.close();
      }
    } finally {
      await c.close();
    }
  });

  it('the record cache stays within its capacity and keeps what is in use', () => {
    const l = new Lru<number, number>(100);
    for (let i = 0; i < 2_000; i++) {
      l.set(i, i);
      expect(l.get(0)).toBe(0); // touched every step: never evicted
      expect(l.size).toBeLessThanOrEqual(100);
    }
    expect(l.get(1000)).toBeUndefined();
    expect(l.get(1999)).toBe(1999);
  });
});
