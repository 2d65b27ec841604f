// Miner costs: nonces/s per worker and for the pool (WASM with midstate vs node:crypto), and one
// coherence round at N = 4096 and 65536 against the 100 ms devnet round.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DEVNET, HEADER_SIZE, NONCE_OFFSET } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { loadNativeCore } from '../src/core/native.js';
import type { Core } from '../src/core/types.js';
import { CorePool } from '../src/core/pool.js';
import { walkNonces } from '../src/miner/nonce-walk.js';
import { Oscillators } from '../src/miner/oscillators.js';
import { measure, type BenchCtx, type Row } from './lib.js';

/** A round row also says what share of the devnet round it takes. */
type RoundRow = Row & { msPerRound: number; ofDevnetRound: string };

/** A target no hash meets: grinding covers the whole range. */
const NEVER = new Uint8Array(32);

/** Mining summary: node miner rate vs W × best single-thread rate, and native miner vs WASM miner. */
type MiningRow = { kernel: string; size: number | string; impl: string; value: number; target: string };

/**
 * Single-thread grinding per backend and the node's miner (the CorePool it makes, W workers) in one
 * run: the miner's rate as a share of W × the best single-thread rate, and the miner on its default
 * backend against the same pool forced to WASM (the node's miner before issue 18).
 */
async function miningRows(ctx: BenchCtx, threads: number, header: Uint8Array): Promise<(Row | MiningRow)[]> {
  const wasm = await loadCore();
  let native: Core | undefined;
  try {
    native = await loadNativeCore();
  } catch {
    // not built or disabled: the rows say so by their absence
  }
  const node = await CorePool.create({ threads });
  const wasmPool = await CorePool.create({ threads, grind: 'wasm' });
  try {
    const one = ctx.quick ? 1 << 16 : 1 << 20;
    // one call: ~250 ms of work (Miner's mainnet range goal), walked in four ranges
    const range = (p: CorePool): number => (p.grindBackend === 'native' ? 1 << 24 : 1 << 22) * (ctx.quick ? 0.25 : 1) * threads;
    for (const p of [node, wasmPool]) await p.search(header, NEVER, { count: 1 << 18 }); // wake the workers
    // the node's miner: Miner's own walk (nonce-walk.ts), the next range queued behind the current one;
    // four ranges per call, ~60 ms each (devnet's goal is 50 ms a range)
    let at = 0;
    const walk = (p: CorePool, depth: number) => (): Promise<number> => {
      const total = range(p);
      const start = at;
      at = (at + total) % 2 ** 31;
      return walkNonces({
        start,
        end: start + total,
        signal: new AbortController().signal,
        depth,
        rangeSize: () => total / 4,
        grind: async (s, count, signal) => {
          const r = await p.search(header, NEVER, { start: s, count, signal });
          return { nonce: r.nonce ?? -1, hashes: r.hashes };
        },
        now: () => performance.now(),
      });
    };
    const cases = [
      { impl: 'wasm, 1 thread', items: one, fn: () => wasm.grindNonces(header, NEVER, 0, one) },
      ...(native ? [{ impl: 'native, 1 thread', items: one, fn: () => native.grindNonces(header, NEVER, 0, one) }] : []),
      // the miner before issue 18: WASM workers, one range after another
      { impl: `miner pool (wasm), ${threads} workers`, items: range(wasmPool), fn: walk(wasmPool, 1) },
      { impl: `miner walk (${node.grindBackend}), ranges one after another`, items: range(node), fn: walk(node, 1) },
      { impl: `miner walk (${node.grindBackend}), next range queued`, items: range(node), fn: walk(node, 2) },
    ];
    const rows = await measure('mining', 'grind', 'wasm, 1 thread', cases, ctx);
    const rate = (prefix: string): number => rows.find((r) => r.impl.startsWith(prefix))?.opsPerSec ?? 0;
    const best = Math.max(rate('wasm, 1'), rate('native, 1'));
    const nodeRate = rate(`miner walk (${node.grindBackend}), next range queued`);
    return [
      ...rows,
      { kernel: 'mining', size: 'summary', impl: `node miner ÷ (${threads} × best 1-thread)`, value: nodeRate / (threads * best), target: '≥ 0.90' },
      { kernel: 'mining', size: 'summary', impl: `node miner (${node.grindBackend}) ÷ wasm miner`, value: nodeRate / rate('miner pool (wasm)'), target: native ? '≥ 2.5' : 'addon not built' },
    ];
  } finally {
    await node.close();
    await wasmPool.close();
  }
}

