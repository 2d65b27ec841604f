// Format 5: full 512-height chunks of the connected chain's headers as 'N' keys (GETBLOCKS served by one read per chunk).
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import { Chain } from '../src/chain/chain.js';
import { toHex } from '../src/bytes.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { heightKey, MAIN_CHUNK, P, STORE_FORMAT, type ChainDb } from '../src/chain/store.js';
import { core, EASY, makeChain, MINER_B, tempDir, type Made } from './helpers/chain.js';

const g = genesisBlock(core, EASY);
const G = { hash: g.hash, header: g.header, bytes: g.bytes };
const spacing = EASY.blockTimeSec * 1000;
const main = makeChain(G, 2 * MAIN_CHUNK + 100, { spacing });
const NOW = main[main.length - 1]!.header.timestamp + 3_600_000;
// forks below the second chunk boundary (height 1024) and ends higher than main
const fork = makeChain(main[2 * MAIN_CHUNK - 30]!, 140, { spacing, miner: MINER_B });

const hdr = (b: { bytes: Uint8Array }): string => toHex(b.bytes.subarray(0, HEADER_SIZE));
const range = (prefix: number) => ({ gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) });

/** The 'N' keys on disk: consecutive full chunks from 0, each the 512 headers, read back as hex per height. */
async function diskChunks(c: Chain): Promise<string[]> {
  await c.store.idle(); // addBlocks returns once its batch is queued (written behind): read the disk after it lands
  const db: ChainDb = c.store.db;
  const out: string[] = [];
  for await (const [k, v] of db.iterator(range(P.mainChunk))) {
    expect(new DataView(k.buffer, k.byteOffset).getUint32(1, false)).toBe(out.length / MAIN_CHUNK);
    expect(v.length).toBe(MAIN_CHUNK * HEADER_SIZE);
    for (let i = 0; i < MAIN_CHUNK; i++) out.push(toHex(v.subarray(i * HEADER_SIZE, (i + 1) * HEADER_SIZE)));
  }
  return out;
}

/** Every full chunk of `chain` (genesis first) and nothing more, as hex headers. */
const fullChunks = (chain: { bytes: Uint8Array }[]): string[] => chain.slice(0, Math.floor(chain.length / MAIN_CHUNK) * MAIN_CHUNK).map(hdr);

/** getHeadersRange over the whole chain in odd-sized pieces (crossing chunk boundaries) against the blocks. */
async function expectServed(c: Chain, chain: { bytes: Uint8Array }[]): Promise<void> {
  const got: string[] = [];
  for (let s = 0; s < chain.length + 10; s += 333) for (const h of await c.getHeadersRange(s, 333)) got.push(toHex(h));
  expect(got).toEqual(chain.map(hdr));
}

async function connectAll(c: Chain, bs: Made[], one = false): Promise<void> {
  if (one) for (const b of bs) expect((await c.addBlock(b.bytes)).status).toBe('connected');
  else for (const r of await c.addBlocks(bs.map((b) => b.bytes))) expect(r.status).toBe('connected');
}

describe("main-header chunks ('N', format 5)", () => {
  it('are written once each chunk is connected, through addBlocks runs and single blocks, across a restart mid-chunk', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await c.addHeaders(main.map((b) => b.bytes.subarray(0, HEADER_SIZE)));
      await connectAll(c, main.slice(0, 300), true);
      await connectAll(c, main.slice(300, 700));
      expect(await diskChunks(c)).toEqual(fullChunks([G, ...main.slice(0, 700)]));
      await c.close();
      // reopened mid-chunk: the partial chunk is read back from the 'n' keys
      c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await connectAll(c, main.slice(700, 1100));
      await connectAll(c, main.slice(1100), true);
      expect(await diskChunks(c)).toEqual(fullChunks([G, ...main]));
      await expectServed(c, [G, ...main]);
      // 'n' holds the hash alone (the headers are in 'N', the top partial chunk read through the records)
      for await (const v of c.store.db.values(range(P.main))) expect(v.length).toBe(32);
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('a reorg across a chunk boundary deletes the chunk it leaves and writes the new branch’s once full', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await c.addHeaders(main.map((b) => b.bytes.subarray(0, HEADER_SIZE)));
      await connectAll(c, main);
      expect((await diskChunks(c)).length).toBe(2 * MAIN_CHUNK);
      // the fork's blocks: once it has more work the tip moves across height 1023 (chunk 1 is left)
      for (const b of fork) await c.addBlock(b.bytes);
      const best = [G, ...main.slice(0, 2 * MAIN_CHUNK - 29), ...fork];
      expect(c.tip()).toMatchObject({ height: best.length - 1, hash: fork[fork.length - 1]!.hash });
      expect(await diskChunks(c)).toEqual(fullChunks(best));
      await expectServed(c, best);
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('a format-4 store gets its chunks on open (migration), and serves the same headers', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      await c.addHeaders(main.map((b) => b.bytes.subarray(0, HEADER_SIZE)));
      await connectAll(c, main);
      await c.close();
      // as format 4 left it: no 'N' keys
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'chain'), { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
      const b = db.batch();
      for await (const k of db.keys(range(P.mainChunk))) b.del(k);
      b.put(Uint8Array.of(P.meta, ...new TextEncoder().encode('format')), Uint8Array.of(4));
      await b.write();
      expect(await db.getSync(heightKey(P.mainChunk, 0))).toBeUndefined();
      await db.close();

      c = await Chain.open({ dataDir: dir, profile: EASY, core, now: () => NOW });
      expect(c.store.getMeta('format')).toEqual(Uint8Array.of(STORE_FORMAT));
      expect(await diskChunks(c)).toEqual(fullChunks([G, ...main]));
      await expectServed(c, [G, ...main]);
      await c.close();
    } finally {
      cleanup();
    }
  });
});
