// One connection's state machine: framing, handshake, accounting, send cap, ping. Policy lives in the manager.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { pointsFor, ProtocolError } from '../errors.js';
import { decodeMessage, encodeMessageFrame, typeName } from '../wire/codec.js';
import { FRAME_HEADER_SIZE, FrameDecoder, type Frame } from '../wire/frame.js';
import { MsgType, type Message, type NetAddr, type VersionMsg } from '../wire/types.js';
import { netGroup } from './netgroup.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Connection } from './transport.js';
import { addrKey } from './addrbook.js';
import type { Peer } from './types.js';
import { BoundedSet } from '../bounded-set.js';

/** What a peer needs from its manager. */
/** Bitcoin Core's address rate limit: 0.1 ADDR entries per second per peer, burst 1000 (MAX_ADDR_PROCESSING_TOKEN_BUCKET). */
export const ADDR_RATE_PER_SEC = 0.1;
export const ADDR_BURST = 1000;

export interface PeerHost {
  readonly clock: Clock;
  readonly log: Logger;
  versionMessage(): VersionMsg;
  /** A received VERSION: null to accept, else the reason to refuse (the peer is then dropped). */
  checkVersion(peer: PeerConn, msg: VersionMsg): string | null;
  handshakeDone(peer: PeerConn): void;
  /** ADDR from a node we dialled that refused us for being full (sent before its VERSION). */
  refusedWithAddrs(peer: PeerConn, addrs: readonly NetAddr[]): void;
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

export class PeerConn implements Peer {
  readonly address: string;
  readonly host: string;
  /** Network group of the remote host (eviction and squatting limits). */
  readonly group: string;
  /** False for block-relay-only outbound links: no GETADDR/ADDR either way. */
  addrRelay = true;
  /** Clock ms of the last BLOCK / TX received (eviction protects recent suppliers). */
  lastBlockAt = 0;
  lastTxAt = 0;
  /** Clock ms of the last new valid header (outbound eviction keeps peers that deliver). */
  lastHeaderAt = 0;
  /** An outbound link the manager dialled itself (not a manual connect): it may be evicted for delivering nothing. */
  automatic = false;
  version = 0;
  height = 0;
  chainWork = 0n;
  userAgent = '';
  listenPort = 0;
  lastSeen: number;
  readonly connectedAt: number;
  coherence = 0;
  bytesIn = 0;
  bytesOut = 0;
  msgsIn = 0;
  msgsOut = 0;
  score = 0;
  pingMs: number | null = null;

  /** The remote's VERSION nonce, when it sent the extension. */
  remoteNonce: bigint | null = null;
  gotVersion = false;
  gotVerack = false;
  closed = false;
  closeReason = '';
  /** Set by the manager when it sent GETADDR and awaits the ADDR answer. */
  getaddrPending = false;
  /** ADDR entries this peer may still have processed (Core's m_addr_token_bucket, full at connect). */
  addrTokens = ADDR_BURST;
  addrTokensAt = -1;
  getaddrAnswered = false;
  pingNonce: bigint | null = null;
  pingSentAt = 0;
  /** For outbound peers: the "host:port" we dialled. */
  readonly dialKey: string | null;

  private _handshaken = false;
  private muted = false;
  private decoder = new FrameDecoder();
  private readonly seen: BoundedSet<string>;
  private handshakeTimer: TimerHandle | null = null;

  constructor(
    readonly id: number,
    private readonly conn: Connection,
    readonly inbound: boolean,
    private readonly hostApi: PeerHost,
    private readonly cfg: PeerConfig,
    dialKey: string | null = null,
  ) {
    this.host = conn.remoteAddress;
    this.address = addrKey(conn.remoteAddress, conn.remotePort);
    this.group = netGroup(conn.remoteAddress);
    this.connectedAt = hostApi.clock.now();
    this.lastSeen = this.connectedAt;
    this.dialKey = dialKey;
    this.seen = new BoundedSet<string>(Math.max(1, cfg.seenCap));
  }

  get handshaken(): boolean {
    return this._handshaken;
  }

  /** Bytes written but not yet flushed to the network. */
  get queuedBytes(): number {
    return this.conn.bufferedBytes;
  }

  /** Wires the connection, sends our VERSION and arms the handshake timeout. */
  start(): void {
    this.conn.onData((chunk) => this.onData(chunk));
    this.conn.onClose((err) => this.close(err ? `socket: ${err.message}` : 'remote closed'));
    this.handshakeTimer = this.hostApi.clock.setTimeout(() => {
      this.handshakeTimer = null;
      if (!this._handshaken) this.close('handshake-timeout');
    }, this.cfg.handshakeTimeoutMs);
    this.send(this.hostApi.versionMessage());
  }

