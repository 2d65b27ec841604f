// Sync benchmark: headers validated and stored per second while syncing over loopback TCP, and RSS.
// The serving node runs in a child process (this same file, SYNC_BENCH_SERVER=1) so the syncing
// process's RSS is its own; under a TS loader (no compiled file to fork) it runs in-process.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chain } from '../src/chain/chain.js';
import { DEVNET, MAX_HEADERS_PER_MSG } from '../src/constants.js';
import { loadCore } from '../src/core/index.js';
import { systemClock } from '../src/p2p/clock.js';
import { PeerManager } from '../src/p2p/manager.js';
import { SyncManager } from '../src/sync/manager.js';
import { MsgType } from '../src/wire/types.js';
import { makeHeaders, PROFILE } from './headers.js';
import type { BenchCtx } from './lib.js';


/** A node that has `n` headers and serves them to GETBLOCKS (blocks are not served: headers only). */
async function serve(n: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const headers = makeHeaders(await loadCore(), n);
  const net = new PeerManager({
    listenHost: '127.0.0.1',
    listenPort: 0,
    profile: DEVNET,
    outboundTarget: 0,
    localInfo: () => ({ height: n, chainWork: 1n << 100n }),
  });
  net.on(MsgType.GETBLOCKS, (peer, m) => {
    const count = Math.min(m.count, MAX_HEADERS_PER_MSG);
    net.send(peer, { type: MsgType.BLOCKS, headers: m.start >= 1 ? headers.slice(m.start - 1, m.start - 1 + count) : [] });
  });
  await net.start();
  return { port: net.port, stop: () => net.stop() };
}

if (process.env.SYNC_BENCH_SERVER && process.send) {
  const s = await serve(Number(process.env.SYNC_BENCH_SERVER));
  process.send({ port: s.port });
  process.on('disconnect', () => void s.stop().then(() => process.exit(0)));
}

async function startServer(n: number): Promise<{ port: number; stop: () => Promise<void>; where: string }> {
  const file = fileURLToPath(import.meta.url);
  if (file.endsWith('.ts')) return { ...(await serve(n)), where: 'in-process' };
  const child: ChildProcess = fork(file, [], { env: { ...process.env, SYNC_BENCH_SERVER: String(n) }, stdio: 'inherit' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    port,
    where: 'child process',
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export default async function syncBench(ctx: BenchCtx): Promise<object[]> {
  const n = ctx.quick ? 20_000 : 100_000;
  const core = await loadCore();
  const server = await startServer(n);
  const dir = mkdtempSync(join(tmpdir(), 'bloom-bench-sync-'));
  const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core });
  const net = new PeerManager({ listenHost: '127.0.0.1', listenPort: null, profile: DEVNET, outboundTarget: 0 });
  // blocks are never served here: long block timeouts keep the scheduler quiet while headers flow
  const sync = new SyncManager({ net, chain, core: chain.core, clock: systemClock, options: { blockTimeoutMs: 600_000, requestTimeoutMs: 600_000 } });
  try {
    await net.start();
    sync.start();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    let heapPeak = 0;
    const t0 = performance.now();
    await net.connect('127.0.0.1', server.port);
    const deadline = Date.now() + 300_000;
    for (let i = 0; chain.headerTip().height < n; i++) {
      if (Date.now() > deadline) throw new Error(`header sync stuck at ${chain.headerTip().height}`);
      // RSS every ~100 ms (reading it is not free), the end within ~5 ms
      if (i % 20 === 0) {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.rss);
        heapPeak = Math.max(heapPeak, m.heapUsed);
        if (process.env.SYNC_BENCH_TRACE) console.log(chain.headerTip().height, Math.round(m.rss / 2 ** 20), Math.round(m.heapUsed / 2 ** 20), Math.round(m.external / 2 ** 20));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const secs = (performance.now() - t0) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    const st = sync.stats();
    return [
      {
        kernel: 'header sync over loopback (validate + store)',
        size: n,
        impl: `${core.backend} + classic-level, server in ${server.where}, pipeline ${sync.opts.headerPipeline}`,
        opsPerSec: Math.round(n / secs),
        ratio: 1,
        seconds: Math.round(secs * 100) / 100,
        headerRequests: st.headerRequests,
        rssStartMB: Math.round(rss0 / 2 ** 20),
        rssPeakMB: Math.round(peak / 2 ** 20),
        heapPeakMB: Math.round(heapPeak / 2 ** 20),
      },
    ];
  } finally {
    await sync.stop();
    await net.stop();
    await chain.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
