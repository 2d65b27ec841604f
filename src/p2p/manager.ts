// The peer manager: listening, dialling, limits, bans, liveness, dispatch and broadcast (PeerNetwork).
import { randomBytes } from 'node:crypto';
import { BAN_THRESHOLD, DEFAULT_BAN_MS, DEFAULT_MAX_PEERS, EXTRA_PEER_CHECK_MS, MAINNET, MINIMUM_CONNECT_TIME_MS, outboundTimings, PROTOCOL_VERSION, type NetworkProfile } from '../constants.js';
import { InputError, pointsFor, ProtocolError, toErrorCode } from '../errors.js';
import { parseHostPort } from '../hostport.js';
import { silentLogger, type Logger } from '../log.js';
import { encodeMessageFrame, typeName } from '../wire/codec.js';
import { normalizeHost } from '../wire/ip.js';
import { MsgType, type Message, type MsgTypeCode, type NetAddr, type VersionMsg } from '../wire/types.js';
import { AddrBook, addrKey, type AddrBookOptions, type AddrRecord } from './addrbook.js';
import { BanList, type BanEntry } from './bans.js';
import { AddrResponseCache } from './addr-cache.js';
import { pickEvictee } from './eviction.js';
import { pickExtraOutbound, protectedOutbound } from './outbound.js';
import { netGroup } from './netgroup.js';
import { ScoreMemory } from './scores.js';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { ADDR_BURST, ADDR_RATE_PER_SEC, PeerConn, type PeerHost } from './peer.js';
import { TcpTransport, type Connection, type Server, type Transport } from './transport.js';
import type { BroadcastOptions, CreditKind, Handler, LocalInfo, Peer, PeerNetwork } from './types.js';


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
  /** Outbound connections wanted (`--max-peers`, default 8): of them `blockRelaySlots` exchange no addresses. */
  maxPeers?: number;
  /** Outbound connections that take no part in address relay (Core's block-relay-only); default min(2, maxPeers/4). */
  blockRelaySlots?: number;
  /** Inbound connections accepted (default 117: Core's 125 minus its outbound); outbound never uses these. */
  maxInbound?: number;
  /** Outbound connections kept up automatically from seeds and the address book; default maxPeers; 0 = none. */
  outboundTarget?: number;
  /** Manual `connect()` dials allowed beyond outboundTarget (Core's addnode slots); default 8. */
  manualSlots?: number;
  /** Inbound connections still in the handshake allowed per network group (slot squatting); default 4. */
  handshakingPerGroup?: number;
  /** Misbehaviour points remembered per host across reconnects; half-life in ms (default 1 h). */
  scoreHalfLifeMs?: number;
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
  /**
   * How long one GETADDR answer is served to every asker (Core's ADDR response cache; default
   * ADDR_CACHE_ROUNDS gossip intervals of the profile); 0 = selected afresh per asker.
   */
  addrCacheMs?: number;
  addrStore?: PersistStore<AddrRecord>;
  banStore?: PersistStore<BanEntry>;
  /** How often the address book and bans are saved (also at stop). */
  saveIntervalMs?: number;
  /** Our tip (localInfo's chain work) unchanged this long may be stale: one extra outbound peer is dialled (default: the profile's, constants.ts). */
  staleTipMs?: number;
  /** How often the tip is checked for staleness (Core's STALE_CHECK_INTERVAL). */
  staleCheckMs?: number;
  /** How often surplus outbound peers are trimmed (Core's EXTRA_PEER_CHECK_INTERVAL, 45 s). */
  extraPeerCheckMs?: number;
  /** Outbound peers younger than this are not trimmed as surplus (Core's MINIMUM_CONNECT_TIME, 30 s). */
  minConnectMs?: number;
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
  /** ADDR entries skipped by the per-peer address rate limit. */
  addrRateLimited: number;
  bansActive: number;
  bansTotal: number;
  addrBook: number;
}

/** Inbound connections Bitcoin Core accepts: 125 in all, less its 8 + 2 outbound. */
export const DEFAULT_MAX_INBOUND = 117;
/** Gossip intervals one GETADDR answer is served for (8 × 618 ms ≈ 5 s: the network's start-up spread). */
export const ADDR_CACHE_ROUNDS = 8;
/** Addresses a node full of peers hands a newcomer before closing. */
const REFUSAL_ADDRS = 30;

