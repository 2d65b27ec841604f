// putHeaders' cumulative work (u32 words with carries, no bigint per header) against a bigint sum.
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import { workOfBits } from '../src/chain/header.js';
import { RECORD_SIZE, Store, type ChainDb } from '../src/chain/store.js';
import { bytesToBigBE } from '../src/bytes.js';
import { HEADER_OFFSET } from '../src/chain/header.js';

describe('putHeaders chain work', () => {
  it('equals parent work plus each header’s work, carries across every word, bits changing mid-run', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }) as unknown as ChainDb;
    const store = await Store.open('', 100, db);
    const n = 300;
    const run = new Uint8Array(n * HEADER_SIZE);
    const dv = new DataView(run.buffer);
    // a few exponents and mantissas, several headers each (bits stay equal for a while, then change)
    const choices = [0x1d00ffff, 0x207fffff, 0x1b0404cb, 0x03000001, 0x1f00ffff, 0x04123456];
    for (let i = 0; i < n; i++) dv.setUint32(i * HEADER_SIZE + HEADER_OFFSET.bits, choices[Math.floor(i / 7) % choices.length]!, true);
    const hashes = new Uint8Array(32 * n).map((_, i) => (i * 37) & 0xff);
    // parent work with every word at 0xffffffff below the top: each add carries through all of them
    for (const parent of [0n, (1n << 224n) - 1n, (1n << 200n) + 12345n, (1n << 255n) - (1n << 40n)]) {
      const { run: rr } = store.putHeaders(run, hashes, n, parent);
      let w = parent;
      for (let i = 0; i < n; i++) {
        w += workOfBits(dv.getUint32(i * HEADER_SIZE + HEADER_OFFSET.bits, true));
        const at = RECORD_SIZE * i + HEADER_SIZE;
        expect(bytesToBigBE(rr.vals.subarray(at, at + 32))).toBe(w & ((1n << 256n) - 1n));
      }
    }
    await store.close();
  });
});
