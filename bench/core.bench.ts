// Core kernels: WASM against node:crypto / hash-wasm / @noble/hashes and the TS reference, plus the
// inline-vs-pool crossover that sets the constants in src/core/pool.ts.
import { createHash } from 'node:crypto';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { createSHA256 } from 'hash-wasm';
import { CorePool } from '../src/core/pool.js';
import * as R from '../src/core/reference.js';
import { loadWasmCore } from '../src/core/wasm.js';
import { measure, type BenchCtx, type Row } from './lib.js';

const ITEM = 104;

const lorentzian = (n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => 0.5 * Math.tan(Math.PI * ((i + 0.5) / n - 0.5)));
const spread = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => ((i * 0.618034) % 1) * 2 * Math.PI);

export default async function coreBench(ctx: BenchCtx): Promise<Row[]> {
  const rows: Row[] = [];
  const wasm = await loadWasmCore();
  const scalar = await loadWasmCore({ simd: false });
  const hw = await createSHA256();
  const hw2 = await createSHA256();

  // --- sha256d of 104-byte items
  const n = ctx.quick ? 256 : 2048;
  const data = new Uint8Array(ITEM * n).map((_, i) => (i * 131) & 0xff);
  const items = Array.from({ length: n }, (_, i) => data.subarray(i * ITEM, (i + 1) * ITEM));
  rows.push(
    ...(await measure(
      'sha256d 104 B',
      n,
      'node:crypto',
      [
        { impl: 'node:crypto', items: n, fn: () => items.forEach((x) => createHash('sha256').update(createHash('sha256').update(x).digest()).digest()) },
        { impl: 'wasm batch', items: n, fn: () => wasm.sha256dBatch(data, ITEM) },
        { impl: 'wasm single', items: n, fn: () => items.forEach((x) => wasm.sha256d(x)) },
        { impl: 'wasm batch scalar build', items: n, fn: () => scalar.sha256dBatch(data, ITEM) },
        {
          impl: 'hash-wasm',
          items: n,
          fn: () => items.forEach((x) => hw2.init().update(hw.init().update(x).digest('binary')).digest('binary')),
        },
        { impl: '@noble/hashes', items: n, fn: () => items.forEach((x) => nobleSha256(nobleSha256(x))) },
        { impl: 'ts reference', items: n, fn: () => items.forEach((x) => R.sha256d(x)) },
      ],
      ctx,
    )),
  );

  // --- nonce grinding (118-byte header, midstate) against hashing each candidate header
  const header = new Uint8Array(118).map((_, i) => i);
  const never = new Uint8Array(32);
  const tries = ctx.quick ? 4096 : 32768;
  const h = header.slice();
  const hv = new DataView(h.buffer);
  rows.push(
    ...(await measure(
      'grind 118 B header',
      tries,
      'node:crypto',
      [
        {
          impl: 'node:crypto',
          items: tries,
          fn: () => {
            for (let i = 0; i < tries; i++) {
              hv.setUint32(114, i, true);
              createHash('sha256').update(createHash('sha256').update(h).digest()).digest();
            }
          },
        },
        { impl: 'wasm grindNonces', items: tries, fn: () => wasm.grindNonces(header, never, 0, tries) },
      ],
      ctx,
    )),
  );

  // --- Kuramoto: oscillator-steps per second
  for (const N of ctx.quick ? [64, 4096] : [64, 4096, 65536]) {
    const steps = Math.max(1, Math.round(65536 / N));
    const om = lorentzian(N);
    const pr = spread(N);
    const pw = spread(N);
    const ps = spread(N);
    rows.push(
      ...(await measure(
        'kuramoto step',
        N,
        'ts reference',
        [
          { impl: 'ts reference', items: N * steps, fn: () => R.kuramotoIntegrate(pr, om, 2, 0.01, steps) },
          { impl: 'wasm simd', items: N * steps, fn: () => wasm.kuramotoIntegrate(pw, om, 2, 0.01, steps) },
          { impl: 'wasm scalar', items: N * steps, fn: () => scalar.kuramotoIntegrate(ps, om, 2, 0.01, steps) },
        ],
        ctx,
      )),
    );
  }

  // --- order parameter and incorporation at miner size
  const p4k = spread(4096);
  const peer64 = spread(64).map((x) => x + 0.3);
  rows.push(
    ...(await measure(
      'orderParameter',
      4096,
      'ts reference',
      [
        { impl: 'ts reference', fn: () => R.orderParameter(p4k) },
        { impl: 'wasm', fn: () => wasm.orderParameter(p4k) },
      ],
      ctx,
    )),
    ...(await measure(
      'incorporatePeerPhases',
      '4096←64',
      'ts reference',
      [
        { impl: 'ts reference', fn: () => R.incorporatePeerPhases(p4k, peer64, 0.1) },
        { impl: 'wasm', fn: () => wasm.incorporatePeerPhases(p4k, peer64, 0.1) },
      ],
      ctx,
    )),
  );

  // --- encode / decode (calls per second)
  for (const N of [64, 10_000]) {
    const ph = spread(N);
    const enc = R.encodePhaseState(ph, 0.9, 1);
    const full = new Uint8Array(12 + 4 * Math.min(N, 10_000));
    const fv = new DataView(full.buffer);
    fv.setFloat32(0, 0.9, true);
    fv.setUint32(8, N, true);
    for (let i = 0; i < N; i++) fv.setFloat32(12 + 4 * i, ph[i]!, true);
    rows.push(
      ...(await measure(
        'encodePhaseState',
        N,
        'ts reference',
        [
          { impl: 'ts reference', fn: () => R.encodePhaseState(ph, 0.9, 1) },
          { impl: 'wasm', fn: () => wasm.encodePhaseState(ph, 0.9, 1) },
        ],
        ctx,
      )),
      ...(await measure(
        'decodePhaseState',
        N,
        'ts reference',
        [
          { impl: 'ts reference', fn: () => R.decodePhaseState(N > 256 ? full : enc) },
          { impl: 'wasm', fn: () => wasm.decodePhaseState(N > 256 ? full : enc) },
        ],
        ctx,
      )),
    );
  }

  // --- pool crossover: inline WASM vs the pool, same work (ratio > 1: the pool wins)
  const pool = await CorePool.create({ minBatchItems: 0, minKuramotoWork: 0 });
  // the same pool with one worker, at the largest batch: the pool's own scaling in the same Bench
  const pool1 = await CorePool.create({ threads: 1, minBatchItems: 0, minKuramotoWork: 0 });
  try {
    const sizes = ctx.quick ? [128, 1024, 8192] : [64, 128, 256, 512, 1024, 2048, 8192, 32768];
    for (const k of sizes) {
      // the input lives in shared memory, as a caller that batches for the pool would keep it
      const d = new Uint8Array(new SharedArrayBuffer(ITEM * k));
      d.forEach((_, i) => (d[i] = i & 0xff));
      rows.push(
        ...(await measure(
          `crossover sha256dBatch (${pool.threads} threads)`,
          k,
          'inline',
          [
            { impl: 'inline', items: k, fn: () => wasm.sha256dBatch(d, ITEM) },
            { impl: 'pool', items: k, fn: () => pool.sha256dBatch(d, ITEM) },
            ...(k === sizes.at(-1) ? [{ impl: 'pool, 1 worker', items: k, fn: () => pool1.sha256dBatch(d, ITEM) }] : []),
          ],
          ctx,
        )),
      );
    }
    for (const work of ctx.quick ? [1 << 14, 1 << 18] : [1 << 12, 1 << 14, 1 << 16, 1 << 17, 1 << 18, 1 << 20]) {
      const N = 4096;
      const steps = Math.max(1, work / N);
      const om = lorentzian(N);
      const a = spread(N);
      const b = spread(N);
      rows.push(
        ...(await measure(
          'crossover kuramoto (N=4096)',
          N * steps,
          'inline',
          [
            { impl: 'inline', items: N * steps, fn: () => wasm.kuramotoIntegrate(a, om, 2, 0.01, steps) },
            { impl: 'pool', items: N * steps, fn: () => pool.kuramotoIntegrate(b, om, 2, 0.01, steps) },
          ],
          ctx,
        )),
      );
    }
  } finally {
    await pool.close();
    await pool1.close();
  }
  return rows;
}