const bump = (r: Record<string, number>, k: string, n = 1): void => {
  r[k] = (r[k] ?? 0) + n;
};

/** Columns of the by-type counters, interleaved per type code so one frame's in and out counts share a cache line. */
const MSGS_IN = 0, BYTES_IN = 1, MSGS_OUT = 2, BYTES_OUT = 3, TYPE_COLUMNS = 4;

/** One by-type column as the stats' name → count record (types never seen left out). */

function byTypeName(counts: Float64Array, column: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let t = 0; t < 256; t++) {
    const v = counts[t * TYPE_COLUMNS + column]!;
    if (v > 0) out[typeName(t)] = v;
  }
  return out;
}


export class PeerManager implements PeerNetwork {
  readonly clock: Clock;
  readonly log: Logger;
  readonly profile: NetworkProfile;
  readonly nonce: bigint;
  readonly maxPeers: number;
  readonly maxInbound: number;
  /** Most outbound connections at once: the automatic target plus manual dials. */
  readonly outboundSlots: number;
  readonly blockRelaySlots: number;
  readonly scores: ScoreMemory;
  readonly book: AddrBook;
  readonly bans = new BanList();
  private readonly addrCache: AddrResponseCache;

  private readonly transport: Transport;
  private readonly opts: PeerManagerOptions;
  private readonly conns = new Map<number, PeerConn>();
  private readonly dialling = new Set<string>();
  /** Addresses that turned out to be ourselves or another network: never dialled again. */
  private readonly noDial = new Set<string>();
  private readonly handlers = new Map<number, Handler<MsgTypeCode>[]>();
  private readonly readyCbs: ((p: Peer) => void)[] = [];
  /** peers()' answer; null once a peer became ready or closed since. */
  private readyList: PeerConn[] | null = null;
  private readonly closedCbs: ((p: Peer, reason: string) => void)[] = [];
  private readonly waiters = new Map<PeerConn, { resolve: (p: Peer) => void; reject: (e: Error) => void }>();
  private server: Server | null = null;
  private tickTimer: TimerHandle | null = null;
  private nextId = 1;
  private started = false;
  private stopped = false;
  private lastSave = 0;
  /** Stale-tip state (Core's m_last_tip_update, m_stale_tip_check_time, m_try_another_outbound_peer). */
  private tipWork: bigint | null = null;
  private tipAt = 0;
  private nextStaleCheck = 0;
  private nextExtraCheck = 0;
  private tryExtraOutbound = false;
  private readonly counters = {
    bytesIn: 0, bytesOut: 0,
    // by frame type code, typed: two counts per frame in and out at every node (string-keyed bumps were 2 % at 3 k simulated nodes)
    byType: new Float64Array(256 * TYPE_COLUMNS),
    invalid: {} as Record<string, number>, refused: {} as Record<string, number>,
    disconnects: {} as Record<string, number>, handlerErrors: 0, bansTotal: 0, addrRateLimited: 0,
  };
  private readonly host: PeerHost;

  constructor(opts: PeerManagerOptions = {}) {
    this.opts = opts;
    this.transport = opts.transport ?? new TcpTransport();
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.profile = opts.profile ?? MAINNET;
    this.nonce = opts.nonce ?? randomBytes(8).readBigUInt64LE(0);
    this.maxPeers = Math.max(1, opts.maxPeers ?? DEFAULT_MAX_PEERS);
    this.maxInbound = Math.max(0, opts.maxInbound ?? DEFAULT_MAX_INBOUND);
    this.outboundSlots = Math.min(this.maxPeers, opts.outboundTarget ?? this.maxPeers) + (opts.manualSlots ?? 8);
    this.blockRelaySlots = Math.min(opts.blockRelaySlots ?? Math.min(2, Math.floor(this.maxPeers / 4)), this.maxPeers);
    this.scores = new ScoreMemory(opts.scoreHalfLifeMs ?? 60 * 60_000);
    // an injected nonce (simulator, tests) makes bucket placement reproducible; otherwise a fresh secret
    const bookKey = opts.nonce === undefined ? undefined : Buffer.from(`addrbook/${opts.nonce}`);
    this.book = new AddrBook({ key: bookKey, ...opts.addrBook });
    for (const s of opts.seeds ?? []) {
      const { host, port } = parseHostPort(s);
      this.book.add(host, port, 0, { seed: true });
    }
    this.addrCache = new AddrResponseCache(this.book, Math.max(0, opts.addrCacheMs ?? ADDR_CACHE_ROUNDS * this.profile.gossipIntervalMs));
    this.host = this.makeHost();
  }

