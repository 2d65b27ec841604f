// Initial block download between real processes, as a user would see it: a generated devnet chain held by
// one source node (then three), a fresh `--no-mine` node syncing it over TCP on 127.0.0.1.
// Reports headers/s, blocks/s, bytes on the wire, duplicate BLOCKs per block (from the syncing node's
// /metrics), store write amplification (bytes the process wrote to disk, /proc/<pid>/io write_bytes, over
// the live size of its data dir) and peak RSS (VmHWM). `npm run bench -- --only ibd [--quick]`.
// Chains are generated once per size into <tmpdir>/bloomcoin-ibd-cache and reused. Quick runs (5 k blocks)
// prove the bench works and are not written to results.json (run.ts honours `writesQuick = false`).
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateChain } from '../src/chain/generate.js';
import { STORE_FORMAT } from '../src/chain/store.js';
import type { BenchCtx } from './lib.js';
import { metricSum } from '../test/helpers/prometheus.js';

/** Quick rows prove the bench runs; only full runs are results. */
export const writesQuick = false;

const root = fileURLToPath(new URL(import.meta.url.includes('/dist-bench/') ? '../../' : '../', import.meta.url));
// IBD_BENCH_CLI: another build's cli.js (e.g. a frozen copy of the previous code path) for before/after rows;
// several, comma-separated, run interleaved (each size and source count once per build, back to back: paired rows)
const CLIS = (process.env.IBD_BENCH_CLI ?? join(root, 'dist', 'cli.js')).split(',').filter((c) => c !== '');
// IBD_BENCH_SOURCES=1 or 1,3 (default): how many source nodes per row
const SOURCES = (process.env.IBD_BENCH_SOURCES ?? '1,3').split(',').map(Number);
const CACHE = join(tmpdir(), 'bloomcoin-ibd-cache');
const SYNC_TIMEOUT_MS = 30 * 60_000;

interface Proc {
  child: ChildProcess;
  api: string;
  p2p: string;
  stop(): Promise<void>;
}

