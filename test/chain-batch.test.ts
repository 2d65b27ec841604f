// chain.addBlocks (one batch per run of tip extensions, written behind) against addBlock one by one:
// the same results and, after close, byte for byte the same store, good runs and bad blocks alike.
import { afterEach, describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../src/constants.js';
import { toHex } from '../src/bytes.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { ReceivedBlock } from '../src/chain/received.js';
import { HAVE_DATA } from '../src/chain/store.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import type { AddBlockResult } from '../src/chain/types.js';
import { createSigChecker, type TxSignatureChecker } from '../src/chain/sigcheck.js';
import { core, goodCert, makeBlock, NOW, profile, tempDir, type Made, type Parent } from './helpers/chain.js';

const alice = keyPairFromSeed(new Uint8Array(32).fill(1));
const bob = keyPairFromSeed(new Uint8Array(32).fill(2));
const g = genesisBlock(core, profile);
const G: Parent = { hash: g.hash, header: g.header };
const pay = (nonce: bigint) => signTx(alice, { to: bob.address, amount: 5n, fee: 1n, nonce }, profile.magic);

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function open(sigChecker?: TxSignatureChecker): Promise<{ chain: Chain; dir: string }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { chain: await Chain.open({ dataDir: t.dir, profile, core, now: () => NOW, sigChecker }), dir: t.dir };
}

/** A real pool of 2 workers (always used, even for one tx), counting the batches it is given. */
function countingChecker(): { checker: TxSignatureChecker; calls: number[]; firstBad: number; close: () => Promise<void> } {
  const pool = createSigChecker({ workers: 2, minPoolTxs: 0 });
  const out = {
    calls: [] as number[],
    firstBad: 0,
    close: () => pool.close(),
    checker: {
      verifyTxSignatures: (txs: readonly Uint8Array[], magic: number) => {
        out.calls.push(txs.length);
        return pool.verifyTxSignatures(txs, magic);
      },
      firstBadSignature: (txs: readonly Uint8Array[], magic: number) => {
        out.firstBad++;
        return pool.firstBadSignature(txs, magic);
      },
    },
  };
  return out;
}

/** Every key and value of the store, hex. */
async function dump(dir: string): Promise<Map<string, string>> {
  const chain = await Chain.open({ dataDir: dir, profile, core, now: () => NOW });
  const out = new Map<string, string>();
  for await (const [k, v] of chain.store.db.iterator()) out.set(toHex(k), toHex(v));
  await chain.close();
  return out;
}

/** Bytes the last compare handed to LevelDB: [addBlock, addBlocks]. */
let written: number[] = [];

const view = (r: AddBlockResult) => ({ status: r.status, height: r.height, code: r.code, hash: toHex(r.hash) });

/**
 * Feeds `blocks` to one chain with addBlock one by one and to another with addBlocks in calls of
 * `calls` sizes (the rest in one), both after the same headers; results and stores must be equal.
 */
async function compare(headers: Uint8Array[], blocks: Uint8Array[], calls: number[] = [], sigChecker?: TxSignatureChecker): Promise<AddBlockResult[]> {
  const a = await open();
  const b = await open(sigChecker);
  if (headers.length) {
    expect((await a.chain.addHeaders(headers)).code).toBeUndefined();
    await b.chain.addHeaders(headers);
  }
  const one: AddBlockResult[] = [];
  for (const x of blocks) one.push(await a.chain.addBlock(x));
  const batched: AddBlockResult[] = [];
  let i = 0;
  for (const n of [...calls, blocks.length]) {
    if (i >= blocks.length) break;
    batched.push(...(await b.chain.addBlocks(blocks.slice(i, i + n).map((x) => new ReceivedBlock(x.slice())))));
    i += n;
  }
  expect(batched.map(view)).toEqual(one.map(view));
  expect(toHex(b.chain.tip().hash)).toBe(toHex(a.chain.tip().hash));
  expect(b.chain.headerTip().height).toBe(a.chain.headerTip().height);
  written = [a.chain.store.bytesWritten, b.chain.store.bytesWritten];
  await a.chain.close();
  await b.chain.close();
  expect(await dump(b.dir)).toEqual(await dump(a.dir));
  return one;
}

