// The only way the peer layer reaches the network: TCP here, an in-memory network in the simulator.
import net from 'node:net';
import { normalizeHost } from '../wire/ip.js';

/**
 * One byte stream to a remote node. Each `on*` registers the single callback for that event
 * (a later call replaces it). Data arriving before `onData` is registered is held, not lost.
 */
export interface Connection {
  /** Remote host, normalized (IPv4 without the ::ffff: prefix). */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Bytes accepted by write() but not yet handed to the network. */
  readonly bufferedBytes: number;
  /** Queues bytes (never blocks); false means "over the transport's high-water mark, wait for drain". */
  write(data: Uint8Array): boolean;
  onData(cb: (chunk: Uint8Array) => void): void;
  /** Called exactly once, after close(), destroy() or the remote end going away. */
  onClose(cb: (err?: Error) => void): void;
  onDrain(cb: () => void): void;
  /** Flushes what is queued, then closes. */
  close(): void;
  /** Closes at once, dropping what is queued. */
  destroy(): void;
}

/**
 * The close and drain half of a Connection, one definition for every transport (TCP, the simulator's):
 * a close callback registered after the close still runs once, in a microtask.
 */
export abstract class ConnectionEvents {
  /** The connection has closed (its close callback ran or runs on registration). */
  closed = false;
  protected closeErr: Error | undefined;
  protected closeCb: ((err?: Error) => void) | null = null;
  protected drainCb: (() => void) | null = null;

  onClose(cb: (err?: Error) => void): void {
    this.closeCb = cb;
    if (this.closed) queueMicrotask(() => cb(this.closeErr));
  }

  onDrain(cb: () => void): void {
    this.drainCb = cb;
  }
}

export interface Server {
  /** The bound port (useful after listening on port 0). */
  readonly port: number;
  /** Stops accepting; existing connections are left to their owner. */
  close(): Promise<void>;
}

export interface Transport {
  listen(host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server>;
  /** Resolves once connected; rejects if the connection cannot be made. */
  connect(host: string, port: number): Promise<Connection>;
}

/** Wraps a connected node:net socket. */
class TcpConnection extends ConnectionEvents implements Connection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  private dataCb: ((chunk: Uint8Array) => void) | null = null;
  private pendingData: Uint8Array[] = [];
  /** Writes of this tick are corked: they leave in one writev when the tick ends (a GETDATA's 16 BLOCKs: one syscall). */
  private corked = false;
  private readonly uncork = (): void => {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  };

  constructor(private readonly socket: net.Socket) {
    super();
    this.remoteAddress = normalizeHost(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    socket.on('data', (buf: Buffer) => {
      // A plain Uint8Array view: no copy, and no Buffer semantics leaking upward.
      const chunk = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      if (this.dataCb) this.dataCb(chunk);
      else this.pendingData.push(chunk);
    });
    socket.on('drain', () => this.drainCb?.());
    socket.on('error', (err) => {
      this.closeErr ??= err;
    });
    socket.on('close', () => {
      this.closed = true;
      this.closeCb?.(this.closeErr);
    });
    // Half-close from the remote: finish our side too (no half-open peers).
    socket.on('end', () => socket.end());
  }

  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  write(data: Uint8Array): boolean {
    if (this.closed || this.socket.destroyed) return false;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    return this.socket.write(data);
  }

  onData(cb: (chunk: Uint8Array) => void): void {
    this.dataCb = cb;
    const held = this.pendingData;
    this.pendingData = [];
    for (const c of held) cb(c);
  }

  close(): void {
    if (this.socket.destroyed) return;
    this.uncork();
    this.socket.end();
    // A peer that never reads would keep a half-closed socket forever: bound the flush.
    const t = setTimeout(() => this.socket.destroy(), 5_000);
    t.unref();
    this.socket.once('close', () => clearTimeout(t));
  }

  destroy(): void {
    // what this tick wrote is handed to the kernel first, as an uncorked write would have been
    this.uncork();
    this.socket.destroy();
  }
}

/** Real TCP via node:net, Nagle off. */
export class TcpTransport implements Transport {
  listen(host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => {
        if (!socket.remoteAddress) {
          socket.destroy(); // already gone
          return;
        }
        onConnection(new TcpConnection(socket));
      });
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined); // accept errors (EMFILE…) must not crash the node
        const addr = server.address() as net.AddressInfo;
        resolve({
          port: addr.port,
          close: () => new Promise<void>((res) => server.close(() => res())),
        });
      });
    });
  }

  connect(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const onError = (err: Error) => {
        socket.destroy();
        reject(err);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new TcpConnection(socket));
      });
    });
  }
}
