// Chain benchmark: headers validated and stored per second (header-first sync path), and RSS; tx
// signature checks of generated 20-tx blocks over the SigChecker's workers (1 vs 2), block by block (as
// addBlock at the tip) and in runs of 100 blocks (as IBD's addBlocks).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBlockParts } from '../src/chain/block.js';
import { Chain } from '../src/chain/chain.js';
import { generateChain } from '../src/chain/generate.js';
import { createSigChecker, type SigChecker } from '../src/chain/sigcheck.js';
import { DEVNET } from '../src/constants.js';
import { HEADER_SIZE, MAX_HEADERS_PER_MSG } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { makeHeaders, PROFILE } from './headers.js';
import { measure, type BenchCtx, type Row } from './lib.js';


const TXS_PER_BLOCK = 20;

/**
 * Signature checks of a generated devnet chain of 20-tx blocks (`bloomcoin generate --txs-per-block
 * 20`): each block's signatures in one call, one block after the other (as chain.addBlock does), then
 * each run of 100 blocks' in one call (as chain.addBlocks does in IBD), inline and over 1 and 2 pool
 * workers in one Bench each; then whole blocks through chain.addBlock and chain.addBlocks with each checker.
 */
async function sigBench(ctx: BenchCtx, core: Awaited<ReturnType<typeof loadCore>>): Promise<object[]> {
  const blocks = ctx.quick ? 40 : 300;
  const dir = mkdtempSync(join(tmpdir(), 'bloom-bench-sig-'));
  const checkers: [string, SigChecker][] = [
    ['inline', createSigChecker({ workers: 0 })],
    ['pool, 1 worker', createSigChecker({ workers: 1, minPoolTxs: 0 })],
    ['pool, 2 workers', createSigChecker({ workers: 2, minPoolTxs: 0 })],
  ];
  try {
    await generateChain({ dataDir: dir, blocks: blocks + 1, txsPerBlock: TXS_PER_BLOCK, core });
    const src = await Chain.open({ dataDir: dir, profile: DEVNET, core });
    const raw: Uint8Array[] = [];
    for (let h = 1; h <= blocks + 1; h++) raw.push((await src.getBlockBytes((await src.getHashByHeight(h))!))!);
    await src.close();
    const txsOf = raw.map((b) => decodeBlockParts(b).txBytes).filter((t) => t.length === TXS_PER_BLOCK);
    const sigs = txsOf.length * TXS_PER_BLOCK;
    // every signature of the chain, in `batches`, through each checker's `check` (false: a bad signature)
    const verifyRows = (kernel: string, batches: readonly Uint8Array[][], check: (c: SigChecker, txs: Uint8Array[]) => Promise<boolean>): Promise<Row[]> =>
      measure(
        kernel,
        txsOf.length,
        'pool, 1 worker',
        checkers.map(([impl, c]) => ({
          impl,
          items: sigs,
          fn: async () => {
            for (const txs of batches) if (!(await check(c, txs))) throw new Error('bad signature in a generated block');
          },
        })),
        ctx,
      );
    // block by block, as addBlock checks a block at the tip
    const rows: object[] = await verifyRows(`verify tx signatures (${TXS_PER_BLOCK}-tx blocks)`, txsOf, async (c, txs) => (await c.firstBadSignature(txs, DEVNET.magic)) < 0);
    // as IBD verifies them: chain.addBlocks gathers a run's txs into one call (runs of 100 blocks here),
    // so the per-call cost of waking the threads (~230 µs on this VM: docs/performance.md) is paid per run
    const RUN_BLOCKS = 100;
    const runs: Uint8Array[][] = [];
    for (let i = 0; i < txsOf.length; i += RUN_BLOCKS) runs.push(txsOf.slice(i, i + RUN_BLOCKS).flat());
    rows.push(
      ...(await verifyRows(`verify tx signatures (runs of ${RUN_BLOCKS} ${TXS_PER_BLOCK}-tx blocks)`, runs, async (c, txs) => !(await c.verifyTxSignatures(txs, DEVNET.magic)).includes(false))),
    );
    // where the pool starts to pay (SIG_POOL_MIN_TXS): one batch of k txs, inline against 2 workers
    const flat = txsOf.flat();
    for (const k of ctx.quick ? [8] : [2, 4, 8, 16]) {
      const one = flat.slice(0, k);
      rows.push(
        ...(await measure(
          'crossover sig checks',
          k,
          'inline',
          checkers
            .filter(([impl]) => impl !== 'pool, 1 worker')
            .map(([impl, c]) => ({ impl, items: k, fn: () => c.firstBadSignature(one, DEVNET.magic) })),
          ctx,
        )),
      );
    }
    // whole blocks through chain.addBlock (body rules, store, ledger applied once per block at connect)
    const full: Row[] = [];
    for (const [impl, c] of checkers) {
      const d = mkdtempSync(join(tmpdir(), 'bloom-bench-sig-add-'));
      const chain = await Chain.open({ dataDir: d, profile: DEVNET, core, sigChecker: c });
      try {
        const t0 = performance.now();
        for (const b of raw) {
          const r = await chain.addBlock(b);
          if (r.status !== 'connected') throw new Error(`block ${r.height}: ${r.status} ${r.code ?? ''}`);
        }
        full.push({ kernel: `addBlock (${TXS_PER_BLOCK}-tx blocks)`, size: raw.length, impl, opsPerSec: (raw.length * 1000) / (performance.now() - t0), ratio: 1 });
      } finally {
        await chain.close();
        rmSync(d, { recursive: true, force: true });
      }
    }
    // as IBD does: headers first, then blocks in calls of 100 through chain.addBlocks (each run's
    // signatures verified in one call over the pool, the run connected in one batch)
    const headers = raw.map((b) => b.subarray(0, HEADER_SIZE));
    for (const [impl, c] of checkers) {
      const d = mkdtempSync(join(tmpdir(), 'bloom-bench-sig-run-'));
      const chain = await Chain.open({ dataDir: d, profile: DEVNET, core, sigChecker: c });
      try {
        const hr = await chain.addHeaders(headers);
        if (hr.code) throw new Error(`headers rejected: ${hr.code}`);
        const t0 = performance.now();
        for (let i = 0; i < raw.length; i += 100) {
          for (const r of await chain.addBlocks(raw.slice(i, i + 100))) {
            if (r.status !== 'connected') throw new Error(`block ${r.height}: ${r.status} ${r.code ?? ''}`);
          }
        }
        full.push({ kernel: `addBlocks (${TXS_PER_BLOCK}-tx blocks, calls of 100)`, size: raw.length, impl, opsPerSec: (raw.length * 1000) / (performance.now() - t0), ratio: 1 });
      } finally {
        await chain.close();
        rmSync(d, { recursive: true, force: true });
      }
    }
    for (const kernel of new Set(full.map((r) => r.kernel))) {
      const base = full.find((r) => r.kernel === kernel && r.impl === 'pool, 1 worker')!.opsPerSec;
      for (const r of full) if (r.kernel === kernel) r.ratio = r.opsPerSec / base;
    }
    return [...rows, ...full];
  } finally {
    for (const [, c] of checkers) await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function chainBench(ctx: BenchCtx): Promise<object[]> {
  const core = await loadCore();
  return [...(await headerBench(ctx, core)), ...(await sigBench(ctx, core))];
}

async function headerBench(ctx: BenchCtx, core: Awaited<ReturnType<typeof loadCore>>): Promise<object[]> {
  const n = ctx.quick ? 10_000 : 100_000;
  const headers = makeHeaders(core, n);
  const dir = mkdtempSync(join(tmpdir(), 'bloom-bench-chain-'));
  const now = PROFILE.genesisTime + (n + 10) * PROFILE.blockTimeSec * 1000;
  const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core, now: () => now });
  try {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i += MAX_HEADERS_PER_MSG) {
      const r = await chain.addHeaders(headers.slice(i, i + MAX_HEADERS_PER_MSG));
      if (r.code) throw new Error(`header ${i + r.added} rejected: ${r.code} ${r.reason}`);
      if (i % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (chain.headerTip().height !== n) throw new Error('header tip did not reach the end');
    return [
      {
        kernel: 'addHeaders (validate + store)',
        size: n,
        impl: `${core.backend} + classic-level, batches of ${MAX_HEADERS_PER_MSG}`,
        opsPerSec: Math.round(n / secs),
        ratio: 1,
        // CPU of the whole process (JS thread + LevelDB's threads) per header: steadier than opsPerSec on a busy machine
        cpuUsPerHeader: Math.round(((cpu.user + cpu.system) / n) * 100) / 100,
        rssStartMB: Math.round(rss0 / 2 ** 20),
        rssPeakMB: Math.round(peak / 2 ** 20),
        headerBytes: n * HEADER_SIZE,
      },
    ];
  } finally {
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
