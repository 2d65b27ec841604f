import { type NetworkProfile } from '../constants.js';
import { type Logger } from '../log.js';
import { type Message, type MsgTypeCode, type NetAddr } from '../wire/types.js';
import { AddrBook, type AddrBookOptions } from './addrbook.js';
import { BanList, type BanEntry } from './bans.js';
import { type Clock } from './clock.js';
import { type Transport } from './transport.js';
import type { BroadcastOptions, Handler, LocalInfo, Peer, PeerNetwork } from './types.js';
/** Misbehaviour points per offence (docs/protocol.md has the table). */
export declare const SCORES: Readonly<{
    frameTooLarge: 100;
    malformed: 20;
    malformedPhase: 10;
    beforeHandshake: 10;
    handshakeOrder: 10;
    wrongMagic: 10;
    handlerProtocolError: 10;
    unknownType: 0;
}>;
export interface PersistStore<T> {
    load(): T[] | Promise<T[]>;
    save(items: T[]): void | Promise<void>;
}
export interface PeerManagerOptions {
    transport?: Transport;
    clock?: Clock;
    profile?: NetworkProfile;
    /** Bind address; default 0.0.0.0. */
    listenHost?: string;
    /** Listening port (0 = ephemeral, see `port`); default the profile's; null = do not listen. */
    listenPort?: number | null;
    maxPeers?: number;
    /** Slots only outbound connections may use (eclipse defence); default max(2, maxPeers/4). */
    outboundSlots?: number;
    /** Outbound connections kept up automatically from seeds and the address book; default outboundSlots; 0 = none. */
    outboundTarget?: number;
    /** "host:port" (IPv6 as "[::1]:port") dialled at start and redialled with backoff. */
    seeds?: string[];
    localInfo?: () => LocalInfo;
    logger?: Logger;
    banMs?: number;
    userAgent?: string;
    /** Our VERSION nonce (random by default). */
    nonce?: bigint;
    handshakeTimeoutMs?: number;
    /** Silence after which a peer is pinged. */
    pingAfterMs?: number;
    /** Further silence after which it is dropped. */
    pingTimeoutMs?: number;
    /** Round-trip probe interval for pingMs. */
    pingIntervalMs?: number;
    connectTimeoutMs?: number;
    /** Liveness / dial loop period. */
    tickMs?: number;
    sendQueueCap?: number;
    seenCap?: number;
    addrBook?: AddrBookOptions;
    addrStore?: PersistStore<NetAddr>;
    banStore?: PersistStore<BanEntry>;
    /** How often the address book and bans are saved (also at stop). */
    saveIntervalMs?: number;
}
export interface PeerManagerStats {
    inbound: number;
    outbound: number;
    /** Connections still in the handshake. */
    handshaking: number;
    dialling: number;
    bytesIn: number;
    bytesOut: number;
    /** By message type name ("PING", "0x7f"): frames and frame bytes. */
    msgsInByType: Record<string, number>;
    msgsOutByType: Record<string, number>;
    bytesInByType: Record<string, number>;
    bytesOutByType: Record<string, number>;
    /** Misbehaviour and invalid-message counts by reason. */
    invalid: Record<string, number>;
    /** Connections closed at accept or refused at handshake, by reason. */
    refused: Record<string, number>;
    /** Disconnections by reason. */
    disconnects: Record<string, number>;
    handlerErrors: number;
    bansActive: number;
    bansTotal: number;
    addrBook: number;
}
/** Parses "host:port" or "[v6]:port". */
export declare function parseHostPort(s: string): {
    host: string;
    port: number;
};
export declare class PeerManager implements PeerNetwork {
    readonly clock: Clock;
    readonly log: Logger;
    readonly profile: NetworkProfile;
    readonly nonce: bigint;
    readonly maxPeers: number;
    readonly outboundSlots: number;
    readonly book: AddrBook;
    readonly bans: BanList;
    private readonly transport;
    private readonly opts;
    private readonly conns;
    private readonly dialling;
    /** Addresses that turned out to be ourselves or another network: never dialled again. */
    private readonly noDial;
    private readonly handlers;
    private readonly readyCbs;
    private readonly closedCbs;
    private readonly waiters;
    private server;
    private tickTimer;
    private nextId;
    private started;
    private stopped;
    private lastSave;
    private readonly counters;
    private readonly host;
    constructor(opts?: PeerManagerOptions);
    /** The bound listening port (after start), 0 when not listening. */
    get port(): number;
    start(): Promise<void>;
    /** Closes every peer cleanly, stops listening and saves the address book and bans. */
    stop(): Promise<void>;
    /** Dials host:port; resolves with the peer once handshaken, rejects if it fails or closes first. */
    connect(host: string, port: number): Promise<Peer>;
    peers(): Peer[];
    on<T extends MsgTypeCode>(type: T, handler: Handler<T>): void;
    onPeerReady(cb: (peer: Peer) => void): void;
    onPeerClosed(cb: (peer: Peer, reason: string) => void): void;
    send(peer: Peer, msg: Message): boolean;
    broadcast(msg: Message, opts?: BroadcastOptions): number;
    markSeen(peer: Peer, key: string): void;
    misbehave(peer: Peer, points: number, reason: string): void;
    disconnect(peer: Peer, reason: string): void;
    /** Bans a host for banMs and drops every connection from it. */
    ban(host: string, reason: string, ms?: number): void;
    unban(host: string): boolean;
    listBans(): BanEntry[];
    /** Every connection, handshaken or not (for the API's peer list). */
    connections(): Peer[];
    stats(): PeerManagerStats;
    private makeHost;
    private peerConfig;
    private versionMessage;
    private onInbound;
    private checkVersion;
    private onReady;
    private onClosed;
    private dispatch;
    private handlerError;
    private tick;
    /** Keeps `outboundTarget` outbound connections, seeds and known-good addresses first. */
    private dialMore;
    private isConnectedTo;
    private isOwnAddress;
    private own;
    private save;
    private safe;
    private withTimeout;
}
