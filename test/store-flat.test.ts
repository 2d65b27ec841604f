// Block bytes and undo data in append-only flat files (format 4): reads across files, a torn tail after a
// kill (bytes appended for a batch that never landed) cut on open, and the migration from format 3.
import { appendFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/bytes.js';
import { Chain } from '../src/chain/chain.js';
import { decodeLocation, decodePositions, FlatFileSeq, LOCATION_SIZE } from '../src/chain/flatfile.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { layout, P, STORE_FORMAT } from '../src/chain/store.js';
import { InputError } from '../src/errors.js';
import { core, makeChain, MINER_A, MINER_B, NOW, profile, tempDir, type Made } from './helpers/chain.js';

const g = genesisBlock(core, profile);
const G = { hash: g.hash, header: g.header };
const main = makeChain(G, 40, { miner: MINER_A });
const side = makeChain(main[9]!, 3, { miner: MINER_B, spacing: 500 });
// ~2.5 blocks per file: every run of blocks crosses files
const SMALL = 1024;

const open = (dir: string, flatFileMax = SMALL): Promise<Chain> => Chain.open({ dataDir: dir, profile, core, now: () => NOW, flatFileMax });

/** Every block of `bs` reads back byte for byte, and the main chain's undo data is there. */
async function expectBlocks(c: Chain, bs: Made[]): Promise<void> {
  for (const b of bs) expect(toHex((await c.getBlockBytes(b.hash))!)).toBe(toHex(b.bytes));
  for (const b of main.slice(0, c.tip().height)) expect(c.store.getUndo(b.hash)?.length).toBeGreaterThan(0);
}

const blocksDir = (dir: string): string => join(dir, 'chain', 'blocks');

describe('flat files', () => {
  it('FlatFileSeq: appends across files, reads back, cuts a tail past the recorded point, refuses a short file', () => {
    const { dir, cleanup } = tempDir();
    try {
      const seq = new FlatFileSeq(dir, 'blk', 100);
      seq.open({ file: 0, len: 0 });
      const parts = Array.from({ length: 9 }, (_, i) => new Uint8Array(30 + i).fill(i + 1));
      const locs = [...seq.append(parts.slice(0, 4)), ...seq.append(parts.slice(4))];
      expect(locs.map((l) => decodeLocation(l).file)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3]);
      parts.forEach((p, i) => expect(seq.read(locs[i]!)).toEqual(p));
      const pos = seq.pos;
      seq.append([new Uint8Array(80).fill(0xee)]); // a batch that never lands: a new file 4
      seq.close();
      appendFileSync(join(dir, 'blk00003.dat'), new Uint8Array(7)); // and a torn tail on file 3
      const again = new FlatFileSeq(dir, 'blk', 100);
      again.open(pos);
      expect(readdirSync(dir).sort()).toEqual(['blk00000.dat', 'blk00001.dat', 'blk00002.dat', 'blk00003.dat']);
      expect(statSync(join(dir, 'blk00003.dat')).size).toBe(pos.len);
      parts.forEach((p, i) => expect(again.read(locs[i]!)).toEqual(p));
      const next = again.append([new Uint8Array(5).fill(9)])[0]!;
      expect(decodeLocation(next)).toEqual({ file: 3, offset: pos.len, length: 5 });
      expect(again.read(next)).toEqual(new Uint8Array(5).fill(9));
      again.close();
      writeFileSync(join(dir, 'blk00003.dat'), new Uint8Array(3));
      const short = new FlatFileSeq(dir, 'blk', 100);
      expect(() => short.open({ file: 3, len: pos.len })).toThrow(InputError);
    } finally {
      cleanup();
    }
  });

  it('a chain keeps 12-byte locations in LevelDB; blocks, side blocks and undo read back across files and reopens', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let c = await open(dir);
      expect(await c.addBlocks(main.slice(0, 20).map((b) => b.bytes))).toHaveLength(20);
      for (const b of [...main.slice(20), ...side]) await c.addBlock(b.bytes);
      expect(c.tip().height).toBe(40);
      await expectBlocks(c, [...main, ...side]);
      for await (const [, v] of c.store.db.iterator(layout.range(P.block))) expect(v.length).toBe(LOCATION_SIZE);
      for await (const [, v] of c.store.db.iterator(layout.range(P.undo))) expect(v.length).toBe(LOCATION_SIZE);
      expect(readdirSync(blocksDir(dir)).filter((f) => f.startsWith('blk')).length).toBeGreaterThan(5);
      await c.close();
      c = await open(dir);
      expect(c.tip().height).toBe(40);
      await expectBlocks(c, [...main, ...side]);
      await c.close();
    } finally {
      cleanup();
    }
  });

  it('a torn tail (appended for a batch that never landed, as a kill -9 leaves it) is cut on open and appending goes on', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let c = await open(dir, 1 << 20);
      for (const b of main.slice(0, 10)) await c.addBlock(b.bytes);
      await c.close();
      // what a kill between the append and the LevelDB write leaves: bytes past m/flat, and a file past it
      const f = join(blocksDir(dir), 'blk00000.dat');
      const size = statSync(f).size;
      appendFileSync(f, main[10]!.bytes.subarray(0, 200));
      appendFileSync(join(blocksDir(dir), 'rev00000.dat'), new Uint8Array(13).fill(1));
      writeFileSync(join(blocksDir(dir), 'blk00001.dat'), new Uint8Array(50));
      c = await open(dir, 1 << 20);
      expect(statSync(f).size).toBe(size);
      expect(readdirSync(blocksDir(dir)).sort()).toEqual(['blk00000.dat', 'rev00000.dat']);
      expect(await c.addBlocks(main.slice(10).map((b) => b.bytes))).toHaveLength(30);
      await expectBlocks(c, main);
      await c.close();
      // and the recorded append points are what the files hold
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'chain'), { keyEncoding: 'view', valueEncoding: 'view' });
      const [blk, rev] = decodePositions(await db.get(layout.meta('flat')));
      await db.close();
      expect(blk).toEqual({ file: 0, len: statSync(f).size });
      expect(rev.len).toBe(statSync(join(blocksDir(dir), 'rev00000.dat')).size);
    } finally {
      cleanup();
    }
  });

  it('a format-3 store (blocks and undo inline) migrates to the files, also when a previous migration stopped half-way', async () => {
    for (const half of [false, true]) {
      const { dir, cleanup } = tempDir();
      try {
        let c = await open(dir);
        await c.addBlocks(main.map((b) => b.bytes));
        for (const b of side) await c.addBlock(b.bytes);
        await c.close();
        // back to format 3: every value inline, no files, no m/flat (half: the second half of each prefix
        // still inline, the first already moved, as after a kill between migration batches)
        const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'chain'), { keyEncoding: 'view', valueEncoding: 'view' });
        const seqB = new FlatFileSeq(blocksDir(dir), 'blk', SMALL);
        const seqU = new FlatFileSeq(blocksDir(dir), 'rev', SMALL);
        const [pb, pu] = decodePositions(await db.get(layout.meta('flat')));
        seqB.open(pb);
        seqU.open(pu);
        const batch = db.batch();
        for (const [prefix, seq] of [[P.block, seqB], [P.undo, seqU]] as const) {
          const kvs: [Uint8Array, Uint8Array][] = [];
          for await (const kv of db.iterator(layout.range(prefix))) kvs.push(kv);
          kvs.forEach(([k, v], i) => {
            if (!half || i >= kvs.length / 2) batch.put(k, seq.read(v)!);
          });
        }
        batch.put(layout.meta('format'), Uint8Array.of(3));
        if (!half) batch.del(layout.meta('flat'));
        await batch.write();
        seqB.close();
        seqU.close();
        await db.close();
        if (!half) rmSync(blocksDir(dir), { recursive: true });

        c = await open(dir);
        expect(c.store.getMeta('format')).toEqual(Uint8Array.of(STORE_FORMAT));
        for await (const [, v] of c.store.db.iterator(layout.range(P.block))) expect(v.length).toBe(LOCATION_SIZE);
        for await (const [, v] of c.store.db.iterator(layout.range(P.undo))) expect(v.length).toBe(LOCATION_SIZE);
        await expectBlocks(c, [...main, ...side]);
        await c.close();
        c = await open(dir);
        await expectBlocks(c, [...main, ...side]);
        await c.close();
      } finally {
        cleanup();
      }
    }
  });
});