// IBD_BENCH_SINK_NODE_ARGS: node flags for the syncing node only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p" (NODE_OPTIONS refuses --cpu-prof)
// IBD_BENCH_HEADERS_ONLY=1: stop once the sink has every header (a --cpu-prof profile then covers the header phase only)
const HEADERS_ONLY = process.env.IBD_BENCH_HEADERS_ONLY === '1';
const SINK_NODE_ARGS = (process.env.IBD_BENCH_SINK_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
// IBD_BENCH_SOURCE_NODE_ARGS: the same for the source nodes
const SOURCE_NODE_ARGS = (process.env.IBD_BENCH_SOURCE_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

function startNode(cli: string, dataDir: string, seeds: string[], nodeArgs: string[] = []): Promise<Proc> {
  const args = [...nodeArgs, cli, 'node', '--network', 'devnet', '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--data-dir', dataDir];
  args.push('--no-mine', '--oscillators', '256', '--log-level', 'info');
  for (const s of seeds) args.push('--seed', s);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 32_000) err += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Proc = {
    child,
    api: '',
    p2p: '',
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node not ready in 60 s: ${err.slice(-1500)}`));
    }, 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let rec: { msg?: string; api?: string; port?: number };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        return;
      }
      if (rec.msg === 'p2p listening' && typeof rec.port === 'number') proc.p2p = `127.0.0.1:${rec.port}`;
      else if (rec.msg === 'node ready' && rec.api) {
        proc.api = rec.api;
        clearTimeout(timer);
        resolve(proc);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`node exited before ready: ${err.slice(-1500)}`));
    });
  });
}

async function status(api: string): Promise<{ height: number; headers: number }> {
  const s = (await (await fetch(`${api}/status`)).json()) as { height: number; sync?: { headers?: number }; headerHeight?: number };
  return { height: s.height, headers: s.sync?.headers ?? s.headerHeight ?? s.height };
}

async function procField(pid: number, file: 'io' | 'status', field: string): Promise<number> {
  const text = await readFile(`/proc/${pid}/${file}`, 'utf8');
  const m = new RegExp(`^${field}:\\s*(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) * (file === 'status' ? 1024 : 1) : NaN; // VmHWM is in kB
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
async function cpuSec(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function du(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? await du(p) : (await stat(p)).size;
  }
  return n;
}

/**
 * A cached data dir holding a generated chain of `blocks` blocks, in this build's store format. It is
 * generated into a private directory and renamed into place: benches running at once (several agents
 * share <tmpdir>) never open or delete each other's half-written chain.
 */
async function cachedChain(blocks: number, txsPerBlock: number): Promise<{ dir: string; genMs: number | null }> {
  const dir = join(CACHE, `devnet-${blocks}-k${txsPerBlock}-f${STORE_FORMAT}`);
  if (existsSync(join(dir, 'generated.json'))) return { dir, genMs: null };
  await mkdir(CACHE, { recursive: true });
  const tmp = await mkdtemp(join(CACHE, 'gen-'));
  try {
    const r = await generateChain({ dataDir: tmp, blocks, txsPerBlock });
    await writeFile(join(tmp, 'generated.json'), JSON.stringify(r));
    try {
      await rename(tmp, dir);
    } catch (e) {
      // another bench renamed its copy first: use that one
      if (!existsSync(join(dir, 'generated.json'))) throw e;
      return { dir, genMs: null };
    }
    return { dir, genMs: r.ms };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function syncOnce(cli: string, chainDir: string, blocks: number, sources: number): Promise<Record<string, number | string>> {
  const work = await mkdtemp(join(tmpdir(), 'bloomcoin-ibd-'));
  const procs: Proc[] = [];
  try {
    for (let i = 0; i < sources; i++) {
      const d = join(work, `source${i}`);
      await cp(chainDir, d, { recursive: true });
      const p = await startNode(cli, d, [], SOURCE_NODE_ARGS);
      procs.push(p);
      const s = await status(p.api);
      if (s.height !== blocks) throw new Error(`source ${i} opened at height ${s.height}, expected ${blocks}`);
    }
    const sinkDir = join(work, 'sink');
    // timed from "node ready" (WASM loaded, store open, seeds dialled), so process start-up is not counted
    const sink = await startNode(
      cli,
      sinkDir,
      procs.map((p) => p.p2p),
      SINK_NODE_ARGS,
    );
    procs.push(sink);
    const t0 = performance.now();
    const cpu0 = await Promise.all(procs.map((p) => cpuSec(p.child.pid!)));
    let headersMs = NaN;
    let headersCpu = NaN;
    const end = Date.now() + SYNC_TIMEOUT_MS;
    for (;;) {
      const s = await status(sink.api);
      if (Number.isNaN(headersMs) && s.headers >= blocks) {
        headersMs = performance.now() - t0;
        // the sink's CPU for the header phase (blocks are held while headers flow: it is nearly all header work)
        headersCpu = (await cpuSec(sink.child.pid!)) - cpu0[cpu0.length - 1]!;
      }
      if (s.height >= blocks || (HEADERS_ONLY && !Number.isNaN(headersMs))) break;
      if (Date.now() > end) throw new Error(`sync stalled at ${s.height}/${blocks}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const blocksMs = performance.now() - t0;
    const metrics = await (await fetch(`${sink.api}/metrics`)).text();
    const pid = sink.child.pid!;
    const written = await procField(pid, 'io', 'write_bytes');
    const peakRss = await procField(pid, 'status', 'VmHWM');
    // CPU per block: the figure a loaded shared machine distorts least (wall-clock rates scale with the share it gets)
    const cpu1 = await Promise.all(procs.map((p) => cpuSec(p.child.pid!)));
    const sinkCpu = cpu1[cpu1.length - 1]! - cpu0[cpu0.length - 1]!;
    const sourcesCpu = cpu1.slice(0, -1).reduce((a, c, i) => a + c - cpu0[i]!, 0);
    await sink.stop();
    const live = await du(sinkDir);
    return {
      build: CLIS.length > 1 ? CLIS.indexOf(cli) : 0,
      blocks,
      sources,
      'headers/s': Math.round((blocks * 1000) / headersMs),
      'blocks/s': Math.round((blocks * 1000) / blocksMs),
      syncSec: Number((blocksMs / 1000).toFixed(2)),
      // CPU ticks are 10 ms: at 20 k headers one tick is 0.5 µs/header
      sinkCpuUsPerHeader: Number(((headersCpu * 1e6) / blocks).toFixed(1)),
      sinkCpuUsPerBlock: Math.round((sinkCpu * 1e6) / blocks),
      sourcesCpuUsPerBlock: Math.round((sourcesCpu * 1e6) / blocks),
      loadAvg: Number(loadavg()[0]!.toFixed(1)),
      wireInMB: Number((metricSum(metrics, 'bloomcoin_bytes_total', { direction: 'in' }) / 1e6).toFixed(2)),
      wireOutMB: Number((metricSum(metrics, 'bloomcoin_bytes_total', { direction: 'out' }) / 1e6).toFixed(2)),
      blockMsgsPerBlock: Number((metricSum(metrics, 'bloomcoin_messages_total', { direction: 'in', type: 'BLOCK' }) / blocks).toFixed(3)),
      getdataPerBlock: Number((metricSum(metrics, 'bloomcoin_messages_total', { direction: 'out', type: 'GETDATA' }) / blocks).toFixed(3)),
      liveMB: Number((live / 1e6).toFixed(2)),
      writtenMB: Number((written / 1e6).toFixed(2)),
      writeAmp: Number((written / live).toFixed(2)),
      peakRssMB: Math.round(peakRss / 1e6),
      // where the RSS is at the end of sync (prom-client's process metrics): V8 heap, and memory outside it (buffers, LevelDB, WASM)
      rssEndMB: Math.round(metricSum(metrics, 'process_resident_memory_bytes', {}) / 1e6),
      heapTotalMB: Math.round(metricSum(metrics, 'nodejs_heap_size_total_bytes', {}) / 1e6),
      heapUsedMB: Math.round(metricSum(metrics, 'nodejs_heap_size_used_bytes', {}) / 1e6),
      externalMB: Math.round(metricSum(metrics, 'nodejs_external_memory_bytes', {}) / 1e6),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await rm(work, { recursive: true, force: true });
  }
}

export default async function ibd(ctx: BenchCtx): Promise<object[]> {
  for (const cli of CLIS) if (!existsSync(cli)) throw new Error(`${cli} missing: run npm run build first`);
  // IBD_BENCH_BLOCKS=20000,100000 overrides the chain lengths
  const sizes = process.env.IBD_BENCH_BLOCKS ? process.env.IBD_BENCH_BLOCKS.split(',').map(Number) : ctx.quick ? [5_000] : [20_000, 100_000];
  const rows: object[] = [];
  for (const n of sizes) {
    const { dir, genMs } = await cachedChain(n, 0);
    if (genMs !== null) console.log(`ibd: generated ${n} blocks in ${(genMs / 1000).toFixed(1)} s (${dir})`);
    for (const sources of SOURCES) for (const cli of CLIS) rows.push(await syncOnce(cli, dir, n, sources));
  }
  return rows;
}