/** Block 1 pays alice; every later block carries one tx of hers (nonce = height − 2). */
function funded(n: number, from: Parent = G, start = 1): Made[] {
  const out: Made[] = [];
  let p = from;
  for (let h = start; h < start + n; h++) {
    const m = h === 1 ? makeBlock(p, { miner: alice.address }) : makeBlock(p, { txs: [pay(BigInt(h - 2))] });
    out.push(m);
    p = m;
  }
  return out;
}
const hdrs = (ms: Made[]) => ms.map((m) => m.bytes.subarray(0, HEADER_SIZE));

describe('addBlocks: batched connect gives addBlock results and store', () => {
  it('a run of tip extensions with transactions connects in one call; reads see it before it lands', async () => {
    const chain = funded(40);
    const res = await compare(hdrs(chain), chain.map((m) => m.bytes), [7, 1]);
    expect(res.every((r) => r.status === 'connected')).toBe(true);
    // the batches took the fast path: no side-index round trip, each account written once per batch
    expect(written[1]!).toBeLessThan(written[0]! * 0.9);
    // write-behind: right after the call resolves, every read already answers from the new batch
    const { chain: c } = await open();
    await c.addHeaders(hdrs(chain));
    const r = await c.addBlocks(chain.map((m) => new ReceivedBlock(m.bytes.slice())));
    expect(r.at(-1)!.status).toBe('connected');
    expect(c.tip().height).toBe(40);
    expect(toHex((await c.getHashByHeight(40))!)).toBe(toHex(chain[39]!.hash));
    expect((await c.getBlockBytes(chain[39]!.hash))?.length).toBe(chain[39]!.bytes.length);
    expect((await c.getAccount(alice.address)).nonce).toBe(39n);
    expect((await c.getTx(core.sha256d(pay(38n))))?.height).toBe(40);
    await c.close();
  });

  it('a ledger failure in the middle: the good prefix connects, the bad block and its descendants get addBlock verdicts', async () => {
    const good = funded(10);
    // block 11 spends with a nonce alice does not have: its header and body are valid, the ledger is not
    const bad = makeBlock(good[9]!, { txs: [pay(99n)] });
    const after = funded(5, bad, 12);
    const all = [...good, bad, ...after];
    const res = await compare(hdrs(all), all.map((m) => m.bytes));
    expect(res.slice(0, 10).every((r) => r.status === 'connected')).toBe(true);
    expect(res[10]).toMatchObject({ status: 'invalid', code: 'bad-tx-nonce' });
    expect(res.slice(11).every((r) => r.status === 'invalid')).toBe(true);
  });

  it('a mangled body in the middle (mutable: the header stays valid) and then the real block: all connect', async () => {
    const chain = funded(20);
    const mangled = chain[9]!.bytes.slice();
    mangled[mangled.length - 1]! ^= 1; // a tx byte: the merkle root no longer matches
    const blocks = [...chain.slice(0, 10).map((m) => m.bytes).slice(0, 9), mangled, ...chain.slice(9).map((m) => m.bytes)];
    const res = await compare(hdrs(chain), blocks);
    expect(res[9]).toMatchObject({ status: 'invalid', code: 'bad-merkle-root' });
    expect(res.at(-1)!.status).toBe('connected');
  });

  it('a certificate failure (the header is condemned) in the middle of a call', async () => {
    const good = funded(6);
    const bad = makeBlock(good[5]!, { cert: goodCert({ rounds: 3 }), txs: [pay(5n)] });
    const after = funded(3, bad, 8);
    const all = [...good, bad, ...after];
    const res = await compare(hdrs(all), all.map((m) => m.bytes));
    expect(res[6]).toMatchObject({ status: 'invalid', code: 'cert-rounds' });
  });

  it('out of order, duplicates, unknown headers and orphans mixed into the calls', async () => {
    const chain = funded(30);
    const b = chain.map((m) => m.bytes);
    // headers only up to 20: 21.. are new headers (addBlock's path), 25 before 21 is an orphan
    const blocks = [...b.slice(0, 5), b[7]!, b[8]!, b[5]!, b[6]!, b[6]!, ...b.slice(9, 20), b[24]!, ...b.slice(20, 24), ...b.slice(25)];
    const res = await compare(hdrs(chain.slice(0, 20)), blocks, [3, 4]);
    expect(res.map((r) => r.status)).toContain('side');
    expect(res.map((r) => r.status)).toContain('duplicate');
    expect(res.map((r) => r.status)).toContain('orphan');
  });
});

