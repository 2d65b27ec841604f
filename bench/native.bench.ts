// Issue 8: the native backend as the speed limit, next to the WASM core and the baselines users would
// pick instead. Rows that bench/core.bench.ts already measures (WASM single, hash-wasm, noble, TS
// reference sha256d, WASM scalar Kuramoto, encode/decode) are not repeated; each table carries its
// own baseline (node:crypto for hashing, the TS reference for math), and the three rows a target
// compares against (WASM batch, WASM SIMD Kuramoto) are measured again here so every target is a
// ratio of two rows of one Bench — across Benches the shared machine's load drifts by 2×.
// bench/chart.ts merges both areas of bench/results.json into the per-kernel tables and the chart.
import { createHash } from 'node:crypto';
import { HEADER_SIZE, NONCE_OFFSET } from '../src/constants.js';
import { loadNativeAddon, loadNativeCore } from '../src/core/native.js';
import { CorePool } from '../src/core/pool.js';
import * as R from '../src/core/reference.js';
import type { Core, WeightedPhases } from '../src/core/types.js';
import { loadWasmCore } from '../src/core/wasm.js';
import { measure, type BenchCtx, type Row } from './lib.js';

const ITEM = 104;
const POOL_THREADS = 2;

const lorentzian = (n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => 0.5 * Math.tan(Math.PI * ((i + 0.5) / n - 0.5)));
const spread = (n: number, shift = 0): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => (((i * 0.618034) % 1) * 2 * Math.PI + shift) % (2 * Math.PI));

const nodeSha256d = (x: Uint8Array): Buffer => createHash('sha256').update(createHash('sha256').update(x).digest()).digest();

