// Sync benchmark: headers validated and stored per second while syncing over loopback TCP, and RSS.
// The serving node runs in a child process (this same file, SYNC_BENCH_SERVER=1) so the syncing
// process's RSS is its own; under a TS loader (no compiled file to fork) it runs in-process.
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleBlock, merkleRoot } from '../src/chain/block.js';
import { certHash, encodeCert, makeCertificate } from '../src/chain/cert.js';
import { Chain } from '../src/chain/chain.js';
import { genesisBlock } from '../src/chain/genesis.js';
import { bitsToTarget, encodeHeader, targetBytes } from '../src/chain/header.js';
import { CERT_PHASES, DEVNET, HEADER_SIZE, MAX_HEADERS_PER_MSG, NONCE_OFFSET } from '../src/constants.js';
import type { Core } from '../src/core/types.js';
import { loadCore } from '../src/core/index.js';
import { systemClock } from '../src/clock.js';
import { PeerManager } from '../src/p2p/manager.js';
import { SyncManager } from '../src/sync/manager.js';
import { Mempool } from '../src/mempool/mempool.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import { silentLogger } from '../src/log.js';
import { TxRelay } from '../src/mempool/relay.js';
import type { Handler, Peer, PeerNetwork } from '../src/p2p/types.js';
import { decodeMessage, encodeMessageFrame, isKnownType } from '../src/wire/codec.js';
import { encodeFrame, FrameDecoder } from '../src/wire/frame.js';
import { MsgType, type MsgTypeCode } from '../src/wire/types.js';
import { makeHeaders, PROFILE } from './headers.js';
import { measure, type BenchCtx } from './lib.js';


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

/** A full node (chain on classic-level, peer layer, sync) serving the blocks in `dir`. */
async function serveBlocks(dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const core = await loadCore();
  const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core });
  const net = new PeerManager({
    listenHost: '127.0.0.1',
    listenPort: 0,
    profile: DEVNET,
    outboundTarget: 0,
    localInfo: () => ({ height: chain.tip().height, chainWork: chain.tip().chainWork }),
  });
  const sync = new SyncManager({ net, chain, core, clock: systemClock });
  await net.start();
  sync.start();
  return {
    port: net.port,
    stop: async () => {
      await sync.stop();
      await net.stop();
      await chain.close();
    },
  };
}

/** `n` valid devnet blocks (no transactions) stored in a fresh data dir, closed again so it can be copied. */
async function blockChainDir(core: Core, n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bloom-bench-blocks-'));
  const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core });
  const g = genesisBlock(core, PROFILE);
  const miner = new Uint8Array(20).fill(7);
  const cert = encodeCert(makeCertificate(core, new Float64Array(CERT_PHASES).fill(1), 7));
  const ch = certHash(core, cert, miner);
  const root = merkleRoot(core, []);
  const target = targetBytes(bitsToTarget(PROFILE.startBits)!);
  let prev = g.hash;
  for (let i = 1; i <= n; i++) {
    const h = encodeHeader({ version: 1, height: i, prevHash: prev, merkleRoot: root, certHash: ch, timestamp: PROFILE.genesisTime + i * PROFILE.blockTimeSec * 1000, bits: PROFILE.startBits, nonce: 0 });
    new DataView(h.buffer).setUint32(NONCE_OFFSET, core.grindNonces(h, target, 0, 1 << 20), true);
    const r = await chain.addBlock(assembleBlock(h, miner, cert, []));
    if (r.status !== 'connected') throw new Error(`bench block ${i}: ${r.status} ${r.code ?? ''}`);
    prev = core.sha256d(h.subarray(0, HEADER_SIZE));
  }
  await chain.close();
  return dir;
}

if (process.env.SYNC_BENCH_SERVER && process.send) {
  const arg = process.env.SYNC_BENCH_SERVER;
  const s = arg.startsWith('/') ? await serveBlocks(arg) : await serve(Number(arg));
  process.send({ port: s.port });
  process.on('disconnect', () => void s.stop().then(() => process.exit(0)));
}

