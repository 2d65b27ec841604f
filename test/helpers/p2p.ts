// Shared helpers for the peer-layer tests: managers on 127.0.0.1:0, raw wire clients, a manual clock.
import net from 'node:net';
import { DEVNET, MAINNET } from '../../src/constants.js';
import { PeerManager, type PeerManagerOptions } from '../../src/p2p/manager.js';
import type { Clock, TimerHandle } from '../../src/clock.js';
import { decodeMessage, encodeMessage, encodeMessageFrame } from '../../src/wire/codec.js';
import { encodeFrame, FrameDecoder } from '../../src/wire/frame.js';
import { MsgType, type Message } from '../../src/wire/types.js';

export { DEVNET, MAINNET };

const cleanups: (() => Promise<void> | void)[] = [];

export async function cleanup(): Promise<void> {
  const list = cleanups.splice(0);
  await Promise.all(list.map(async (f) => f()));
}

export async function startManager(opts: PeerManagerOptions = {}): Promise<PeerManager> {
  const m = new PeerManager({ listenHost: '127.0.0.1', listenPort: 0, profile: DEVNET, outboundTarget: 0, ...opts });
  await m.start();
  cleanups.push(() => m.stop());
  return m;
}

export async function waitFor(pred: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bare 20-byte VERSION as a seed-only client sends it. */
export function bareVersion(height = 0, port = 0): Uint8Array {
  const b = new Uint8Array(20);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 1, true);
  dv.setUint32(4, height, true);
  dv.setBigUint64(8, BigInt(Math.floor(Date.now() / 1000)), true);
  dv.setUint32(16, port, true);
  return encodeFrame(MsgType.VERSION, b);
}

/** A client speaking raw bytes over a real socket, recording every frame it receives. */
export class RawClient {
  readonly received: Message[] = [];
  readonly rawTypes: number[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder();

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b) => {
      try {
        for (const f of this.decoder.push(b)) {
          this.rawTypes.push(f.type);
          this.received.push(decodeMessage(f.type, f.payload));
        }
      } catch {
        /* tests look at what was received */
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
    });
    cleanups.push(() => {
      socket.destroy();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RawClient(s));
      });
    });
  }

  write(b: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(b);
  }

  send(m: Message): void {
    this.write(encodeMessageFrame(m));
  }

  sendRaw(type: number, payload: Uint8Array): void {
    this.write(encodeFrame(type, payload));
  }

  count(type: number): number {
    return this.received.filter((m) => m.type === type).length;
  }

  /** Handshakes as a client that knows only the seed's 20-byte VERSION. */
  async handshakeBare(): Promise<void> {
    this.write(bareVersion());
    this.send({ type: MsgType.VERACK });
    await waitFor(() => this.count(MsgType.VERACK) > 0, 3000, 'VERACK');
  }

  waitClosed(ms = 3000): Promise<void> {
    return waitFor(() => this.closed, ms, 'socket close');
  }
}

export { encodeMessage };

/** Virtual time for liveness tests: timers fire only on advance(). */
export class ManualClock implements Clock {
  private t = 1_800_000_000_000;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void; every: number | null }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, every: null });
    return id;
  }
  clearTimeout(h: TimerHandle): void {
    this.timers.delete(h as number);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, every: Math.max(1, ms) });
    return id;
  }
  clearInterval(h: TimerHandle): void {
    this.timers.delete(h as number);
  }
  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      let next: [number, { at: number; fn: () => void; every: number | null }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      const [id, tm] = next;
      this.t = tm.at;
      if (tm.every === null) this.timers.delete(id);
      else tm.at += tm.every;
      tm.fn();
    }
    this.t = end;
  }
}
