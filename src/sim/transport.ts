// In-memory network for the simulator: the peer layer's Transport over virtual time, with per-link
// latency (drawn once per host pair), bandwidth, and loss modelled as TCP retransmission delay.
import { ConnectionEvents, type Connection, type Server, type Transport } from '../p2p/transport.js';
import type { VirtualClock } from './clock.js';
import { drawLatency, Rng, type LatencySpec } from './rng.js';

export interface LinkParams {
  latency: LatencySpec;
  /** Bytes per second each direction of a connection can carry; 0 = unlimited. */
  bandwidth: number;
  /** Probability a chunk is lost in flight; TCP resends it after an RTO, delaying it and all after it. */
  loss: number;
  /** Minimum retransmission timeout, ms (Linux: 200). */
  rtoMinMs?: number;
  /** A connect to an unreachable (cut or down) host fails after this, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Bytes buffered in a direction above which write() returns false. Default 64 KiB. */
  highWater?: number;
  /** Delivery times are rounded up to this many ms so simultaneous events batch. Default 1. */
  resolutionMs?: number;
}

export interface NetCounters {
  bytes: number;
  chunks: number;
  /** Chunks that needed at least one retransmission. */
  retransmits: number;
  connects: number;
  refused: number;
  timeouts: number;
  resets: number;
}

/** Called for every chunk delivered: sending and receiving node index (from the network's hostIndex), the bytes. */
export type ChunkObserver = (from: number, to: number, chunk: Uint8Array) => void;

/** Charges the receiving node for a chunk; returns the virtual ms at which it has processed it (src/sim/cpu.ts). */
export interface ChunkProcessor {
  admit(to: number, chunk: Uint8Array, now: number): number;
}

type CutRule = (a: string, b: string) => boolean;

/** One direction of a connection: serialisation on the wire and in-order arrival. */
interface Direction {
  busyUntil: number;
  lastArrive: number;
  /** [transmit end time, size] of chunks not yet fully on the wire (bandwidth-limited links only). */
  inflight: number[];
  inflightHead: number;
  buffered: number;
  drainArmed: boolean;
  /** Chunks in flight and their arrival times (non-decreasing: one heap entry per direction suffices). */
  queue: Uint8Array[];
  arrivals: number[];
  head: number;
  scheduled: boolean;
}

const newDirection = (): Direction => ({
  busyUntil: 0,
  lastArrive: 0,
  inflight: [],
  inflightHead: 0,
  buffered: 0,
  drainArmed: false,
  queue: [],
  arrivals: [],
  head: 0,
  scheduled: false,
});

/** Socket-like error with a code; no stack (thousands of failed dials would pay for stack capture). */
const EMPTY = new Uint8Array(0);

function netError(code: string, message: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const e = Object.assign(new Error(message), { code });
  Error.stackTraceLimit = limit;
  return e;
}

class MemConnection extends ConnectionEvents implements Connection {
  other!: MemConnection;
  readonly out = newDirection();
  /** No data moves either way any more (reset, or closed). */
  dead = false;
  /** close() called: no more writes; the FIN follows the queued data. */
  ending = false;
  private dataCb: ((chunk: Uint8Array) => void) | null = null;
  private pending: Uint8Array[] = [];
  private flushing = false;
  /** Chunks of this end waiting for the node's CPU: later ones queue behind them (a stream stays in order). */
  cpuQueued = 0;
  /** Those chunks, oldest first (their done times do not decrease: the node's CPU is a FIFO). */
  private cpuWaiting: Uint8Array[] = [];
  private cpuHead = 0;
  /** Hands the oldest waiting chunk over; one clock entry per chunk as before, but no closure each. */
  readonly cpuDone = (): void => {
    const data = this.cpuWaiting[this.cpuHead]!;
    this.cpuWaiting[this.cpuHead++] = EMPTY;
    if (this.cpuHead === this.cpuWaiting.length) {
      this.cpuWaiting.length = 0;
      this.cpuHead = 0;
    }
    this.cpuQueued--;
    this.receive(data);
  };

  /** Queues a chunk until the node's CPU is done with it (the caller schedules cpuDone then). */
  waitCpu(data: Uint8Array): void {
    this.cpuQueued++;
    this.cpuWaiting.push(data);
  }

