// A scripted raw TCP client speaking the wire protocol: the hostile (or honest) peer of the security tests.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { DEVNET, PROTOCOL_VERSION, type NetworkProfile } from '../../src/constants.js';
import { TcpTransport, type Transport } from '../../src/p2p/transport.js';
import { normalizeHost } from '../../src/wire/ip.js';
import { decodeMessage, encodeMessageFrame } from '../../src/wire/codec.js';
import { encodeFrame, FrameDecoder } from '../../src/wire/frame.js';
import { MsgType, type Message, type MessageOf, type MsgTypeCode } from '../../src/wire/types.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface HandshakeOptions {
  profile?: NetworkProfile;
  height?: number;
  chainWork?: bigint;
  /** Listening port announced in VERSION (0 = none). */
  port?: number;
  userAgent?: string;
}

/** Every client made here, so a test's afterEach can destroy them all. */
const live = new Set<HostileClient>();

export class HostileClient {
  /** Decoded messages received, in order (frames that do not decode are kept in `rawTypes` only). */
  readonly received: Message[] = [];
  readonly rawTypes: number[] = [];
  closed = false;
  bytesIn = 0;
  private readonly decoder = new FrameDecoder();
  private handlers = new Map<number, ((m: Message) => void)[]>();

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b: Buffer) => {
      this.bytesIn += b.length;
      let frames;
      try {
        frames = this.decoder.push(b);
      } catch {
        return; // the node never sends oversized frames; tests assert on what did arrive
      }
      for (const f of frames) {
        this.rawTypes.push(f.type);
        let m: Message;
        try {
          m = decodeMessage(f.type, f.payload);
        } catch {
          continue;
        }
        this.received.push(m);
        for (const h of this.handlers.get(m.type) ?? []) h(m);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      live.delete(this);
    });
    live.add(this);
  }

  /**
   * `from` picks the loopback source address (127.0.0.2, …): bans are per host, so a hostile peer
   * from its own address can be banned without taking the honest 127.0.0.1 clients with it.
   */
  static connect(port: number, from?: string): Promise<HostileClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port, localAddress: from });
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new HostileClient(s));
      });
    });
  }

  /** Connects and completes the handshake with a full (extended) VERSION. */
  static async handshaken(port: number, opts: HandshakeOptions = {}, from?: string): Promise<HostileClient> {
    const c = await HostileClient.connect(port, from);
    await c.handshake(opts);
    return c;
  }

  /** Sends VERSION (with the extension) and VERACK; resolves once the node's VERACK arrived. */
  async handshake(opts: HandshakeOptions = {}, ms = 5000): Promise<void> {
    this.send(versionMsg(opts));
    this.send({ type: MsgType.VERACK });
    await waitFor(() => this.count(MsgType.VERACK) > 0 || this.closed, ms, 'VERACK');
    if (this.closed) throw new Error('closed during the handshake');
  }

  /** Runs `fn` for every later message of `type` (a scripted answer). */
  on<T extends MsgTypeCode>(type: T, fn: (m: MessageOf<T>) => void): void {
    const list = this.handlers.get(type) ?? [];
    list.push(fn as (m: Message) => void);
    this.handlers.set(type, list);
  }

  /** False once the socket is gone (writes after that are dropped). */
  write(b: Uint8Array): boolean {
    if (this.socket.destroyed || this.closed) return false;
    this.socket.write(b);
    return true;
  }

  send(m: Message): boolean {
    return this.write(encodeMessageFrame(m));
  }

  /** A frame with any type byte and payload (no codec checks). */
  sendRaw(type: number, payload: Uint8Array): boolean {
    return this.write(encodeFrame(type, payload));
  }

  /** A 5-byte header claiming `length` payload bytes, no payload. */
  sendHeaderOnly(type: number, length: number): boolean {
    const h = new Uint8Array(5);
    h[0] = type;
    new DataView(h.buffer).setUint32(1, length >>> 0, true);
    return this.write(h);
  }

  /** Stops reading: the node's bytes pile up in the kernel and then in its own send queue. */
  stopReading(): void {
    this.socket.pause();
  }

  count(type: number): number {
    let n = 0;
    for (const m of this.received) if (m.type === type) n++;
    return n;
  }

  last<T extends MsgTypeCode>(type: T): MessageOf<T> | undefined {
    for (let i = this.received.length - 1; i >= 0; i--) if (this.received[i]!.type === type) return this.received[i] as MessageOf<T>;
    return undefined;
  }

  /** Sends a PING and waits for its PONG: proof the node still serves this connection. */
  async roundTrip(ms = 5000): Promise<void> {
    const nonce = randomBytes(8).readBigUInt64LE(0);
    this.send({ type: MsgType.PING, nonce });
    await waitFor(() => this.closed || this.received.some((m) => m.type === MsgType.PONG && m.nonce === nonce), ms, 'PONG');
    if (this.closed) throw new Error('closed while waiting for PONG');
  }

  waitClosed(ms = 5000): Promise<void> {
    return waitFor(() => this.closed, ms, 'socket close');
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Destroys every client still open (call from afterEach). */
  static destroyAll(): void {
    for (const c of live) c.destroy();
    live.clear();
  }
}

/** VERSION with the extension for `profile` (devnet by default) and a random nonce. */
export function versionMsg(opts: HandshakeOptions = {}): Message {
  return {
    type: MsgType.VERSION,
    version: PROTOCOL_VERSION,
    height: opts.height ?? 0,
    timestamp: Math.floor(Date.now() / 1000),
    port: opts.port ?? 0,
    ext: {
      magic: (opts.profile ?? DEVNET).magic,
      nonce: randomBytes(8).readBigUInt64LE(0),
      chainWork: opts.chainWork ?? 0n,
      userAgent: opts.userAgent ?? 'hostile/0.0',
    },
  };
}

/**
 * Real TCP that refuses to dial anything but loopback: hostile ADDR messages fill a node's address
 * book with arbitrary public addresses, and a test node must never dial them.
 */
export function loopbackOnlyTransport(): Transport & { refused: string[] } {
  const tcp = new TcpTransport();
  const refused: string[] = [];
  return {
    refused,
    listen: (host, port, onConnection) => tcp.listen(host, port, onConnection),
    connect: (host, port) => {
      const h = normalizeHost(host);
      if (!/^127\./.test(h) && h !== '::1' && h !== 'localhost') {
        refused.push(`${h}:${port}`);
        return Promise.reject(new Error(`test transport: refusing to dial non-loopback ${h}`));
      }
      return tcp.connect(host, port);
    },
  };
}
