// What a hostile peer's frames cost a real node, as its user feels it: a `bloomcoin node` process (dist/cli.js,
// no mining) on loopback TCP, its CPU time (utime + stime from /proc) per frame received. Issue 19's target:
// a replayed transaction costs ≤ 2× an ignored frame. Rows interleave the cases round by round (the shared
// machine drifts) and take the median round. Cases:
//  - ignored frame: a 140-byte frame of an unknown type (0 points, dropped after the frame decoder);
//  - replayed tx (in the mempool): one valid funded tx sent again and again (dropped as recently seen);
//  - replayed tx (unfundable): the attack, one validly signed tx from an unfunded key. Each copy costs
//    its sender 1 point, so ~95 copies a connection from a new loopback host each; the same connections
//    carrying ignored frames instead are the baseline of that pair (handshakes cost both the same).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { DEVNET, PROTOCOL_VERSION } from '../src/constants.js';
import { generateChain, generatorKey } from '../src/chain/generate.js';
import { keyPairFromSeed, signTx } from '../src/chain/tx.js';
import { concatBytes } from '../src/bytes.js';
import { encodeMessageFrame } from '../src/wire/codec.js';
import { encodeFrame, FrameDecoder } from '../src/wire/frame.js';
import { MsgType, type Message } from '../src/wire/types.js';
import type { BenchCtx } from './lib.js';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist-bench/') ? '../../' : '../', import.meta.url));
const CLI = join(root, 'dist', 'cli.js');
const UNKNOWN_TYPE = 0x7f;
const PER_HOST = 95; // below the 100-point ban at 1 point a copy

/** The node's CPU seconds so far (all threads), from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (fields 14, 15) in USER_HZ ticks
}

/** A raw wire client: handshake, write frames, PING/PONG as the "all processed" mark. */
class Client {
  private readonly dec = new FrameDecoder();
  private waiters: { nonce: bigint; resolve: () => void; reject: (e: Error) => void }[] = [];
  private gotVerack: (() => void) | null = null;
  closed = false;
  private constructor(private readonly s: net.Socket) {
    s.setNoDelay(true);
    s.on('data', (b: Buffer) => {
      for (const f of this.dec.push(b)) {
        if (f.type === MsgType.VERACK) this.gotVerack?.();
        if (f.type === MsgType.PONG) {
          const nonce = Buffer.from(f.payload).readBigUInt64LE(0);
          this.waiters = this.waiters.filter((w) => (w.nonce === nonce ? (w.resolve(), false) : true));
        }
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('closed before PONG'));
    });
  }

  static async open(port: number, from: string): Promise<Client> {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: from });
    await new Promise<void>((res, rej) => s.once('connect', res).once('error', rej));
    const c = new Client(s);
    const ready = new Promise<void>((res, rej) => {
      c.gotVerack = res;
      s.once('close', () => rej(new Error(`closed during the handshake (${from})`)));
    });
    const version: Message = {
      type: MsgType.VERSION,
      version: PROTOCOL_VERSION,
      height: 0,
      timestamp: Math.floor(Date.now() / 1000),
      port: 0,
      ext: { magic: DEVNET.magic, nonce: randomBytes(8).readBigUInt64LE(0), chainWork: 0n, userAgent: 'bench/hostile' },
    };
    s.write(encodeMessageFrame(version));
    s.write(encodeMessageFrame({ type: MsgType.VERACK }));
    await ready;
    return c;
  }

  write(b: Uint8Array): void {
    this.s.write(b);
  }

  /** Resolves when the node answered a PING sent after everything written so far. */
  sync(): Promise<void> {
    const nonce = randomBytes(8).readBigUInt64LE(0);
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ nonce, resolve, reject }));
    this.s.write(encodeMessageFrame({ type: MsgType.PING, nonce }));
    return p;
  }

  close(): void {
    this.s.destroy();
  }
}