  send(msg: Message): boolean {
    let frame: Uint8Array;
    try {
      frame = encodeMessageFrame(msg);
    } catch (e) {
      this.hostApi.log.error({ err: e, type: typeName(msg.type) }, 'cannot encode outgoing message');
      return false;
    }
    return this.sendFrame(msg.type, frame);
  }

  /** Queues an encoded frame; over the cap the peer is dropped instead of buffered without bound. */
  sendFrame(type: number, frame: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.conn.bufferedBytes + frame.length > this.cfg.sendQueueCap) {
      this.close('send-queue-full');
      return false;
    }
    this.conn.write(frame);
    this.bytesOut += frame.length;
    this.msgsOut++;
    this.hostApi.countOut(type, frame.length);
    return true;
  }

  hasSeen(key: string): boolean {
    return this.seen.has(key);
  }

  markSeen(key: string): void {
    this.seen.add(key);
  }

  /** Sends a PING with a fresh nonce; the PONG sets pingMs. */
  ping(now: number): void {
    this.pingNonce = randomBytes(8).readBigUInt64LE(0);
    this.pingSentAt = now;
    this.send({ type: MsgType.PING, nonce: this.pingNonce });
  }

  /** Stops reading the peer (it is about to be closed once its ban is on disk). */
  mute(): void {
    this.muted = true;
  }

  /** Idempotent; `graceful` flushes queued bytes first (used at shutdown). */
  close(reason: string, graceful = false): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    if (this.handshakeTimer !== null) this.hostApi.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    if (graceful) this.conn.close();
    else this.conn.destroy();
    this.hostApi.closed(this, reason);
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed || this.muted) return;
    this.bytesIn += chunk.length;
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      const code = e instanceof ProtocolError ? e.code : 'frame-error';
      this.hostApi.misbehave(this, pointsFor('bad-frame'), code);
      if (!this.muted) this.close(code); // muted: banned, closed once the ban is written
      else this.decoder = new FrameDecoder(); // drop what the broken stream left buffered
      return;
    }
    for (const f of frames) {
      if (this.closed || this.muted) return;
      this.onFrame(f);
    }
  }

  private onFrame(f: Frame): void {
    this.msgsIn++;
    this.lastSeen = this.hostApi.clock.now();
    this.hostApi.countIn(f.type, FRAME_HEADER_SIZE + f.payload.length);
    let msg: Message;
    try {
      msg = decodeMessage(f.type, f.payload);
    } catch (e) {
      if (e instanceof ProtocolError) this.hostApi.badMessage(this, f.type, e);
      else this.hostApi.log.error({ err: e }, 'decoder threw a non-protocol error'); // a bug, never the peer's crash
      return;
    }
    switch (msg.type) {
      case MsgType.VERSION:
        this.onVersion(msg);
        return;
      case MsgType.VERACK:
        if (!this.gotVersion || this.gotVerack) {
          this.hostApi.misbehave(this, pointsFor('unexpected-verack'), 'unexpected-verack');
          return;
        }
        this.gotVerack = true;
        this.maybeReady();
        return;
    }
    if (!this._handshaken && msg.type === MsgType.ADDR && !this.inbound && !this.gotVersion) {
      this.hostApi.refusedWithAddrs(this, msg.addrs); // a full node's parting list; it closes next
      return;
    }
    if (!this._handshaken) {
      this.hostApi.misbehave(this, pointsFor('before-handshake'), 'before-handshake');
      return;
    }
    if (msg.type === MsgType.PING) {
      this.send({ type: MsgType.PONG, nonce: msg.nonce });
    } else if (msg.type === MsgType.PONG && this.pingNonce !== null && msg.nonce === this.pingNonce) {
      this.pingMs = this.lastSeen - this.pingSentAt;
      this.pingNonce = null;
    }
    this.hostApi.message(this, msg);
  }

  private onVersion(msg: VersionMsg): void {
    if (this.gotVersion) {
      this.hostApi.misbehave(this, pointsFor('duplicate-version'), 'duplicate-version');
      return;
    }
    this.gotVersion = true;
    this.version = msg.version;
    this.height = msg.height;
    this.listenPort = msg.port <= 0xffff ? msg.port : 0;
    if (msg.ext) {
      this.remoteNonce = msg.ext.nonce;
      this.chainWork = msg.ext.chainWork;
      this.userAgent = msg.ext.userAgent;
    }
    const refusal = this.hostApi.checkVersion(this, msg);
    if (refusal !== null) {
      this.close(refusal);
      return;
    }
    this.send({ type: MsgType.VERACK });
    this.maybeReady();
  }

  private maybeReady(): void {
    if (this._handshaken || !this.gotVersion || !this.gotVerack || this.closed) return;
    this._handshaken = true;
    if (this.handshakeTimer !== null) this.hostApi.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.hostApi.handshakeDone(this);
  }
}
