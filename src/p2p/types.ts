// The peer layer's contract as seen by sync, gossip, miner, API and simulator.
import type { Message, MessageOf, MsgTypeCode } from '../wire/types.js';

/** What the rest of the node may read of a peer (the seed's Peer plus accounting). */
export interface Peer {
  readonly id: number;
  /** "host:port" of the remote end. */
  readonly address: string;
  readonly inbound: boolean;
  readonly handshaken: boolean;
  version: number;
  height: number;
  chainWork: bigint;
  userAgent: string;
  /** Port the peer listens on (from VERSION), 0 if none. */
  listenPort: number;
  /** Clock ms of the last message received. */
  lastSeen: number;
  connectedAt: number;
  /** r of the last valid PHASE / COHERENCE (set by gossip). */
  coherence: number;
  bytesIn: number;
  bytesOut: number;
  msgsIn: number;
  msgsOut: number;
  /** Misbehaviour score; BAN_THRESHOLD disconnects and bans. */
  score: number;
  /** Last PING round trip, ms. */
  pingMs: number | null;
}

export type Handler<T extends MsgTypeCode> = (peer: Peer, msg: MessageOf<T>) => void | Promise<void>;

export interface BroadcastOptions {
  /** Usually the peer we got it from: never echo back. */
  exclude?: Peer;
  /** Dedup key (e.g. a block hash in hex): a peer that has seen it is skipped. */
  key?: string;
}

/** Local chain facts sent in VERSION; asked for at every handshake. */
export interface LocalInfo {
  height: number;
  chainWork: bigint;
}

export interface PeerNetwork {
  /** Handshaken peers (a network may hand out one array until the set changes: read it, do not keep or edit it). */
  peers(): readonly Peer[];
  /** Register the handler for one message type (the seed's handler registry). */
  on<T extends MsgTypeCode>(type: T, handler: Handler<T>): void;
  onPeerReady(cb: (peer: Peer) => void): void;
  onPeerClosed(cb: (peer: Peer, reason: string) => void): void;
  /** Queue a message; false if the peer is gone or its send queue is over the cap (then it is dropped). */
  send(peer: Peer, msg: Message): boolean;
  /** Send to every handshaken peer but `exclude`, skipping those known to have `key`; returns the count sent. */
  broadcast(msg: Message, opts?: BroadcastOptions): number;
  /**
   * The same message to each of `peers`, encoded once (a PHASE aggregate goes to every mesh peer each
   * round); returns the peers that took it. Optional: without it callers send one by one.
   */
  sendEach?(peers: readonly Peer[], msg: Message): Peer[];
  /** Mark that a peer has seen `key` (so broadcast skips it). */
  markSeen(peer: Peer, key: string): void;
  /** Add misbehaviour points; at BAN_THRESHOLD the peer is disconnected and its address banned. */
  misbehave(peer: Peer, points: number, reason: string): void;
  disconnect(peer: Peer, reason: string): void;
  /**
   * The peer gave us a block or transaction that was new and passed validation: it earns inbound-eviction
   * protection (Core's m_last_block_time / m_last_tx_time). Optional: networks without eviction omit it.
   */
  credit?(peer: Peer, kind: CreditKind): void;
  /**
   * Sync's verdict that an outbound peer delivers nothing we can use (Core's ConsiderEviction: its chain
   * never reached our tip's work). The peer layer decides: it drops the peer unless it protects it. Optional.
   */
  useless?(peer: Peer, reason: string): void;
}

/** What a peer delivered that was new and valid: a block, a header, a transaction or a PHASE. */
export type CreditKind = 'block' | 'header' | 'tx';