export default async function minerBench(ctx: BenchCtx): Promise<(Row | RoundRow | MiningRow)[]> {
  const rows: (Row | RoundRow | MiningRow)[] = [];
  const core = await loadCore();
  const header = new Uint8Array(HEADER_SIZE).map((_, i) => (i * 31) & 0xff);
  const threads = availableParallelism();
  rows.push(...(await miningRows(ctx, threads, header)));
  const pool = await CorePool.create({ threads, grind: 'wasm' });
  try {
    // --- nonces per second: node:crypto (no midstate) vs the core on one thread vs all workers
    const h = header.slice();
    const dv = new DataView(h.buffer);
    const cryptoCount = ctx.quick ? 1 << 11 : 1 << 13;
    const oneCount = ctx.quick ? 1 << 14 : 1 << 16;
    const poolCount = ctx.quick ? 1 << 18 : 1 << 21;
    await pool.grind(header, NEVER, { start: 0, count: 1 << 15 }); // wake the workers
    const grind = await measure(
      'grind nonces',
      'per call varies',
      'node:crypto sha256d',
      [
        {
          impl: 'node:crypto sha256d',
          items: cryptoCount,
          fn: () => {
            let x = 0;
            for (let n = 0; n < cryptoCount; n++) {
              dv.setUint32(NONCE_OFFSET, n, true);
              x ^= createHash('sha256').update(createHash('sha256').update(h).digest()).digest()[0]!;
            }
            return x;
          },
        },
        { impl: `${core.backend} midstate, 1 thread`, items: oneCount, fn: () => core.grindNonces(header, NEVER, 0, oneCount) },
        { impl: `pool, ${threads} workers`, items: poolCount, fn: () => pool.grind(header, NEVER, { start: 0, count: poolCount }) },
      ],
      ctx,
    );
    const poolRow = grind[2]!;
    rows.push(...grind, { ...poolRow, impl: 'pool, per worker', opsPerSec: poolRow.opsPerSec / threads, ratio: poolRow.ratio / threads });

    // --- one coherence round: integrate (8 × dt 0.5) + incorporate one peer + encode PHASE + certificate
    const peer = { phases: Float64Array.from({ length: 64 }, (_, i) => (i * 0.01) % 6.28), r: 0.95, weight: 0.1 };
    for (const n of [4096, 65536]) {
      const inline = new Oscillators({ core, n, seed: 1 });
      const viaPool = new Oscillators({ core, n, seed: 1, integrator: (p, o, k, dt, st) => pool.kuramotoIntegrate(p, o, k, dt, st) });
      const round = (o: Oscillators) => async (): Promise<void> => {
        const s = await o.step();
        o.incorporate([peer]);
        core.encodePhaseState(o.phases, s.r, s.psi);
        o.certificate();
      };
      const res = await measure(
        'miner round',
        n,
        'this thread',
        [
          { impl: 'this thread', fn: round(inline) },
          // CorePool keeps N × steps < 2^17 inline, so at 4096 this measures the same path
          { impl: 'integration in the pool', fn: round(viaPool) },
        ],
        ctx,
      );
      for (const r of res) {
        const ms = 1000 / r.opsPerSec;
        rows.push({ ...r, msPerRound: +ms.toFixed(3), ofDevnetRound: `${((ms / DEVNET.gossipIntervalMs) * 100).toFixed(1)}%` });
      }
    }
  } finally {
    await pool.close();
  }
  return rows;
}
