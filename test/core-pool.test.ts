// CorePool: piscina workers running the WASM core, grinding on native where the addon is built
// (needs dist/core/worker.js: `npm test` builds it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex as hex } from '../src/bytes.js';
import { Chain } from '../src/chain/chain.js';
import { DEVNET } from '../src/constants.js';
import { batchChunk, CorePool, GRIND_CHUNK, GRIND_CHUNK_NATIVE, POOL_MIN_BATCH_ITEMS, POOL_MIN_KURAMOTO_WORK } from '../src/core/pool.js';
import * as R from '../src/core/reference.js';
import { loadWasmCore } from '../src/core/wasm.js';
import { InputError } from '../src/errors.js';
import { Miner, type GrindAnswer } from '../src/miner/miner.js';
import { miningChain } from '../src/miner/template.js';
import { systemClock, type Clock } from '../src/clock.js';

const NO_NATIVE = process.env.BLOOMCOIN_NO_NATIVE === '1';

const header = new Uint8Array(118).map((_, i) => (i * 29 + 7) & 0xff);
const withNonce = (h: Uint8Array, n: number): Uint8Array => {
  const c = h.slice();
  new DataView(c.buffer).setUint32(114, n, true);
  return c;
};

let pool: CorePool;
beforeAll(async () => {
  pool = await CorePool.create({ threads: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe('CorePool', () => {
  it('hashes batches above and below the crossover like the reference', async () => {
    for (const n of [POOL_MIN_BATCH_ITEMS - 1, POOL_MIN_BATCH_ITEMS * 3 + 1]) {
      const data = new Uint8Array(104 * n).map((_, i) => (i * 7) ^ (i >> 8));
      expect(hex(await pool.sha256dBatch(data, 104))).toBe(hex(R.sha256dBatch(data, 104)));
    }
    // a view into a larger buffer is hashed from its own offset
    const big = new Uint8Array(80 * 2000 + 3).map((_, i) => i);
    const view = big.subarray(3);
    expect(hex(await pool.sha256dBatch(view, 80))).toBe(hex(R.sha256dBatch(view, 80)));
    await expect(pool.sha256dBatch(new Uint8Array(105), 104)).rejects.toBeInstanceOf(InputError);
    // input already in shared memory is hashed in place; the result is correct and independent of it
    const n = POOL_MIN_BATCH_ITEMS * 2 + 5;
    const shared = new Uint8Array(new SharedArrayBuffer(104 * n)).map((_, i) => (i * 13) & 0xff);
    const expected = hex(R.sha256dBatch(shared, 104));
    const out = await pool.sha256dBatch(shared, 104);
    shared.fill(0);
    expect(hex(out)).toBe(expected);
    // a view at an odd offset into shared memory is read in place too, every chunk claimed once
    const sab = new SharedArrayBuffer(104 * n + 5);
    const at5 = new Uint8Array(sab, 5, 104 * n).map((_, i) => (i * 31) & 0xff);
    new Uint8Array(sab, 0, 5).fill(0xee);
    expect(hex(await pool.sha256dBatch(at5, 104))).toBe(hex(R.sha256dBatch(at5.slice(), 104)));
    expect(batchChunk(n, 2)).toBeLessThan(n / 2); // more chunks than workers: a late worker takes fewer
  });

  it('integrates large Kuramoto systems in a worker, bit-identical to the inline core', async () => {
    const n = 4096;
    const steps = Math.ceil(POOL_MIN_KURAMOTO_WORK / n) + 1;
    const omegas = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const a = Float64Array.from({ length: n }, (_, i) => (i * 0.37) % 6);
    const b = a.slice();
    const pa = await pool.kuramotoIntegrate(a, omegas, 2, 0.05, steps);
    const pb = (await loadWasmCore()).kuramotoIntegrate(b, omegas, 2, 0.05, steps);
    expect(pa).toEqual(pb);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('grind finds a nonce the reference confirms, and all workers stop', async () => {
    const target = new Uint8Array(32).fill(0xff);
    target[0] = 0;
    target[1] = 0;
    target[2] = 0x7f; // ~1 in 2^17 hashes
    // the whole u32 range: the promise only settles once every worker has seen the stop flag
    const nonce = await pool.grind(header, target);
    expect(nonce).not.toBeNull();
    expect(R.hashMeetsTargetBytes(R.sha256d(withNonce(header, nonce!)), target)).toBe(true);
    // a sub-range: the result lies inside it
    const easy = new Uint8Array(32).fill(0xff);
    easy[0] = 0;
    const n2 = await pool.grind(header, easy, { start: 1_000_000, count: 100_000 });
    expect(n2).toBeGreaterThanOrEqual(1_000_000);
    expect(n2).toBeLessThan(1_100_000);
    expect(R.hashMeetsTargetBytes(R.sha256d(withNonce(header, n2!)), easy)).toBe(true);
    // small ranges run inline; an impossible target finds nothing
    expect(await pool.grind(header, new Uint8Array(32), { start: 5, count: 100 })).toBeNull();
    expect(await pool.grind(header, new Uint8Array(32), { count: 100_000 })).toBeNull();
  });

  it('abort stops the search and leaves the pool usable', async () => {
    const ac = new AbortController();
    const impossible = new Uint8Array(32);
    const timer = setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const res = await pool.grind(header, impossible, { signal: ac.signal });
    clearTimeout(timer);
    expect(res).toBeNull();
    expect(ac.signal.aborted).toBe(true);
    // 2^32 hashes would take far longer than this: the workers really stopped early
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await pool.grind(header, impossible, { signal: AbortSignal.abort() })).toBeNull();
    const data = new Uint8Array(104 * 1000);
    expect(hex(await pool.sha256dBatch(data, 104))).toBe(hex(R.sha256dBatch(data, 104)));
  });

  it('rejects bad grind input with typed errors and refuses work after close', async () => {
    await expect(pool.grind(header.subarray(1), new Uint8Array(32))).rejects.toBeInstanceOf(InputError);
    await expect(pool.grind(header, new Uint8Array(32), { start: 2 ** 32 - 1, count: 2 })).rejects.toMatchObject({
      code: 'bad-nonce-range',
    });
    const other = await CorePool.create({ threads: 1 });
    await other.close();
    await expect(other.sha256dBatch(new Uint8Array(104 * 5000), 104)).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('CorePool grinding backends', () => {
  const backends = NO_NATIVE ? (['wasm'] as const) : (['wasm', 'native'] as const);

  it('grinds on the fastest backend it has by default (native unless disabled or not built)', async () => {
    expect(pool.grindBackend).toBe(NO_NATIVE ? 'wasm' : 'native');
    if (NO_NATIVE) expect(pool.grindFallbackReason).toMatch(/BLOOMCOIN_NO_NATIVE/);
    const forced = await CorePool.create({ threads: 1, grind: 'wasm' });
    try {
      expect(forced.grindBackend).toBe('wasm');
      expect(forced.grindFallbackReason).toBeUndefined();
    } finally {
      await forced.close();
    }
  });

  // ~1 hit in 2^16 hashes: the lowest hit lies several chunks into the range
  const target = new Uint8Array(32).fill(0xff);
  target[0] = 0;
  target[1] = 0;
  const start = 123_457; // not chunk-aligned
  const expected = R.grindNonces(header, target, start, 1 << 22);

  for (const backend of backends) {
    it(`${backend}: finds the reference's lowest nonce and counts exactly the hashes it did`, async () => {
      expect(expected).toBeGreaterThan(start + 2 * GRIND_CHUNK); // the find is past chunks other workers took
      const p = await CorePool.create({ threads: 2, grind: backend });
      try {
        expect(p.grindBackend).toBe(backend);
        const chunk = backend === 'native' ? GRIND_CHUNK_NATIVE : GRIND_CHUNK;
        for (let i = 0; i < 3; i++) {
          const res = await p.search(header, target, { start, count: 1 << 22 });
          expect(res.nonce).toBe(expected);
          expect(res.backend).toBe(backend);
          // every chunk below the find was hashed whole; at most one chunk per worker beyond it
          expect(res.hashes).toBeGreaterThanOrEqual(expected - start + 1);
          expect(res.hashes).toBeLessThanOrEqual(expected - start + 1 + 2 * chunk);
        }
        expect(await p.grind(header, target, { start, count: 1 << 22 })).toBe(expected);
        // nothing to find: every nonce of the range hashed exactly once, none twice
        const none = await p.search(header, new Uint8Array(32), { start: 7, count: 5 * chunk + 123 });
        expect(none).toEqual({ nonce: null, hashes: 5 * chunk + 123, backend });
      } finally {
        await p.close();
      }
    });
  }
});

describe('miner hashrate accounting', () => {
  it.each([false, true])('reports the hashes the workers did, not the nonces dispatched (ranges queued: %s)', async (queuesRanges) => {
    const dir = mkdtempSync(join(tmpdir(), 'bloom-pool-rate-'));
    const core = await loadWasmCore();
    const chain = await Chain.open({ dataDir: dir, profile: DEVNET, core });
    let skew = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + skew };
    const dispatched: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    // each range "takes" 100 ms and the workers did 1 M hashes of it, whatever its size
    const fake = {
      threads: 2,
      queuesRanges,
      grind: (): Promise<GrindAnswer> => Promise.reject(new Error('the miner must ask search()')),
      search: (_h: Uint8Array, _t: Uint8Array, o: { count?: number }): Promise<GrindAnswer> => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        return new Promise((resolve) =>
          setImmediate(() => {
            dispatched.push(o.count ?? 0);
            skew += 100;
            inFlight--;
            resolve({ nonce: null, hashes: 1_000_000 });
          }),
        );
      },
    };
    const miner = new Miner({ chain: miningChain(chain), core, pool: fake, clock, profile: DEVNET, minerAddress: new Uint8Array(20).fill(5), seed: 7 });
    try {
      miner.start();
      const end = Date.now() + 20_000;
      while (dispatched.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      await miner.stop();
      expect(dispatched.length).toBeGreaterThanOrEqual(5);
      expect(dispatched.some((c) => c !== 1_000_000)).toBe(true);
      // 1 M hashes per 100 ms (plus the few real ms a range took) = 10 MH/s
      const rate = miner.status().hashrate;
      expect(rate).toBeGreaterThan(0.8e7);
      expect(rate).toBeLessThanOrEqual(1e7);
      // a pool that queues gets the next range while one grinds; any other one range at a time
      expect(mostInFlight).toBe(queuesRanges ? 2 : 1);
    } finally {
      await chain.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
