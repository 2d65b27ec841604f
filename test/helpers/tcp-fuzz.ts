// The TCP fuzzer: many short-lived hostile connections throwing fuzzed frames at a running node, while
// an honest client stays connected and is served. Shared by test/fuzz-tcp.test.ts and the torture run.
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import type { BloomNode } from '../../src/node.js';
import { MsgType } from '../../src/wire/types.js';
import { arbHostilePiece, type HostilePiece } from './fuzz-targets.js';
import { HostileClient, sleep, versionMsg, waitFor } from './hostile-client.js';
import { encodeMessageFrame } from '../../src/wire/codec.js';

v8.setFlagsFromString('--expose-gc');
/** A real global gc() even when node was started without --expose-gc. */
export const gc = vm.runInNewContext('gc') as () => void;

export function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

export interface TcpFuzzOptions {
  /** Hostile frames to send in all. */
  frames: number;
  /** Frames per connection at most. */
  perConnection: number;
  /** Connections at once. */
  concurrency: number;
  seed: number;
  /** Called between batches (memory samples, honest checks). */
  onBatch?: (sent: number) => Promise<void> | void;
}

export interface TcpFuzzResult {
  frames: number;
  connections: number;
  byKind: Record<string, number>;
}

/** Source addresses 127.0.{1..200}.{2..250}: a banned host never blocks the next connection (or the honest 127.0.0.1). */
function source(i: number): string {
  return `127.0.${1 + (Math.floor(i / 249) % 200)}.${2 + (i % 249)}`;
}

export async function runTcpFuzz(node: BloomNode, o: TcpFuzzOptions): Promise<TcpFuzzResult> {
  let seed = o.seed;
  let sent = 0;
  let conns = 0;
  const byKind: Record<string, number> = {};
  while (sent < o.frames) {
    const batch: Promise<void>[] = [];
    for (let k = 0; k < o.concurrency && sent < o.frames; k++) {
      const [handshake, abrupt, n] = fc.sample(fc.tuple(fc.nat({ max: 2 }), fc.boolean(), fc.integer({ min: 1, max: o.perConnection })), { numRuns: 1, seed: seed++ })[0]!;
      const count = Math.min(n, o.frames - sent);
      const pieces: HostilePiece[] = fc.sample(arbHostilePiece, { numRuns: count, seed: seed++ });
      sent += count;
      for (const p of pieces) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
      batch.push(session(node.net.port, source(conns++), handshake, abrupt, pieces));
    }
    await Promise.all(batch);
    await o.onBatch?.(sent);
  }
  return { frames: sent, connections: conns, byKind };
}

/** One hostile connection: maybe a handshake (0 none, 1 full, 2 VERSION only), the pieces, then a close. */
async function session(port: number, from: string, handshake: number, abrupt: boolean, pieces: HostilePiece[]): Promise<void> {
  let c: HostileClient;
  try {
    c = await HostileClient.connect(port, from);
  } catch {
    return; // refused at accept (max peers): that is a defence working, not an error
  }
  if (handshake > 0) c.send(versionMsg());
  if (handshake === 1) c.send({ type: MsgType.VERACK });
  if (handshake === 1) await waitFor(() => c.closed || c.count(MsgType.VERACK) > 0, 2000, 'VERACK').catch(() => undefined);
  for (const p of pieces) {
    if (!c.write(p.bytes)) break;
  }
  if (abrupt) c.destroy();
  else {
    await sleep(5);
    c.socket.end();
    await c.waitClosed(3000).catch(() => c.destroy());
  }
}

/** The honest peer asks for headers and expects an answer with at least `minHeaders` each time. */
export async function honestServed(c: HostileClient, minHeaders: number): Promise<void> {
  const before = c.count(MsgType.BLOCKS);
  c.write(encodeMessageFrame({ type: MsgType.GETBLOCKS, start: 0, count: 500 }));
  await waitFor(() => c.closed || c.count(MsgType.BLOCKS) > before, 5000, 'honest GETBLOCKS answered');
  if (c.closed) throw new Error('the honest peer was disconnected');
  const got = c.last(MsgType.BLOCKS)!.headers.length;
  if (got < minHeaders) throw new Error(`honest peer got ${got} headers, want at least ${minHeaders}`);
}