/** A serving node in a child process: `what` is a header count, or a data dir of blocks to serve. */
async function startServer(what: number | string): Promise<{ port: number; stop: () => Promise<void>; where: string }> {
  const file = fileURLToPath(import.meta.url);
  if (file.endsWith('.ts')) return { ...(await (typeof what === 'string' ? serveBlocks(what) : serve(what))), where: 'in-process' };
  const child: ChildProcess = fork(file, [], { env: { ...process.env, SYNC_BENCH_SERVER: String(what) }, stdio: 'inherit' });
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

/** A fresh node syncs `dir`'s chain (n blocks) from `sources` serving processes over 127.0.0.1. */
async function blockSync(core: Core, src: string, n: number, sources: number): Promise<object> {
  const dirs = Array.from({ length: sources }, () => {
    const d = mkdtempSync(join(tmpdir(), 'bloom-bench-src-'));
    cpSync(src, d, { recursive: true });
    return d;
  });
  const servers = await Promise.all(dirs.map((d) => startServer(d)));
  const dir = mkdtempSync(join(tmpdir(), 'bloom-bench-sync-'));
  const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core });
  const net = new PeerManager({ listenHost: '127.0.0.1', listenPort: null, profile: DEVNET, outboundTarget: 0 });
  const sync = new SyncManager({ net, chain, core, clock: systemClock });
  try {
    await net.start();
    sync.start();
    const t0 = performance.now();
    let tHeaders = 0;
    await Promise.all(servers.map((s) => net.connect('127.0.0.1', s.port)));
    const deadline = Date.now() + 600_000;
    while (chain.tip().height < n) {
      if (Date.now() > deadline) throw new Error(`block sync stuck at ${chain.tip().height}`);
      if (!tHeaders && chain.headerTip().height >= n) tHeaders = performance.now();
      await new Promise((r) => setTimeout(r, 5));
    }
    const secs = (performance.now() - t0) / 1000;
    const st = sync.stats();
    const bytesIn = net.peers().reduce((a, p) => a + p.bytesIn, 0);
    return {
      kernel: 'block sync over loopback (real processes)',
      size: n,
      impl: `${sources} source${sources > 1 ? 's' : ''}`,
      opsPerSec: Math.round(n / secs),
      headersPerSec: Math.round(n / (((tHeaders || performance.now()) - t0) / 1000)),
      seconds: Math.round(secs * 100) / 100,
      blockMsgsPerBlock: Math.round((st.blocksReceived / n) * 1000) / 1000,
      getDataPerBlock: Math.round((st.getDataSent / n) * 1000) / 1000,
      duplicates: st.blocksDuplicate,
      headerRequests: st.headerRequests,
      mbIn: Math.round(bytesIn / 2 ** 20),
    };
  } finally {
    await sync.stop();
    await net.stop();
    await chain.close();
    await Promise.all(servers.map((s) => s.stop()));
    for (const d of [dir, ...dirs]) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * Issue 19.5: a replayed transaction against an ignored frame (unknown type: framed, looked at, dropped).
 * Both go through the frame decoder; the TX then through decode and the relay's reject cache. "first
 * check" forgets the cache each time, so it pays the mempool's signature check like every copy did before.
 */
async function txReplay(ctx: BenchCtx): Promise<object[]> {
  const core = await loadCore();
  const dir = mkdtempSync(join(tmpdir(), 'bloom-bench-tx-'));
  const chain = await Chain.open({ dataDir: dir, profile: PROFILE, core });
  try {
    const mempool = new Mempool(chain);
    const handlers = new Map<number, Handler<MsgTypeCode>>();
    const net = {
      on: (t: number, h: Handler<MsgTypeCode>) => void handlers.set(t, h),
      markSeen: () => undefined,
      misbehave: () => undefined,
      broadcast: () => 0,
    } as unknown as PeerNetwork;
    const relay = new TxRelay({ net, core, mempool, log: silentLogger, penalize: () => undefined });
    relay.register();
    relay.start();
    const peer = { id: 1 } as Peer;
    const tx = signTx(keyPairFromSeed(new Uint8Array(32).fill(3)), { to: new Uint8Array(20), amount: 5n, fee: 1n, nonce: 0n }, PROFILE.magic);
    const txFrame = encodeMessageFrame({ type: MsgType.TX, tx });
    const junk = encodeFrame(0x7e, tx);
    const dec = new FrameDecoder();
    const onTx = handlers.get(MsgType.TX)!;
    const take = (frame: Uint8Array): void => {
      for (const f of dec.push(frame)) if (isKnownType(f.type)) void onTx(peer, decodeMessage(f.type, f.payload) as never);
    };
    take(txFrame); // the first copy: rejected (unfunded) and remembered
    await new Promise((r) => setTimeout(r, 10));
    return await measure('one TX frame from a peer', 'unfunded, validly signed', 'ignored frame', [
      { impl: 'ignored frame', fn: () => take(junk) },
      { impl: 'replayed tx (reject cache)', fn: () => take(txFrame) },
      {
        impl: 'tx checked (signature)',
        // async: the check's bookkeeping ends after a microtask, and the next copy must find it finished
        fn: async () => {
          relay.onTip();
          take(txFrame);
          await Promise.resolve();
          await Promise.resolve();
        },
      },
    ], ctx);
  } finally {
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function syncBench(ctx: BenchCtx): Promise<object[]> {
  const rows = [...(await txReplay(ctx)), ...(await headerSync(ctx))];
  const core = await loadCore();
  const n = Number(process.env.SYNC_BENCH_BLOCKS ?? (ctx.quick ? 3_000 : 20_000));
  const src = await blockChainDir(core, n);
  try {
    const one = (await blockSync(core, src, n, 1)) as { opsPerSec: number };
    const three = (await blockSync(core, src, n, 3)) as { opsPerSec: number };
    rows.push({ ...one, ratio: 1 }, { ...three, ratio: Math.round((three.opsPerSec / one.opsPerSec) * 100) / 100 });
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  return rows;
}

async function headerSync(ctx: BenchCtx): Promise<object[]> {
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
