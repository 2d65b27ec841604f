// kill -9 while connecting blocks: the store must reopen on the last committed tip, consistent.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBlockParts } from '../src/chain/block.js';
import { toHex } from '../src/bytes.js';
import { Chain } from '../src/chain/chain.js';
import { applyBlock, decodeAccount } from '../src/chain/ledger.js';
import { heightKey, MAIN_CHUNK, P } from '../src/chain/store.js';
import { HEADER_SIZE } from '../src/constants.js';
import type { Account } from '../src/chain/types.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import { core, EASY, makeBlock, tempDir, type Parent } from './helpers/chain.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/chain-kill9.mjs', import.meta.url));
const BATCH_FIXTURE = fileURLToPath(new URL('./fixtures/chain-kill9-batch.mjs', import.meta.url));
const HEADERS_FIXTURE = fileURLToPath(new URL('./fixtures/chain-kill9-headers.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/chain/index.js', import.meta.url));

/** Runs the child until it has printed `ready`, then SIGKILLs it after `delayMs`. Returns the last height it printed. */
function runAndKill(dir: string, delayMs: number, args: string[] = [FIXTURE, dir]): Promise<{ printed: number; signal: string | null; heights: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && out.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    // 'close', not 'exit': stdout may still hold the last "h" lines when the process has exited
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited ${code}: ${err}`));
      const hs = [...out.matchAll(/^h (\d+)$/gm)].map((m) => Number(m[1]));
      resolve({ printed: hs.length ? hs[hs.length - 1]! : -1, signal, heights: hs });
    });
  });
}

/** Full main-header chunks seen by checkConsistent (a test that counts on crossing one asserts it). */
let chunksSeen = 0;

/** Reopens the store and checks it against a replay of its own main chain. */
async function checkConsistent(dir: string): Promise<number> {
  const chain = await Chain.open({ dataDir: dir, profile: EASY, core });
  try {
    const tip = chain.tip();
    expect(await chain.getBlockBytes(tip.hash)).toBeDefined();
    expect(await chain.getHashByHeight(tip.height + 1)).toBeUndefined();
    const ledger = new Map<string, Account>();
    let prev = chain.genesisHash;
    let txs = 0;
    for (let h = 1; h <= tip.height; h++) {
      const hash = (await chain.getHashByHeight(h))!;
      const parts = decodeBlockParts((await chain.getBlockBytes(hash))!);
      expect(toHex(parts.block.header.prevHash)).toBe(toHex(prev));
      for (const [k, v] of applyBlock((hex) => ledger.get(hex), parts.block).writes) ledger.set(k, v);
      for (const t of parts.txBytes) expect((await chain.getTx(core.sha256d(t)))?.height).toBe(h);
      txs += parts.txBytes.length;
      prev = hash;
    }
    expect(toHex(prev)).toBe(toHex(tip.hash));
    // the best-header index (one chain, no forks) ends at the tip and matches the height index
    expect(chain.headerTip().height).toBe(tip.height);
    for (let h = 0; h <= tip.height; h++) expect(toHex(chain.store.headerChainHash(h)!)).toBe(toHex((await chain.getHashByHeight(h))!));
    expect(chain.store.headerChainHash(tip.height + 1)).toBeUndefined();
    // the main-header chunks (format 5): one per full chunk at or below the tip, each its blocks' headers, none above
    const full = Math.floor((tip.height + 1) / MAIN_CHUNK);
    for (let c = 0; c <= full; c++) {
      const v = chain.store.db.getSync(heightKey(P.mainChunk, c));
      if (c === full) {
        expect(v).toBeUndefined();
        break;
      }
      const want: string[] = [];
      for (let h = c * MAIN_CHUNK; h < (c + 1) * MAIN_CHUNK; h++) {
        const bytes = h === 0 ? genesisBlock(core, EASY).bytes : (await chain.getBlockBytes((await chain.getHashByHeight(h))!))!;
        want.push(toHex(bytes.subarray(0, HEADER_SIZE)));
      }
      expect(Array.from({ length: MAIN_CHUNK }, (_, i) => toHex(v!.subarray(i * HEADER_SIZE, (i + 1) * HEADER_SIZE)))).toEqual(want);
    }
    chunksSeen = Math.max(chunksSeen, full);
    const stored = new Map<string, Account>();
    for await (const [k, v] of chain.store.db.iterator({ gte: Uint8Array.of(P.account), lt: Uint8Array.of(P.account + 1) })) {
      stored.set(toHex(k.subarray(1)), decodeAccount(v));
    }
    expect(stored).toEqual(ledger);
    let indexed = 0;
    for await (const _ of chain.store.db.keys({ gte: Uint8Array.of(P.tx), lt: Uint8Array.of(P.tx + 1) })) indexed++;
    expect(indexed).toBe(txs);
    return tip.height;
  } finally {
    await chain.close();
  }
}

describe('crash safety', () => {
  it('reopens on the last committed tip after kill -9 at random moments', async () => {
    expect(existsSync(DIST), 'dist/ missing: run npm run build:ts').toBe(true);
    const { dir, cleanup } = tempDir();
    try {
      let last = 0;
      for (let round = 0; round < 5; round++) {
        const { printed } = await runAndKill(dir, 80 + Math.floor(Math.random() * 400));
        const height = await checkConsistent(dir);
        // every height the child reported was committed before it printed it; at most one more may be
        expect(height).toBeGreaterThanOrEqual(Math.max(printed, last));
        expect(height).toBeLessThanOrEqual(printed + 1);
        last = height;
      }
      expect(last).toBeGreaterThan(20);
    } finally {
      cleanup();
    }
  });

  it('addBlocks (one batch per call, written behind, grouped): reopens consistent, never behind a landed state', async () => {
    expect(existsSync(DIST), 'dist/ missing: run npm run build:ts').toBe(true);
    const { dir, cleanup } = tempDir();
    try {
      // 1500 blocks, each after the first with a tx of the miner's (accounts, undo and tx index in every batch)
      const miner = keyPairFromSeed(new Uint8Array(32).fill(7));
      const bob = keyPairFromSeed(new Uint8Array(32).fill(8)).address;
      const g = genesisBlock(core, EASY);
      let p: Parent = { hash: g.hash, header: g.header };
      const parts: Uint8Array[] = [];
      for (let h = 1; h <= 1500; h++) {
        const txs = h === 1 ? [] : [signTx(miner, { to: bob, amount: 3n, fee: 1n, nonce: BigInt(h - 2) }, EASY.magic)];
        const m = makeBlock(p, { miner: miner.address, txs, timestamp: p.header.timestamp + EASY.blockTimeSec * 1000 });
        const len = new Uint8Array(4);
        new DataView(len.buffer).setUint32(0, m.bytes.length, true);
        parts.push(len, m.bytes);
        p = m;
      }
      const file = join(dir, 'blocks.bin');
      writeFileSync(file, Buffer.concat(parts));
      const chainDir = join(dir, 'd');
      let last = 0;
      for (let round = 0; round < 5; round++) {
        const { heights } = await runAndKill(chainDir, 80 + Math.floor(Math.random() * 400), [BATCH_FIXTURE, chainDir, file]);
        const height = await checkConsistent(chainDir);
        // a call returns once its batch is queued (written behind, gathered with the calls made while a
        // write is in flight: group commit), so calls it reported may be lost, never a landed state;
        // checkConsistent proved what is there is one consistent tip
        expect(height).toBeGreaterThanOrEqual(last);
        expect(height).toBeLessThanOrEqual((heights.at(-1) ?? last) + 25);
        last = height;
      }
      expect(last).toBeGreaterThan(50);
    } finally {
      cleanup();
    }
  });

  it('addHeaders (group commit): reopens on whole calls, the header index gap-free and matching its records', async () => {
    expect(existsSync(DIST), 'dist/ missing: run npm run build:ts').toBe(true);
    const { dir, cleanup } = tempDir();
    try {
      const g = genesisBlock(core, EASY);
      let p: Parent = { hash: g.hash, header: g.header };
      const made: { hash: Uint8Array; header: Uint8Array }[] = [];
      for (let h = 1; h <= 6000; h++) {
        const m = makeBlock(p, { miner: new Uint8Array(20).fill(3), timestamp: p.header.timestamp + EASY.blockTimeSec * 1000 });
        made.push({ hash: m.hash, header: m.bytes.slice(0, 118) });
        p = m;
      }
      const file = join(dir, 'headers.bin');
      writeFileSync(file, Buffer.concat(made.map((m) => m.header)));
      const chainDir = join(dir, 'd');
      let last = 0;
      for (let round = 0; round < 5; round++) {
        const { heights } = await runAndKill(chainDir, 40 + Math.floor(Math.random() * 300), [HEADERS_FIXTURE, chainDir, file]);
        const chain = await Chain.open({ dataDir: chainDir, profile: EASY, core, now: () => Date.now() + 365 * 24 * 3600 * 1000 });
        try {
          const top = chain.headerTip().height;
          expect(top).toBeGreaterThanOrEqual(last);
          // whole calls of 200 (a group is whole commits), at most the calls made after the last one reported
          expect(top % 200).toBe(0);
          expect(top).toBeLessThanOrEqual(Math.max(last, heights.at(-1) ?? 0) + 200);
          for (let h = 1; h <= top; h++) {
            expect(toHex(chain.store.headerChainHash(h)!)).toBe(toHex(made[h - 1]!.hash));
            if (h % 97 === 0 || h === top) expect((await chain.getHeader(made[h - 1]!.hash))?.height).toBe(h);
          }
          expect(chain.store.headerChainHash(top + 1)).toBeUndefined();
          expect(toHex(chain.headerTip().hash)).toBe(toHex(top === 0 ? g.hash : made[top - 1]!.hash));
          last = top;
        } finally {
          await chain.close();
        }
      }
      expect(last).toBeGreaterThan(400);
    } finally {
      cleanup();
    }
  }, 60_000);
});