  /** Node indexes of this end and the other (for the observer). */
  readonly localIndex: number;
  readonly remoteIndex: number;
  /** Delivers what is due on this end's outgoing direction (one bound callback per direction). */
  readonly fire: () => void;

  constructor(
    private readonly net: MemoryNetwork,
    readonly localHost: string,
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly latency: number,
  ) {
    super();
    this.localIndex = net.hostIndex(localHost);
    this.remoteIndex = net.hostIndex(remoteAddress);
    this.fire = () => net.deliverDue(this);
  }

  get bufferedBytes(): number {
    this.net.retire(this.out);
    return this.out.buffered;
  }

  write(data: Uint8Array): boolean {
    if (this.dead || this.ending) return false;
    this.net.send(this, data);
    const ok = this.bufferedBytes <= this.net.highWater;
    if (!ok) this.net.armDrain(this);
    return ok;
  }

  onData(cb: (chunk: Uint8Array) => void): void {
    this.dataCb = cb;
    // Held data is handed over asynchronously, as a socket's 'data' events are: the owner finishes
    // its own setup (e.g. sending VERSION) first.
    if (this.pending.length > 0 && !this.flushing) {
      this.flushing = true;
      queueMicrotask(() => {
        this.flushing = false;
        const held = this.pending;
        this.pending = [];
        if (!this.dead) for (const c of held) this.dataCb?.(c);
      });
    }
  }

  close(): void {
    if (this.dead || this.ending) return;
    this.ending = true;
    this.net.fin(this);
  }

  destroy(): void {
    if (this.dead) return;
    this.net.reset(this, 'destroyed');
  }

  /** Delivery from the other end. */
  receive(chunk: Uint8Array): void {
    if (this.dead) return;
    if (this.dataCb && !this.flushing) this.dataCb(chunk);
    else this.pending.push(chunk);
  }

  drained(): void {
    if (!this.closed) this.drainCb?.();
  }

  /** Ends this side once; the close callback runs in this same virtual instant. */
  finish(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.dead = true;
    this.closeErr = err;
    this.pending = [];
    this.net.forget(this);
    this.closeCb?.(err);
  }
}

class MemTransport implements Transport {
  constructor(
    private readonly net: MemoryNetwork,
    readonly host: string,
  ) {}

  listen(_host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server> {
    return this.net.listen(this.host, port, onConnection);
  }

  connect(host: string, port: number): Promise<Connection> {
    return this.net.connect(this.host, host, port);
  }
}

/** The simulated internet: hosts, listeners, links; every event goes through the virtual clock. */
export class MemoryNetwork {
  readonly counters: NetCounters = { bytes: 0, chunks: 0, retransmits: 0, connects: 0, refused: 0, timeouts: 0, resets: 0 };
  readonly highWater: number;
  observer: ChunkObserver | null = null;
  /** CPU time per received chunk; null = processing is free. */
  cpu: ChunkProcessor | null = null;
  private readonly rtoMin: number;
  private readonly connectTimeout: number;
  private readonly resolution: number;
  private readonly listeners = new Map<string, (conn: Connection) => void>();
  private readonly conns = new Map<string, Set<MemConnection>>();
  /** host → its listener keys. */
  private readonly ports = new Map<string, Set<string>>();
  private readonly down = new Set<string>();
  private readonly latencies = new Map<string, number>();
  private readonly nextPort = new Map<string, number>();
  private readonly lossRng: Rng;
  private cut: CutRule | null = null;

  /** Maps a host to a node index for the observer (−1 when unknown). */
  readonly hostIndex: (host: string) => number;

  constructor(
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    readonly params: LinkParams,
    hostIndex: (host: string) => number = () => -1,
  ) {
    this.hostIndex = hostIndex;
    this.rtoMin = params.rtoMinMs ?? 200;
    this.connectTimeout = params.connectTimeoutMs ?? 3000;
    this.highWater = params.highWater ?? 64 * 1024;
    this.resolution = params.resolutionMs ?? 1;
    this.lossRng = rng.fork('loss');
  }

  /** The Transport a node on `host` uses. */
  transport(host: string): Transport {
    this.down.delete(host);
    return new MemTransport(this, host);
  }

  /** Base one-way latency of a host pair, ms: drawn once from the pair's own stream (order of use does not matter). */
  latency(a: string, b: string): number {
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let ms = this.latencies.get(key);
    if (ms === undefined) {
      ms = Math.max(0, drawLatency(this.rng.fork(key), this.params.latency));
      this.latencies.set(key, ms);
    }
    return ms;
  }