  /** The bound listening port (after start), 0 when not listening. */
  get port(): number {
    return this.server?.port ?? 0;
  }

  async start(): Promise<void> {
    if (this.started) throw new InputError('already-started', 'peer manager already started');
    this.started = true;
    const now = this.clock.now();
    if (this.opts.addrStore) this.book.load(await this.opts.addrStore.load());
    if (this.opts.banStore) this.bans.load(await this.opts.banStore.load(), now);
    this.lastSave = now;
    this.tipAt = now;
    this.nextExtraCheck = now + (this.opts.extraPeerCheckMs ?? EXTRA_PEER_CHECK_MS);
    const listenPort = this.opts.listenPort === undefined ? this.profile.p2pPort : this.opts.listenPort;
    if (listenPort !== null) {
      this.server = await this.transport.listen(this.opts.listenHost ?? '0.0.0.0', listenPort, (c) => this.onInbound(c));
      this.log.info({ port: this.server.port }, 'p2p listening');
    }
    this.tickTimer = this.clock.setInterval(() => this.tick(), this.opts.tickMs ?? 5_000);
    this.dialMore();
  }

  /** Closes every peer cleanly, stops listening and saves the address book and bans. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.tickTimer !== null) this.clock.clearInterval(this.tickTimer);
    this.tickTimer = null;
    const server = this.server;
    this.server = null;
    for (const p of [...this.conns.values()]) p.close('shutdown', true);
    if (server) await server.close();
    await this.save();
  }

  /** Dials host:port; resolves with the peer once handshaken, rejects if it fails or closes first. */
  connect(host: string, port: number): Promise<Peer> {
    return this.dial(host, port, false);
  }

  private async dial(host: string, port: number, automatic: boolean): Promise<Peer> {
    if (this.stopped || !this.started) throw new InputError('not-running', 'peer manager is not running');
    const key = addrKey(host, port);
    if (this.bans.isBanned(host, this.clock.now())) throw new InputError('banned', `${host} is banned`);
    if (this.dialling.has(key) || this.isConnectedTo(key)) throw new InputError('already-connected', `already connected to ${key}`);
    if (this.outboundCount() >= this.outboundSlots) throw new InputError('max-peers', 'no free outbound slot');
    this.dialling.add(key);
    this.book.markAttempt(host, port, this.clock.now());
    let conn: Connection;
    try {
      conn = await this.withTimeout(this.transport.connect(host, port), this.opts.connectTimeoutMs ?? 10_000, (late) => late.destroy());
    } catch (e) {
      this.dialling.delete(key);
      this.book.markFailure(host, port, this.clock.now());
      throw e instanceof Error ? e : new Error(String(e));
    }
    this.dialling.delete(key);
    if (this.stopped) {
      conn.destroy();
      throw new InputError('not-running', 'peer manager stopped');
    }
    return new Promise<Peer>((resolve, reject) => {
      const peer = new PeerConn(this.nextId++, conn, false, this.host, this.peerConfig(), key);
      peer.addrRelay = this.addrRelayCount() < this.outboundFullRelay();
      peer.automatic = automatic;
      peer.score = this.scores.get(peer.host, this.clock.now());
      this.conns.set(peer.id, peer);
      this.waiters.set(peer, { resolve, reject });
      peer.start();
    });
  }

  // ---------- PeerNetwork ----------

  peers(): readonly Peer[] {
    // one array kept until a peer is ready or closes: gossip, sync and the API ask several times a round
    let list = this.readyList;
    if (list && list.some((p) => p.closed)) list = null; // closed, its close callback not yet run
    if (!list) {
      list = [];
      for (const p of this.conns.values()) if (p.handshaken && !p.closed) list.push(p);
      this.readyList = list;
    }
    return list;
  }

