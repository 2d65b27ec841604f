import type { Logger } from '../log.js';
import type { PhaseState } from '../core/types.js';
import { ProtocolError } from '../errors.js';
import { type Message, type VersionMsg } from '../wire/types.js';
import type { Clock } from './clock.js';
import type { Connection } from './transport.js';
import type { Peer } from './types.js';
/** What a peer needs from its manager. */
export interface PeerHost {
    readonly clock: Clock;
    readonly log: Logger;
    versionMessage(): VersionMsg;
    /** A received VERSION: null to accept, else the reason to refuse (the peer is then dropped). */
    checkVersion(peer: PeerConn, msg: VersionMsg): string | null;
    handshakeDone(peer: PeerConn): void;
    /** A decoded message after the handshake (VERSION, VERACK, PING, PONG are handled here). */
    message(peer: PeerConn, msg: Message): void;
    /** A frame whose payload did not decode (code 'unknown-type' included). */
    badMessage(peer: PeerConn, type: number, err: ProtocolError): void;
    misbehave(peer: PeerConn, points: number, reason: string): void;
    closed(peer: PeerConn, reason: string): void;
    countIn(type: number, bytes: number): void;
    countOut(type: number, bytes: number): void;
}
export interface PeerConfig {
    handshakeTimeoutMs: number;
    /** Bytes queued in the transport above which the peer is dropped (it does not read). */
    sendQueueCap: number;
    /** Dedup keys remembered per peer (oldest forgotten first). */
    seenCap: number;
}
export declare class PeerConn implements Peer {
    readonly id: number;
    private readonly conn;
    readonly inbound: boolean;
    private readonly hostApi;
    private readonly cfg;
    readonly address: string;
    readonly host: string;
    version: number;
    height: number;
    chainWork: bigint;
    userAgent: string;
    listenPort: number;
    lastSeen: number;
    readonly connectedAt: number;
    phaseState: PhaseState | null;
    coherence: number;
    bytesIn: number;
    bytesOut: number;
    msgsIn: number;
    msgsOut: number;
    score: number;
    pingMs: number | null;
    /** The remote's VERSION nonce, when it sent the extension. */
    remoteNonce: bigint | null;
    gotVersion: boolean;
    gotVerack: boolean;
    closed: boolean;
    closeReason: string;
    /** Set by the manager when it sent GETADDR and awaits the ADDR answer. */
    getaddrPending: boolean;
    getaddrAnswered: boolean;
    pingNonce: bigint | null;
    pingSentAt: number;
    /** For outbound peers: the "host:port" we dialled. */
    readonly dialKey: string | null;
    private _handshaken;
    private readonly decoder;
    private readonly seen;
    private handshakeTimer;
    constructor(id: number, conn: Connection, inbound: boolean, hostApi: PeerHost, cfg: PeerConfig, dialKey?: string | null);
    get handshaken(): boolean;
    /** Bytes written but not yet flushed to the network. */
    get queuedBytes(): number;
    /** Wires the connection, sends our VERSION and arms the handshake timeout. */
    start(): void;
    send(msg: Message): boolean;
    /** Queues an encoded frame; over the cap the peer is dropped instead of buffered without bound. */
    sendFrame(type: number, frame: Uint8Array): boolean;
    hasSeen(key: string): boolean;
    markSeen(key: string): void;
    /** Sends a PING with a fresh nonce; the PONG sets pingMs. */
    ping(now: number): void;
    /** Idempotent; `graceful` flushes queued bytes first (used at shutdown). */
    close(reason: string, graceful?: boolean): void;
    private onData;
    private onFrame;
    private onVersion;
    private maybeReady;
}