  /** Takes a host off the network: its listeners go, its connections are reset. */
  hostDown(host: string): void {
    this.down.add(host);
    for (const key of this.ports.get(host) ?? []) this.listeners.delete(key);
    this.ports.delete(host);
    for (const c of [...(this.conns.get(host) ?? [])]) this.reset(c, 'host down');
    this.conns.delete(host);
  }

  isDown(host: string): boolean {
    return this.down.has(host);
  }

  /** Cuts every link for which rule(a, b) holds (null heals): live connections across it are reset. */
  setCut(rule: CutRule | null): void {
    this.cut = rule;
    if (!rule) return;
    for (const set of this.conns.values()) {
      for (const c of [...set]) if (!c.dead && rule(c.localHost, c.remoteAddress)) this.reset(c, 'link cut');
    }
  }

  isCut(a: string, b: string): boolean {
    return this.cut !== null && this.cut(a, b);
  }

  /** Live connections (both ends counted). */
  get connectionCount(): number {
    let n = 0;
    for (const s of this.conns.values()) n += s.size;
    return n;
  }

  /** Live connections as (local host, remote host), one per end. */
  links(): [string, string][] {
    const out: [string, string][] = [];
    for (const set of this.conns.values()) for (const c of set) if (!c.dead) out.push([c.localHost, c.remoteAddress]);
    return out;
  }

  // ---- used by MemTransport / MemConnection ----

  listen(host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server> {
    if (this.down.has(host)) return Promise.reject(netError('EADDRNOTAVAIL', `host ${host} is down`));
    const p = port === 0 ? this.ephemeral(host) : port;
    const key = `${host}:${p}`;
    if (this.listeners.has(key)) return Promise.reject(netError('EADDRINUSE', `${key} in use`));
    this.listeners.set(key, onConnection);
    let mine = this.ports.get(host);
    if (!mine) this.ports.set(host, (mine = new Set()));
    mine.add(key);
    return Promise.resolve({
      port: p,
      close: () => {
        if (this.listeners.get(key) === onConnection) {
          this.listeners.delete(key);
          this.ports.get(host)?.delete(key);
        }
        return Promise.resolve();
      },
    });
  }

  connect(from: string, host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const now = this.clock.elapsed();
      if (this.down.has(from)) return reject(netError('ENETDOWN', `host ${from} is down`));
      const lat = this.latency(from, host);
      if (this.down.has(host) || this.isCut(from, host)) {
        this.counters.timeouts++;
        this.clock.at(now + this.connectTimeout, () => reject(netError('ETIMEDOUT', `connect ${host}:${port} timed out`)));
        return;
      }
      // SYN reaches the server after one latency; the client learns the outcome one latency later.
      this.clock.at(this.quantize(now + lat), () => {
        const accept = this.listeners.get(`${host}:${port}`);
        if (!accept || this.down.has(from) || this.isCut(from, host)) {
          this.counters.refused++;
          this.clock.at(this.quantize(this.clock.elapsed() + lat), () =>
            reject(netError('ECONNREFUSED', `connect ${host}:${port} refused`)),
          );
          return;
        }
        const clientPort = this.ephemeral(from);
        const client = new MemConnection(this, from, host, port, lat);
        const server = new MemConnection(this, host, from, clientPort, lat);
        client.other = server;
        server.other = client;
        this.track(client);
        this.track(server);
        this.counters.connects++;
        accept(server);
        this.clock.at(this.quantize(this.clock.elapsed() + lat), () => {
          if (client.dead) reject(netError('ECONNRESET', `connect ${host}:${port} reset`));
          else resolve(client);
        });
      });
    });
  }