  on<T extends MsgTypeCode>(type: T, handler: Handler<T>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as Handler<MsgTypeCode>);
    this.handlers.set(type, list);
  }

  onPeerReady(cb: (peer: Peer) => void): void {
    this.readyCbs.push(cb);
  }

  onPeerClosed(cb: (peer: Peer, reason: string) => void): void {
    this.closedCbs.push(cb);
  }

  send(peer: Peer, msg: Message): boolean {
    const p = this.own(peer);
    return p ? p.send(msg) : false;
  }

  sendEach(peers: readonly Peer[], msg: Message): Peer[] {
    if (peers.length === 0) return [];
    let frame: Uint8Array;
    try {
      frame = encodeMessageFrame(msg); // once: the same bytes queued to every peer, as broadcast does
    } catch (e) {
      this.log.error({ err: e, type: typeName(msg.type) }, 'cannot encode outgoing message');
      return [];
    }
    return peers.filter((peer) => this.own(peer)?.sendFrame(msg.type, frame) === true);
  }

  broadcast(msg: Message, opts: BroadcastOptions = {}): number {
    let frame: Uint8Array;
    try {
      frame = encodeMessageFrame(msg); // encoded once, the same bytes queued to every peer
    } catch (e) {
      this.log.error({ err: e, type: typeName(msg.type) }, 'cannot encode broadcast');
      return 0;
    }
    const { exclude, key } = opts;
    if (exclude && key !== undefined) this.own(exclude)?.markSeen(key);
    let sent = 0;
    for (const p of [...this.conns.values()]) {
      if (!p.handshaken || p.closed || p === exclude) continue;
      if (key !== undefined) {
        if (p.hasSeen(key)) continue;
        p.markSeen(key);
      }
      if (p.sendFrame(msg.type, frame)) sent++;
    }
    return sent;
  }

  markSeen(peer: Peer, key: string): void {
    this.own(peer)?.markSeen(key);
  }

  misbehave(peer: Peer, points: number, reason: string): void {
    const p = this.own(peer);
    if (!p || p.closed) return;
    bump(this.counters.invalid, reason);
    if (points <= 0) return;
    p.score += points;
    this.scores.set(p.host, p.score, this.clock.now()); // a reconnect starts from what is left of it
    this.log.debug({ peer: p.address, points, score: p.score, reason }, 'peer misbehaved');
    if (p.score >= BAN_THRESHOLD) this.ban(p.host, reason);
  }

  disconnect(peer: Peer, reason: string): void {
    this.own(peer)?.close(reason);
  }

  /** Only validated new blocks/txs count (sync and tx relay call this from their verdicts), not any decodable frame. */
  credit(peer: Peer, kind: CreditKind): void {
    const p = this.own(peer);
    if (!p || p.closed) return;
    const now = this.clock.now();
    if (kind === 'block') p.lastBlockAt = now;
    else if (kind === 'header') p.lastHeaderAt = now;
    else p.lastTxAt = now;
  }

  /** Sync says an outbound peer never caught up with our tip (Core's ConsiderEviction): dropped unless protected. */
  useless(peer: Peer, reason: string): void {
    const p = this.own(peer);
    if (!p || p.closed || p.inbound || !p.automatic) return; // manual and inbound links are the operator's and eviction's
    if (protectedOutbound(this.outboundPeers()).has(p)) return;
    this.log.info({ peer: p.address, reason }, 'dropping outbound peer that delivers nothing');
    p.close(reason);
    this.dialMore();
  }

  // ---------- operator API ----------

  /**
   * Bans a host for banMs and drops every connection from it, after the ban list is written: a crash
   * right after a ban keeps it. Until then the host's connections read nothing.
   */
  ban(host: string, reason: string, ms = this.opts.banMs ?? DEFAULT_BAN_MS): void {
    this.bans.ban(host, this.clock.now() + ms, reason);
    this.counters.bansTotal++;
    this.log.warn({ host, reason }, 'banned peer');
    const victims = [...this.conns.values()].filter((p) => normalizeHost(p.host) === normalizeHost(host));
    for (const p of victims) p.mute();
    const closeAll = (): void => {
      for (const p of victims) p.close(`banned: ${reason}`);
    };
    if (!this.opts.banStore) return closeAll();
    this.saveBans().then(closeAll, closeAll);
  }

  unban(host: string): boolean {
    return this.bans.unban(host);
  }

  listBans(): BanEntry[] {
    return this.bans.list(this.clock.now());
  }

  /** Every connection, handshaken or not (for the API's peer list). */
  connections(): Peer[] {
    return [...this.conns.values()].filter((p) => !p.closed);
  }

  stats(): PeerManagerStats {
    let inbound = 0;
    let outbound = 0;
    let handshaking = 0;
    for (const p of this.conns.values()) {
      if (!p.handshaken) handshaking++;
      else if (p.inbound) inbound++;
      else outbound++;
    }
    const c = this.counters;
    return {
      inbound, outbound, handshaking, dialling: this.dialling.size,
      bytesIn: c.bytesIn, bytesOut: c.bytesOut,
      msgsInByType: byTypeName(c.byType, MSGS_IN), msgsOutByType: byTypeName(c.byType, MSGS_OUT),
      bytesInByType: byTypeName(c.byType, BYTES_IN), bytesOutByType: byTypeName(c.byType, BYTES_OUT),
      invalid: { ...c.invalid }, refused: { ...c.refused }, disconnects: { ...c.disconnects },
      handlerErrors: c.handlerErrors, addrRateLimited: c.addrRateLimited,
      bansActive: this.bans.list(this.clock.now()).length, bansTotal: c.bansTotal,
      addrBook: this.book.size,
    };
  }

  // ---------- internals ----------

  private makeHost(): PeerHost {
    const self = this;
    return {
      clock: this.clock,
      log: this.log,
      versionMessage: () => this.versionMessage(),
      checkVersion: (p, m) => this.checkVersion(p, m),
      handshakeDone: (p) => this.onReady(p),
      refusedWithAddrs: (p, addrs) => this.learnAddrs(p, addrs, REFUSAL_ADDRS),
      message: (p, m) => this.dispatch(p, m),
      badMessage: (p, type, err) => {
        if (err.code === 'unknown-type') {
          this.log.debug({ peer: p.address, type: typeName(type) }, 'ignored unknown message type');
          this.misbehave(p, pointsFor('unknown-type'), 'unknown-type');
          return;
        }
        const pts = pointsFor(type === MsgType.PHASE ? 'malformed-phase' : 'malformed-message');
        this.misbehave(p, pts, `${typeName(type)}:${err.code}`);
      },
      misbehave: (p, points, reason) => this.misbehave(p, points, reason),
      closed: (p, reason) => this.onClosed(p, reason),
      countIn(type, bytes) {
        const c = self.counters;
        c.bytesIn += bytes;
        const i = (type & 0xff) * TYPE_COLUMNS;
        c.byType[i + MSGS_IN]!++;
        c.byType[i + BYTES_IN]! += bytes;
      },
      countOut(type, bytes) {
        const c = self.counters;
        c.bytesOut += bytes;
        const i = (type & 0xff) * TYPE_COLUMNS;
        c.byType[i + MSGS_OUT]!++;
        c.byType[i + BYTES_OUT]! += bytes;
      },
    };
  }

  private peerConfig() {
    return {
      handshakeTimeoutMs: this.opts.handshakeTimeoutMs ?? 10_000,
      sendQueueCap: this.opts.sendQueueCap ?? 4 * 1024 * 1024,
      seenCap: this.opts.seenCap ?? 4096,
    };
  }

  private versionMessage(): VersionMsg {
    const info = this.opts.localInfo?.() ?? { height: 0, chainWork: 0n };
    const maxWork = (1n << 256n) - 1n;
    return {
      type: MsgType.VERSION,
      version: PROTOCOL_VERSION,
      height: Math.min(Math.max(0, Math.floor(info.height)), 0xffffffff),
      timestamp: Math.floor(this.clock.now() / 1000),
      port: this.port,
      ext: {
        magic: this.profile.magic,
        nonce: this.nonce,
        chainWork: info.chainWork < 0n ? 0n : info.chainWork > maxWork ? maxWork : info.chainWork,
        userAgent: truncateUtf8(this.opts.userAgent ?? 'bloomcoin/0.1.0', 64),
      },
    };
  }

  private onInbound(conn: Connection): void {
    const now = this.clock.now();
    const refuse = (reason: string): void => {
      bump(this.counters.refused, reason);
      conn.destroy();
    };
    if (this.stopped) return refuse('stopping');
    if (this.bans.isBanned(conn.remoteAddress, now)) return refuse('banned');
    const group = netGroup(conn.remoteAddress);
    const inbound: PeerConn[] = [];
    let handshakingInGroup = 0;
    for (const p of this.conns.values()) {
      if (!p.inbound || p.closed) continue;
      inbound.push(p);
      if (!p.handshaken && p.group === group) handshakingInGroup++;
    }
    // a group's half-open connections are capped: squatters from a few addresses cannot hold every slot
    if (handshakingInGroup >= (this.opts.handshakingPerGroup ?? 4)) return refuse('group-handshaking');
    if (inbound.length >= this.maxInbound) {
      const victim = pickEvictee(inbound);
      if (victim) {
        victim.close('evicted');
      } else {
        // full: tell the newcomer where else to go before closing (it may not even speak yet)
        bump(this.counters.refused, 'max-peers');
        try {
          conn.write(encodeMessageFrame({ type: MsgType.ADDR, addrs: this.addrCache.addrs(now, REFUSAL_ADDRS, addrKey(conn.remoteAddress, conn.remotePort)) }));
        } catch (e) {
          this.log.error({ err: e }, 'cannot encode refusal ADDR');
        }
        conn.close();
        return;
      }
    }
    const peer = new PeerConn(this.nextId++, conn, true, this.host, this.peerConfig());
    peer.score = this.scores.get(peer.host, now);
    this.conns.set(peer.id, peer);
    peer.start();
  }

  private checkVersion(p: PeerConn, m: VersionMsg): string | null {
    const refuse = (reason: string): string => {
      bump(this.counters.refused, reason);
      return reason;
    };
    if (m.version < 1) return refuse('obsolete-version');
    if (!m.ext) return null; // a seed-only client: nothing more to check
    if (m.ext.magic !== this.profile.magic) {
      this.misbehave(p, pointsFor('wrong-magic'), 'wrong-magic');
      if (p.dialKey) this.noDial.add(p.dialKey);
      return refuse('wrong-magic');
    }
    if (m.ext.nonce === this.nonce) {
      if (p.dialKey) this.noDial.add(p.dialKey);
      return refuse('self-connection');
    }
    for (const other of this.conns.values()) {
      // Only links from the same host count as one node twice: a stranger replaying a nonce it learnt
      // from that node's VERSION must not be able to close the node's real link (it is just another peer).
      if (other === p || other.closed || other.remoteNonce !== m.ext.nonce) continue;
      if (normalizeHost(other.host) !== normalizeHost(p.host)) continue;
      // Same node twice (e.g. both dialled each other): both ends keep the one dialled by the lower nonce.
      const dialerNonce = (c: PeerConn): bigint => (c.inbound ? c.remoteNonce! : this.nonce);
      if (dialerNonce(p) < dialerNonce(other)) {
        other.close('duplicate-connection');
        bump(this.counters.refused, 'duplicate-connection');
        return null;
      }
      return refuse('duplicate-connection');
    }
    return null;
  }

  private onReady(p: PeerConn): void {
    this.readyList = null;
    const now = this.clock.now();
    if (p.dialKey) {
      const { host, port } = parseHostPort(p.dialKey);
      if (!this.book.get(host, port)) this.book.add(host, port, Math.floor(now / 1000));
      this.book.markSuccess(host, port, now);
      if (p.addrRelay) {
        p.getaddrPending = true;
        p.send({ type: MsgType.GETADDR });
      }
    } else if (p.listenPort > 0) {
      this.book.add(p.host, p.listenPort, Math.floor(now / 1000), { source: p.host });
    }
    p.ping(now); // first round-trip sample
    this.log.info({ peer: p.address, inbound: p.inbound, height: p.height, ua: p.userAgent }, 'peer ready');
    for (const cb of this.readyCbs) this.safe(() => cb(p), 'onPeerReady callback');
    const w = this.waiters.get(p);
    this.waiters.delete(p);
    w?.resolve(p);
  }

  private onClosed(p: PeerConn, reason: string): void {
    if (!this.conns.delete(p.id)) return;
    this.readyList = null;
    bump(this.counters.disconnects, reason.startsWith('banned') ? 'banned' : reason.startsWith('socket') ? 'socket-error' : reason);
    if (!p.handshaken && p.dialKey && reason !== 'shutdown') {
      const { host, port } = parseHostPort(p.dialKey);
      this.book.markFailure(host, port, this.clock.now());
    }
    this.log.debug({ peer: p.address, reason }, 'peer closed');
    const w = this.waiters.get(p);
    this.waiters.delete(p);
    w?.reject(new ProtocolError(toErrorCode(reason.split(':')[0]!, 'peer-closed'), `peer ${p.address} closed before the handshake: ${reason}`));
    if (p.handshaken) for (const cb of this.closedCbs) this.safe(() => cb(p, reason), 'onPeerClosed callback');
  }

  private dispatch(p: PeerConn, msg: Message): void {
    if (msg.type === MsgType.GETADDR) {
      if (!p.getaddrAnswered && p.addrRelay) {
        p.getaddrAnswered = true; // once per connection: no amplification
        // the interval's answer, the same for every asker (its own address left out)
        try {
          p.sendFrame(MsgType.ADDR, this.addrCache.frame(this.clock.now(), p.address));
        } catch (e) {
          this.log.error({ err: e }, 'cannot encode ADDR answer');
        }
      }
    } else if (msg.type === MsgType.ADDR && p.addrRelay) {
      // Solicited: up to 1000 taken; unsolicited gossip: only a few. Either way bucketed by the sender's group.
      const limit = p.getaddrPending ? 1000 : 10;
      p.getaddrPending = false;
      this.learnAddrs(p, msg.addrs, limit);
    }
    const list = this.handlers.get(msg.type);
    if (!list) return;
    for (const h of list) {
      if (p.closed) return;
      try {
        const r = h(p, msg as never);
        if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).then(undefined, (e: unknown) => this.handlerError(p, msg.type, e));
      } catch (e) {
        this.handlerError(p, msg.type, e);
      }
    }
  }

  private learnAddrs(p: PeerConn, addrs: readonly NetAddr[], limit: number): void {
    const now = this.clock.now();
    const nowSec = Math.floor(now / 1000);
    // Core's token bucket: what a peer sends beyond 0.1 entries/s (burst 1000) is not processed at all.
    if (p.addrTokensAt >= 0) p.addrTokens = Math.min(ADDR_BURST, p.addrTokens + ((now - p.addrTokensAt) / 1000) * ADDR_RATE_PER_SEC);
    p.addrTokensAt = now;
    const n = Math.min(addrs.length, limit);
    for (let i = 0; i < n; i++) {
      if (p.addrTokens < 1) {
        this.counters.addrRateLimited += n - i;
        return;
      }
      p.addrTokens -= 1;
      const a = addrs[i]!;
      this.book.add(a.host, a.port, Math.min(a.lastSeen, nowSec), { source: p.host });
    }
  }

  private outboundCount(): number {
    let n = this.dialling.size;
    for (const p of this.conns.values()) if (!p.inbound && !p.closed) n++;
    return n;
  }

  private addrRelayCount(): number {
    let n = 0;
    for (const p of this.conns.values()) if (!p.inbound && !p.closed && p.addrRelay) n++;
    return n;
  }

  private outboundFullRelay(): number {
    return Math.max(1, this.maxPeers - this.blockRelaySlots);
  }

  private handlerError(p: PeerConn, type: number, e: unknown): void {
    this.counters.handlerErrors++;
    this.log.warn({ err: e, peer: p.address, type: typeName(type) }, 'message handler failed');
    if (e instanceof ProtocolError) this.misbehave(p, pointsFor('handler-protocol-error'), `${typeName(type)}:${e.code}`);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const after = this.opts.pingAfterMs ?? 90_000;
    const timeout = this.opts.pingTimeoutMs ?? 30_000;
    const interval = this.opts.pingIntervalMs ?? 120_000;
    for (const p of [...this.conns.values()]) {
      if (!p.handshaken || p.closed) continue;
      const silent = now - p.lastSeen;
      if (silent >= after + timeout) {
        p.close('ping-timeout');
        continue;
      }
      const canPing = p.pingNonce === null || now - p.pingSentAt >= timeout;
      if (canPing && (silent >= after || now - p.pingSentAt >= interval)) p.ping(now);
    }
    this.checkStaleTip(now);
    this.addrCache.expire(now);
    this.dialMore();
    if (now - this.lastSave >= (this.opts.saveIntervalMs ?? 10 * 60_000)) {
      this.lastSave = now;
      void this.save();
    }
  }

  private outboundTarget(): number {
    return Math.min(this.opts.outboundTarget ?? this.maxPeers, this.maxPeers);
  }

  private outboundPeers(): PeerConn[] {
    return [...this.conns.values()].filter((p) => !p.inbound && !p.closed && p.handshaken);
  }

  /**
   * Core's CheckForStaleTipAndEvictPeers: a tip (localInfo's work) that has not moved for staleTipMs
   * gets one extra outbound peer; every extraPeerCheckMs, outbound links over the target lose the one
   * that least recently delivered a new block or header (a few that did are protected).
   */
  private checkStaleTip(now: number): void {
    if (this.outboundTarget() === 0 || !this.opts.localInfo) return;
    const t = outboundTimings(this.profile);
    const work = this.opts.localInfo().chainWork;
    if (work !== this.tipWork) {
      this.tipWork = work;
      this.tipAt = now;
    }
    if (now >= this.nextExtraCheck) {
      this.nextExtraCheck = now + (this.opts.extraPeerCheckMs ?? EXTRA_PEER_CHECK_MS);
      const out = this.outboundPeers();
      if (out.length > this.outboundTarget()) {
        const victim = pickExtraOutbound(out, now, this.opts.minConnectMs ?? MINIMUM_CONNECT_TIME_MS);
        if (victim) {
          this.log.info({ peer: victim.address }, 'evicting surplus outbound peer that delivers least');
          victim.close('extra-outbound');
        }
      }
    }
    if (now >= this.nextStaleCheck) {
      this.nextStaleCheck = now + (this.opts.staleCheckMs ?? t.staleCheckMs);
      const stale = now - this.tipAt > (this.opts.staleTipMs ?? t.staleTipMs);
      if (stale && !this.tryExtraOutbound) this.log.info({ sinceMs: now - this.tipAt }, 'tip may be stale: trying one extra outbound peer');
      this.tryExtraOutbound = stale;
    }
  }

  /** Keeps `outboundTarget` outbound connections (one more while the tip may be stale), seeds and known-good addresses first. */
  private dialMore(): void {
    if (this.stopped) return;
    const target = this.outboundTarget() + (this.tryExtraOutbound && this.outboundTarget() > 0 ? 1 : 0);
    const free = target - this.outboundCount();
    if (free <= 0) return;
    const now = this.clock.now();
    const picks = this.book.candidates(
      now,
      (k, e) => this.noDial.has(k) || this.dialling.has(k) || this.isConnectedTo(k) || this.bans.isBanned(e.host, now) || this.isOwnAddress(e.host, e.port),
      free,
    );
    for (const e of picks) {
      this.dial(e.host, e.port, true).catch((err: unknown) => {
        this.log.debug({ addr: addrKey(e.host, e.port), err: (err as Error).message }, 'dial failed');
      });
    }
  }

  private isConnectedTo(key: string): boolean {
    for (const p of this.conns.values()) {
      if (p.closed) continue;
      if (p.dialKey === key || p.address === key) return true;
      if (p.inbound && p.listenPort > 0 && addrKey(p.host, p.listenPort) === key) return true;
    }
    return false;
  }

  private isOwnAddress(host: string, port: number): boolean {
    if (port !== this.port) return false;
    const h = normalizeHost(host);
    return h === '127.0.0.1' || h === '::1' || h === 'localhost' || h === normalizeHost(this.opts.listenHost ?? '');
  }

  private own(peer: Peer): PeerConn | undefined {
    const p = this.conns.get(peer.id);
    return p === peer ? p : undefined;
  }

  private async saveBans(): Promise<void> {
    try {
      if (this.opts.banStore) await this.opts.banStore.save(this.bans.list(this.clock.now()));
    } catch (e) {
      this.log.warn({ err: e }, 'saving bans failed');
    }
  }

  private async save(): Promise<void> {
    try {
      if (this.opts.addrStore) await this.opts.addrStore.save(this.book.snapshot());
      if (this.opts.banStore) await this.opts.banStore.save(this.bans.list(this.clock.now()));
    } catch (e) {
      this.log.warn({ err: e }, 'saving peer addresses or bans failed');
    }
  }

  private safe(f: () => void, what: string): void {
    try {
      f();
    } catch (e) {
      this.log.error({ err: e }, `${what} threw`);
    }
  }

  private withTimeout<T>(p: Promise<T>, ms: number, onLate: (v: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const timer = this.clock.setTimeout(() => {
        if (done) return;
        done = true;
        reject(new Error(`timed out after ${ms} ms`));
      }, ms);
      p.then(
        (v) => {
          if (done) return onLate(v);
          done = true;
          this.clock.clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          if (done) return;
          done = true;
          this.clock.clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}

function truncateUtf8(s: string, maxBytes: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= maxBytes) return s;
  return new TextDecoder().decode(b.subarray(0, maxBytes)).replace(/\uFFFD+$/, '');
}
