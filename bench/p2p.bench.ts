// Peer-layer benchmarks: streaming frame decode throughput, the address book under an ADDR flood, and PING
// round trip over loopback TCP.
import { Bench } from 'tinybench';
import { DEVNET, HEADER_SIZE } from '../src/constants.js';
import { AddrBook } from '../src/p2p/addrbook.js';
import { PeerManager } from '../src/p2p/manager.js';
import { decodeMessage, encodeMessageFrame } from '../src/wire/codec.js';
import { FrameDecoder } from '../src/wire/frame.js';
import { MsgType, type Message } from '../src/wire/types.js';
import { budget, measure, type BenchCtx } from './lib.js';

/** A realistic mix: pings, 64-phase PHASE states, txs, and a 50-header BLOCKS reply every 10 rounds. */
function sampleStream(): { bytes: Uint8Array; frames: number } {
  const phase = new Uint8Array(12 + 4 * 64);
  new DataView(phase.buffer).setUint32(8, 64, true);
  const msgs: Message[] = [];
  for (let i = 0; i < 100; i++) {
    msgs.push({ type: MsgType.PING, nonce: BigInt(i) });
    msgs.push({ type: MsgType.PHASE, state: phase });
    msgs.push({ type: MsgType.TX, tx: new Uint8Array(140) });
    if (i % 10 === 0) msgs.push({ type: MsgType.BLOCKS, headers: Array.from({ length: 50 }, () => new Uint8Array(HEADER_SIZE)) });
  }
  const b = Buffer.concat(msgs.map(encodeMessageFrame));
  return { bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength), frames: msgs.length };
}

export default async function p2pBench(ctx: BenchCtx): Promise<object[]> {
  const { bytes, frames } = sampleStream();
  const mss = Array.from({ length: Math.ceil(bytes.length / 1460) }, (_, i) => bytes.subarray(i * 1460, (i + 1) * 1460));
  const check = (n: number): void => {
    if (n !== frames) throw new Error(`decoded ${n} of ${frames} frames`);
  };
  const rows: object[] = await measure(
    'frames decoded',
    `${frames} frames / ${bytes.length} B`,
    'frames, MSS reads',
    [
      { impl: 'frames, one read', items: frames, fn: () => check(new FrameDecoder().push(bytes).length) },
      {
        impl: 'frames, MSS reads',
        items: frames,
        fn: () => {
          const d = new FrameDecoder();
          let n = 0;
          for (const c of mss) n += d.push(c).length;
          check(n);
        },
      },
      {
        impl: 'frames+messages, MSS reads',
        items: frames,
        fn: () => {
          const d = new FrameDecoder();
          let n = 0;
          for (const c of mss) for (const f of d.push(c)) n += decodeMessage(f.type, f.payload) ? 1 : 0;
          check(n);
        },
      },
    ],
    ctx,
  );

  // 2500 flood addresses from one source into a book (the issue-19 flood) against a bare Map of the same keys:
  // the price of bucketing by source group (hashing, bucket eviction) per address taken.
  const flood = Array.from({ length: 2500 }, (_, n) => `11.${(n >> 8) & 255}.${n & 255}.${n % 251}`);
  const bookKey = new Uint8Array(32);
  rows.push(
    ...(await measure(
      'address book, one-source flood',
      `${flood.length} addrs`,
      'Map baseline',
      [
        {
          impl: 'Map baseline',
          items: flood.length,
          fn: () => {
            const m = new Map<string, number>();
            for (const h of flood) m.set(`${h}:7618`, 0);
          },
        },
        {
          impl: 'AddrBook (new/tried buckets)',
          items: flood.length,
          fn: () => {
            const b = new AddrBook({ key: bookKey });
            for (const h of flood) b.add(h, 7618, 0, { source: '127.66.0.1' });
          },
        },
      ],
      ctx,
    )),
  );

  // PING → PONG between two real PeerManagers over 127.0.0.1.
  const opts = { listenHost: '127.0.0.1', listenPort: 0, profile: DEVNET, outboundTarget: 0 } as const;
  const a = new PeerManager(opts);
  const z = new PeerManager(opts);
  await a.start();
  await z.start();
  try {
    const peer = await a.connect('127.0.0.1', z.port);
    let waiting: { nonce: bigint; resolve: () => void } | null = null;
    a.on(MsgType.PONG, (_p, m) => {
      if (waiting && m.nonce === waiting.nonce) waiting.resolve();
    });
    let nonce = 1n;
    const bench = new Bench({ name: 'ping', ...budget(ctx) });
    bench.add('PING round trip', async () => {
      const n = nonce++;
      await new Promise<void>((resolve) => {
        waiting = { nonce: n, resolve };
        a.send(peer, { type: MsgType.PING, nonce: n });
      });
    });
    await bench.run();
    const r = bench.tasks[0]!.result as { state: string; latency?: { mean: number; p50: number; p99: number }; error?: unknown };
    if (r.state !== 'completed' || !r.latency) throw new Error(`PING round trip: ${r.state} ${String(r.error ?? '')}`);
    rows.push({
      kernel: 'PING round trip',
      size: 'loopback TCP',
      impl: 'PeerManager',
      meanUs: r.latency.mean * 1000,
      p50Us: r.latency.p50 * 1000,
      p99Us: r.latency.p99 * 1000,
    });
  } finally {
    await a.stop();
    await z.stop();
  }
  return rows;
}