  send(c: MemConnection, data: Uint8Array): void {
    const now = this.clock.elapsed();
    const d = c.out;
    const size = data.length;
    const txStart = Math.max(now, d.busyUntil);
    const txEnd = this.params.bandwidth > 0 ? txStart + (size * 1000) / this.params.bandwidth : txStart;
    d.busyUntil = txEnd;
    if (txEnd > now) {
      d.inflight.push(txEnd, size);
      d.buffered += size;
    }
    let arrive = txEnd + c.latency;
    if (this.params.loss > 0 && this.lossRng.chance(this.params.loss)) {
      this.counters.retransmits++;
      const rto = Math.max(this.rtoMin, 2 * c.latency);
      arrive += rto;
      // Repeated loss backs off; bounded so a chunk always arrives.
      for (let k = 1; k < 6 && this.lossRng.chance(this.params.loss); k++) arrive += rto * 2 ** k;
    }
    // A stream delivers in order: nothing overtakes a delayed chunk.
    arrive = Math.max(this.quantize(arrive), d.lastArrive);
    d.lastArrive = arrive;
    d.queue.push(data);
    d.arrivals.push(arrive);
    if (!d.scheduled) {
      d.scheduled = true;
      this.clock.post(arrive, c.fire);
    }
  }

  /** Hands the other end every chunk of c's outgoing direction that is due, then re-arms for the next. */
  deliverDue(c: MemConnection): void {
    const d = c.out;
    const to = c.other;
    const now = this.clock.elapsed();
    while (d.head < d.queue.length && d.arrivals[d.head]! <= now) {
      const data = d.queue[d.head]!;
      d.queue[d.head] = EMPTY;
      d.head++;
      if (to.dead || c.dead) continue;
      this.counters.bytes += data.length;
      this.counters.chunks++;
      this.observer?.(c.localIndex, to.localIndex, data);
      if (this.cpu) {
        const done = this.cpu.admit(to.localIndex, data, now);
        // Handled at arrival when it is done within half the time resolution (a PHASE costs ~1 µs): rounded to
        // the nearest step as arrivals are rounded to a step, and one clock entry fewer per frame. Busy time still adds up.
        if (done - now >= this.resolution / 2 || to.cpuQueued > 0) {
          to.waitCpu(data);
          this.clock.post(done, to.cpuDone);
          continue;
        }
      }
      to.receive(data);
    }
    if (d.head === d.queue.length) {
      d.queue.length = 0;
      d.arrivals.length = 0;
      d.head = 0;
      d.scheduled = false;
    } else {
      if (d.head > 256) {
        d.queue = d.queue.slice(d.head);
        d.arrivals = d.arrivals.slice(d.head);
        d.head = 0;
      }
      this.clock.post(d.arrivals[d.head]!, c.fire);
    }
  }

  /** Graceful close: the FIN follows the data already queued; both ends close when it lands. */
  fin(c: MemConnection): void {
    const at = Math.max(this.quantize(this.clock.elapsed() + c.latency), c.out.lastArrive);
    this.clock.at(at, () => {
      c.other.finish();
      c.finish();
    });
  }

  /** Abort: this end closes now, queued data is dropped, the other end sees a reset one latency later. */
  reset(c: MemConnection, why: string): void {
    if (c.dead) return;
    this.counters.resets++;
    const other = c.other;
    const err = netError('ECONNRESET', why);
    c.dead = true; // drop anything in flight both ways from this instant
    this.clock.at(this.clock.elapsed(), () => c.finish());
    this.clock.at(this.quantize(this.clock.elapsed() + c.latency), () => other.finish(err));
  }

  /** Moves chunks whose transmission has ended out of the buffered count. */
  retire(d: Direction): void {
    const now = this.clock.elapsed();
    while (d.inflightHead < d.inflight.length && d.inflight[d.inflightHead]! <= now) {
      d.buffered -= d.inflight[d.inflightHead + 1]!;
      d.inflightHead += 2;
    }
    if (d.inflightHead > 64 && d.inflightHead * 2 > d.inflight.length) {
      d.inflight = d.inflight.slice(d.inflightHead);
      d.inflightHead = 0;
    }
  }

  armDrain(c: MemConnection): void {
    if (c.out.drainArmed) return;
    c.out.drainArmed = true;
    this.clock.at(c.out.busyUntil, () => {
      c.out.drainArmed = false;
      c.drained();
    });
  }

  forget(c: MemConnection): void {
    this.conns.get(c.localHost)?.delete(c);
  }

  private track(c: MemConnection): void {
    let set = this.conns.get(c.localHost);
    if (!set) this.conns.set(c.localHost, (set = new Set()));
    set.add(c);
  }

  private ephemeral(host: string): number {
    const p = this.nextPort.get(host) ?? 40000;
    this.nextPort.set(host, p >= 65000 ? 40000 : p + 1);
    return p;
  }

  private quantize(t: number): number {
    return Math.ceil(t / this.resolution) * this.resolution;
  }
}