export default async function nativeBench(ctx: BenchCtx): Promise<Row[]> {
  // Fails the area (never a silent skip) when the addon is not built: run `npm run build:native`.
  const native: Core = await loadNativeCore();
  const addon = loadNativeAddon();
  const shaNi = addon.info().sha === 'sha-ni';
  const wasm = await loadWasmCore();
  const pool = await CorePool.create({ threads: POOL_THREADS, minBatchItems: 0, minKuramotoWork: 0, grind: 'wasm' });
  const rows: Row[] = [];
  const portable = <T>(fn: () => T): T => {
    addon.setShaNi(false);
    try {
      return fn();
    } finally {
      addon.setShaNi(shaNi);
    }
  };

  try {
    // --- sha256d of 104-byte headers (per hash); the pool gets a batch big enough to split
    const n = ctx.quick ? 2048 : 16384;
    const data = new Uint8Array(ITEM * n).map((_, i) => (i * 131) & 0xff);
    const items = Array.from({ length: n }, (_, i) => data.subarray(i * ITEM, (i + 1) * ITEM));
    await pool.sha256dBatch(data, ITEM); // start the workers and compile the module in each
    rows.push(
      ...(await measure(
        'sha256d 104 B',
        n,
        'node:crypto',
        [
          { impl: 'node:crypto', items: n, fn: () => items.forEach(nodeSha256d) },
          { impl: `native single${shaNi ? ' (SHA-NI)' : ''}`, items: n, fn: () => items.forEach((x) => native.sha256d(x)) },
          { impl: `native batch${shaNi ? ' (SHA-NI)' : ''}`, items: n, fn: () => native.sha256dBatch(data, ITEM) },
          { impl: 'native batch (i32x4 multi-buffer, no SHA-NI)', items: n, fn: () => portable(() => native.sha256dBatch(data, ITEM)) },
          { impl: `wasm pool (${POOL_THREADS} workers)`, items: n, fn: () => pool.sha256dBatch(data, ITEM) },
          // repeated from core.bench so the native/WASM target compares rows of one Bench
          { impl: 'wasm batch', items: n, fn: () => wasm.sha256dBatch(data, ITEM) },
        ],
        ctx,
      )),
    );

    // --- nonce grinding, hashes per second (a target nothing meets, so every range runs to the end)
    const header = new Uint8Array(HEADER_SIZE).map((_, i) => (i * 31) & 0xff);
    const never = new Uint8Array(32);
    const tries = ctx.quick ? 1 << 14 : 1 << 16;
    const poolTries = ctx.quick ? 1 << 17 : 1 << 20;
    const h = header.slice();
    const hv = new DataView(h.buffer);
    const cryptoTries = ctx.quick ? 1 << 11 : 1 << 13;
    rows.push(
      ...(await measure(
        'grind 118 B header',
        tries,
        'node:crypto',
        [
          {
            impl: 'node:crypto',
            items: cryptoTries,
            fn: () => {
              for (let i = 0; i < cryptoTries; i++) {
                hv.setUint32(NONCE_OFFSET, i, true);
                nodeSha256d(h);
              }
            },
          },
          { impl: 'wasm midstate, 1 worker (inline)', items: tries, fn: () => wasm.grindNonces(header, never, 0, tries) },
          {
            impl: `wasm midstate, pool (${POOL_THREADS} workers)`,
            items: poolTries,
            fn: () => pool.grind(header, never, { start: 0, count: poolTries }),
          },
          { impl: `native midstate${shaNi ? ' (SHA-NI, 2-way)' : ''}`, items: tries, fn: () => native.grindNonces(header, never, 0, tries) },
          { impl: 'native midstate (i32x4 multi-buffer, no SHA-NI)', items: tries, fn: () => portable(() => native.grindNonces(header, never, 0, tries)) },
          // per-hash cost of plain batch hashing, for the "grinding ≥ 1.5× batch" target in one Bench
          { impl: 'wasm batch sha256d 104 B (reference row)', items: n, fn: () => wasm.sha256dBatch(data, ITEM) },
        ],
        ctx,
      )),
    );

    // --- Kuramoto step, oscillator-steps per second (core.bench has the WASM rows at the same sizes)
    for (const N of ctx.quick ? [64, 4096] : [64, 4096, 65536]) {
      const steps = Math.max(1, Math.round(65536 / N));
      const om = lorentzian(N);
      const pr = spread(N);
      const pn = spread(N);
      const pw = spread(N);
      rows.push(
        ...(await measure(
          'kuramoto step',
          N,
          'ts reference',
          [
            { impl: 'ts reference', items: N * steps, fn: () => R.kuramotoIntegrate(pr, om, 2, 0.01, steps) },
            { impl: 'native', items: N * steps, fn: () => native.kuramotoIntegrate(pn, om, 2, 0.01, steps) },
            // repeated from core.bench so the native/WASM target compares rows of one Bench
            { impl: 'wasm simd', items: N * steps, fn: () => wasm.kuramotoIntegrate(pw, om, 2, 0.01, steps) },
          ],
          ctx,
        )),
      );
    }

    // --- phase math at 64 and 10000 (core.bench covers orderParameter/incorporate at 4096 only)
    for (const N of [64, 10_000]) {
      const local = spread(N);
      const peer = spread(N, 0.4);
      const states: WeightedPhases[] = [
        { phases: local, r: 0.9, weight: 1 },
        { phases: peer, r: 0.8, weight: 0.5 },
        { phases: spread(N, 1.1), r: 0.7, weight: 0.25 },
      ];
      rows.push(
        ...(await measure(
          'orderParameter',
          N,
          'ts reference',
          [
            { impl: 'ts reference', items: N, fn: () => R.orderParameter(local) },
            { impl: 'wasm', items: N, fn: () => wasm.orderParameter(local) },
            { impl: 'native', items: N, fn: () => native.orderParameter(local) },
          ],
          ctx,
        )),
        ...(await measure(
          'incorporatePeerPhases',
          N,
          'ts reference',
          [
            { impl: 'ts reference', items: N, fn: () => R.incorporatePeerPhases(local, peer, 0.1) },
            { impl: 'wasm', items: N, fn: () => wasm.incorporatePeerPhases(local, peer, 0.1) },
          ],
          ctx,
        )),
        ...(await measure(
          'mergePhaseStates (3 states)',
          N,
          'ts reference',
          [
            { impl: 'ts reference', items: N, fn: () => R.mergePhaseStates(states) },
            { impl: 'wasm', items: N, fn: () => wasm.mergePhaseStates(states) },
          ],
          ctx,
        )),
      );
    }

    // --- the pool's own cost: one task carrying one 104-byte hash, against the same call inline
    const one = data.subarray(0, ITEM);
    const single = await CorePool.create({ threads: 1, minBatchItems: 0 });
    try {
      await single.sha256dBatch(one, ITEM);
      rows.push(
        ...(await measure(
          'pool round trip (1 task, 1 hash)',
          1,
          'wasm inline',
          [
            { impl: 'wasm inline', fn: () => wasm.sha256dBatch(one, ITEM) },
            { impl: 'native inline', fn: () => native.sha256dBatch(one, ITEM) },
            { impl: 'wasm pool (1 worker)', fn: () => single.sha256dBatch(one, ITEM) },
          ],
          ctx,
        )),
      );
    } finally {
      await single.close();
    }
  } finally {
    await pool.close();
    addon.setShaNi(shaNi);
  }
  return rows;
}
