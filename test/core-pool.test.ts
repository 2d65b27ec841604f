// CorePool: piscina workers running the WASM core (needs dist/core/worker.js: `npm test` builds it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorePool, POOL_MIN_BATCH_ITEMS, POOL_MIN_KURAMOTO_WORK } from '../src/core/pool.js';
import * as R from '../src/core/reference.js';
import { loadWasmCore } from '../src/core/wasm.js';
import { InputError } from '../src/errors.js';

const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
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
    expect(R.hashMeetsTarget(R.sha256d(withNonce(header, nonce!)), target)).toBe(true);
    // a sub-range: the result lies inside it
    const easy = new Uint8Array(32).fill(0xff);
    easy[0] = 0;
    const n2 = await pool.grind(header, easy, { start: 1_000_000, count: 100_000 });
    expect(n2).toBeGreaterThanOrEqual(1_000_000);
    expect(n2).toBeLessThan(1_100_000);
    expect(R.hashMeetsTarget(R.sha256d(withNonce(header, n2!)), easy)).toBe(true);
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
    await expect(other.sha256dBatch(new Uint8Array(104 * 5000), 104)).rejects.toThrow(/closed/);
  });
});
