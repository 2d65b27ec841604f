import type { Connection, Server, Transport } from '../p2p/transport.js';
import type { VirtualClock } from './clock.js';
import { Rng, type LatencySpec } from './rng.js';
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
/** Called for every chunk delivered: sending host, receiving host, the bytes. */
export type ChunkObserver = (from: string, to: string, chunk: Uint8Array) => void;
type CutRule = (a: string, b: string) => boolean;
/** One direction of a connection: serialisation on the wire and in-order arrival. */
interface Direction {
    busyUntil: number;
    lastArrive: number;
    /** [transmit end time, size] of chunks not yet fully on the wire. */
    inflight: number[];
    inflightHead: number;
    buffered: number;
    drainArmed: boolean;
}
declare class MemConnection implements Connection {
    private readonly net;
    readonly localHost: string;
    readonly remoteAddress: string;
    readonly remotePort: number;
    readonly latency: number;
    other: MemConnection;
    readonly out: Direction;
    closed: boolean;
    /** No data moves either way any more (reset, or closed). */
    dead: boolean;
    /** close() called: no more writes; the FIN follows the queued data. */
    ending: boolean;
    private dataCb;
    private closeCb;
    private drainCb;
    private pending;
    private flushing;
    private closeErr;
    constructor(net: MemoryNetwork, localHost: string, remoteAddress: string, remotePort: number, latency: number);
    get bufferedBytes(): number;
    write(data: Uint8Array): boolean;
    onData(cb: (chunk: Uint8Array) => void): void;
    onClose(cb: (err?: Error) => void): void;
    onDrain(cb: () => void): void;
    close(): void;
    destroy(): void;
    /** Delivery from the other end. */
    receive(chunk: Uint8Array): void;
    drained(): void;
    /** Ends this side once; the close callback runs in this same virtual instant. */
    finish(err?: Error): void;
}
/** The simulated internet: hosts, listeners, links; every event goes through the virtual clock. */
export declare class MemoryNetwork {
    private readonly clock;
    private readonly rng;
    readonly params: LinkParams;
    readonly counters: NetCounters;
    readonly highWater: number;
    observer: ChunkObserver | null;
    private readonly rtoMin;
    private readonly connectTimeout;
    private readonly resolution;
    private readonly listeners;
    private readonly conns;
    /** host → its listener keys. */
    private readonly ports;
    private readonly down;
    private readonly latencies;
    private readonly nextPort;
    private readonly lossRng;
    private cut;
    constructor(clock: VirtualClock, rng: Rng, params: LinkParams);
    /** The Transport a node on `host` uses. */
    transport(host: string): Transport;
    /** Base one-way latency of a host pair, ms: drawn once from the pair's own stream (order of use does not matter). */
    latency(a: string, b: string): number;
    /** Takes a host off the network: its listeners go, its connections are reset. */
    hostDown(host: string): void;
    isDown(host: string): boolean;
    /** Cuts every link for which rule(a, b) holds (null heals): live connections across it are reset. */
    setCut(rule: CutRule | null): void;
    isCut(a: string, b: string): boolean;
    /** Live connections (both ends counted). */
    get connectionCount(): number;
    /** Live connections as (local host, remote host), one per end. */
    links(): [string, string][];
    listen(host: string, port: number, onConnection: (conn: Connection) => void): Promise<Server>;
    connect(from: string, host: string, port: number): Promise<Connection>;
    send(c: MemConnection, data: Uint8Array): void;
    /** Graceful close: the FIN follows the data already queued; both ends close when it lands. */
    fin(c: MemConnection): void;
    /** Abort: this end closes now, queued data is dropped, the other end sees a reset one latency later. */
    reset(c: MemConnection, why: string): void;
    /** Moves chunks whose transmission has ended out of the buffered count. */
    retire(d: Direction): void;
    armDrain(c: MemConnection): void;
    forget(c: MemConnection): void;
    private track;
    private ephemeral;
    private quantize;
}
export {};
