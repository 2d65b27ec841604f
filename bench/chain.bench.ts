// Chain benchmark: headers validated and stored per second (header-first sync path), and RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../src/chain/chain.js';
import { HEADER_SIZE, MAX_HEADERS_PER_MSG } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { makeHeaders, PROFILE } from './headers.js';
import type { BenchCtx } from './lib.js';


export default async function chainBench(ctx: BenchCtx): Promise<object[]> {
  const core = await loadCore();
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