describe('addBlocks with a signature checker: one call per run, flags handed to the body check', () => {
  it('a run of 40 blocks has every signature verified in one verifyTxSignatures call over the pool', async () => {
    const c = countingChecker();
    try {
      const chain = funded(40);
      const res = await compare(hdrs(chain), chain.map((m) => m.bytes), [], c.checker);
      expect(res.every((r) => r.status === 'connected')).toBe(true);
      // blocks 2..40 carry one tx each: one batch of 39, nothing verified block by block
      expect(c.calls).toEqual([39]);
      expect(c.firstBad).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a bad signature in the middle of a run: the prefix connects, the block gets addBlock verdict bad-tx-sig', async () => {
    const c = countingChecker();
    try {
      const good = funded(10);
      const forged = pay(9n);
      forged[forged.length - 1]! ^= 1; // the last signature byte
      const bad = makeBlock(good[9]!, { txs: [forged] });
      const after = funded(4, bad, 12);
      const all = [...good, bad, ...after];
      const res = await compare(hdrs(all), all.map((m) => m.bytes), [], c.checker);
      expect(res.slice(0, 10).every((r) => r.status === 'connected')).toBe(true);
      expect(res[10]).toMatchObject({ status: 'invalid', code: 'bad-tx-sig' });
      // a bad signature is a mutable verdict (the header stays valid): its descendants wait, none connects
      expect(res.slice(11).some((r) => r.status === 'connected')).toBe(false);
      // the run's one batch (9 + 1 + 4 txs) found it; addBlock's path then ruled on that block alone
      expect(c.calls[0]).toBe(14);
      expect(c.firstBad).toBeGreaterThanOrEqual(1);
    } finally {
      await c.close();
    }
  });
});

describe('record statuses in batches (Store.getStatuses, missingBlocks)', () => {
  it('unknown, header only, connected (its batch possibly still in flight), and what missingBlocks lists', async () => {
    const { chain: c } = await open();
    const blocks = funded(30);
    await c.addHeaders(hdrs(blocks));
    expect((await c.missingBlocks(100)).map((m) => m.height)).toEqual(blocks.map((_, i) => i + 1));
    // the call returns once its batch is submitted: the statuses must already say "stored"
    const r = await c.addBlocks(blocks.slice(0, 20).map((m) => new ReceivedBlock(m.bytes.slice())));
    expect(r.every((x) => x.status === 'connected')).toBe(true);
    const st = await c.store.getStatuses([blocks[0]!.hash, blocks[19]!.hash, blocks[20]!.hash, new Uint8Array(32).fill(7)]);
    expect(st).toEqual([HAVE_DATA, HAVE_DATA, 0, -1]);
    expect((await c.missingBlocks(100)).map((m) => m.height)).toEqual(blocks.slice(20).map((_, i) => i + 21));
    expect((await c.missingBlocks(3, 25)).map((m) => m.height)).toEqual([25, 26, 27]);
    await c.close();
  });

  it("missingBlocks' statuses are not trusted by addBlocks after a block was stored meanwhile", async () => {
    const { chain: c } = await open();
    const blocks = funded(12);
    await c.addHeaders(hdrs(blocks));
    await c.addBlocks(blocks.slice(0, 3).map((m) => new ReceivedBlock(m.bytes.slice())));
    // the scan reads "header only" for 4..12; then 6 arrives above the gap (stored as a side block)
    expect((await c.missingBlocks(100)).map((m) => m.height)).toEqual(blocks.slice(3).map((_, i) => i + 4));
    expect((await c.addBlock(blocks[5]!.bytes)).status).toBe('side');
    // 4, 5 connect in the run, 6 is connected by activate after it: its second copy is a duplicate, as addBlock says
    const r = await c.addBlocks(blocks.slice(3, 7).map((m) => new ReceivedBlock(m.bytes.slice())));
    expect(r.map((x) => x.status)).toEqual(['connected', 'connected', 'duplicate', 'connected']);
    expect(c.tip().height).toBe(7);
    await c.close();
  });
});