function startNode(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const args = [CLI, 'node', '--network', 'devnet', '--no-mine', '--host', '127.0.0.1', '--port', '0', '--api-port', '0', '--data-dir', dataDir, '--oscillators', '64', '--log-level', 'info'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('node not ready in 30 s')), 30_000);
    let port = 0;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const r = JSON.parse(line) as { msg?: string; port?: number };
        if (r.msg === 'p2p listening' && r.port) port = r.port;
        if (r.msg === 'node ready' && port) {
          clearTimeout(t);
          resolve({ child, port });
        }
      } catch {
        // not JSON
      }
    });
    child.once('exit', (code) => reject(new Error(`node exited ${code} before ready`)));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function hostile(ctx: BenchCtx): Promise<object[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'bloom-bench-hostile-'));
  await generateChain({ dataDir, blocks: 3, network: 'devnet' }); // funds generatorKey(1, 0)
  const { child, port } = await startNode(dataDir);
  try {
    const pid = child.pid!;
    const to = new Uint8Array(20).fill(1);
    const funded = signTx(generatorKey(1, 0), { to, amount: 1n, fee: 1n, nonce: 0n }, DEVNET.magic);
    const unfunded = signTx(keyPairFromSeed(new Uint8Array(32).fill(0x5a)), { to, amount: 1_000n, fee: 10n, nonce: 0n }, DEVNET.magic);
    const frames = {
      ignored: encodeFrame(UNKNOWN_TYPE, new Uint8Array(140).fill(7)),
      funded: encodeMessageFrame({ type: MsgType.TX, tx: funded }),
      unfunded: encodeMessageFrame({ type: MsgType.TX, tx: unfunded }),
    };
    // first copies: the funded tx into the mempool, the unfunded one into the reject cache (from a host of its own)
    const prime = await Client.open(port, '127.90.0.1');
    prime.write(frames.funded);
    prime.write(frames.unfunded);
    await prime.sync();
    await new Promise((r) => setTimeout(r, 200));
    prime.close();

    const n = ctx.quick ? 20_000 : 50_000; // CPU time comes in 10 ms ticks: windows of ≥ 0.2 s
    const rounds = ctx.quick ? 3 : 7;
    const hosts = ctx.quick ? 16 : 60;
    const one = await Client.open(port, '127.91.0.1');
    const batch = (f: Uint8Array, k: number): Uint8Array => concatBytes(Array.from({ length: k }, () => f));
    const bulk = { ignored: batch(frames.ignored, 1000), funded: batch(frames.funded, 1000) };
    const perFrame: Record<'ignored' | 'funded' | 'hostIgnored' | 'hostUnfunded', number[]> = { ignored: [], funded: [], hostIgnored: [], hostUnfunded: [] };
    const wall: Record<'ignored' | 'funded', number[]> = { ignored: [], funded: [] };
    let hostN = 0;
    for (let r = 0; r < rounds; r++) {
      for (const kind of ['ignored', 'funded'] as const) {
        const c0 = cpuSeconds(pid);
        const t0 = performance.now();
        for (let i = 0; i < n; i += 1000) one.write(bulk[kind]);
        await one.sync();
        perFrame[kind].push((cpuSeconds(pid) - c0) / n);
        wall[kind].push((performance.now() - t0) / 1000 / n);
      }
      // the penalised replay: fresh hosts, PER_HOST frames each; the same with ignored frames as its baseline
      for (const kind of ['hostIgnored', 'hostUnfunded'] as const) {
        const f = batch(kind === 'hostIgnored' ? frames.ignored : frames.unfunded, PER_HOST);
        const c0 = cpuSeconds(pid);
        for (let h = 0; h < hosts; h++, hostN++) {
          const c = await Client.open(port, `127.${100 + (hostN >> 8)}.${hostN & 255}.1`);
          c.write(f);
          await c.sync();
          c.close();
        }
        perFrame[kind].push((cpuSeconds(pid) - c0) / (hosts * PER_HOST));
      }
    }
    one.close();
    const base = median(perFrame.ignored);
    const hostBase = median(perFrame.hostIgnored);
    // per copy: an ignored frame plus the difference per frame on the same connections (handshakes cancel out)
    const unfundedPer = base + median(perFrame.hostUnfunded) - hostBase;
    if (!(unfundedPer > 0)) throw new Error(`unfundable replay measured at ${unfundedPer} s a frame: too noisy, run again`);
    const row = (impl: string, sec: number, extra: object = {}): object => ({
      kernel: 'frame cost to a node process over TCP',
      size: `${n} frames/round`,
      impl,
      opsPerSec: 1 / sec,
      ratio: base / sec,
      usPerFrame: +(sec * 1e6).toFixed(2),
      ...extra,
    });
    return [
      row('ignored frame (unknown type, 140 B)', base, { wallUsPerFrame: +(median(wall.ignored) * 1e6).toFixed(2) }),
      row('replayed tx (in the mempool)', median(perFrame.funded), { wallUsPerFrame: +(median(wall.funded) * 1e6).toFixed(2) }),
      row(`replayed tx (unfundable, 1 point a copy; ${PER_HOST} a host)`, unfundedPer, {
        connUsPerFrameIgnored: +(hostBase * 1e6).toFixed(2),
        connUsPerFrameReplayed: +(median(perFrame.hostUnfunded) * 1e6).toFixed(2),
      }),
    ];
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Run alone: npx vite-node bench/hostile.bench.ts [--quick]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.table(await hostile({ quick: process.argv.includes('--quick') }));
