// Header-first sync from many peers, parallel block download, continuous sync, relay of blocks and txs.
// Talks to peers only through PeerNetwork messages; time only through the injected Clock.
import { HEADER_SIZE, MAX_HEADERS_PER_MSG, TX_SIZE } from '../constants.js';
import { encodeTx } from '../chain/tx.js';
import type { AddBlockResult, ChainApi, TipChange } from '../chain/types.js';
import type { Core } from '../core/types.js';
import { silentLogger, type Logger } from '../log.js';
import type { Clock, TimerHandle } from '../p2p/clock.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { MsgType, type BlocksMsg, type GetBlocksMsg, type GetDataMsg } from '../wire/types.js';
import { BlockScheduler, DEFAULT_SCHEDULER_OPTIONS, type Candidate, type PeerSchedView, type SchedulerOptions } from './scheduler.js';
import { headerHeight, RateMeter, RecentSet, SerialQueue, toHex } from './util.js';

/** What sync needs of the mempool (src/chain/mempool.ts fits): add raw tx bytes, learn whether they were taken. */
export interface MempoolAddResult {
  accepted: boolean;
  /** Rejection code, e.g. 'bad-tx-sig', 'bad-tx-nonce', 'duplicate'. */
  code?: string;
  reason?: string;
}
export interface MempoolLike {
  add(tx: Uint8Array): MempoolAddResult | Promise<MempoolAddResult>;
  /** Whether a txid is pending (lets sync re-announce txs a reorg put back). */
  has?(txid: Uint8Array): boolean;
}

export interface SyncOptions extends SchedulerOptions {
  /** Continuous sync check (seed 3.7: every 10 s). */
  tickMs: number;
  /** Timeout sweep. */
  checkMs: number;
  /** Headers per GETBLOCKS (≤ MAX_HEADERS_PER_MSG). */
  headerBatch: number;
  /** GETBLOCKS in flight to the header peer. */
  headerPipeline: number;
  /** A header request unanswered this long stalls the header peer (seed: 30 s per request). */
  headerTimeoutMs: number;
  /** Walk-back steps (each doubling the distance) to find a fork point before giving up on a peer. */
  maxForkWalk: number;
  /** Hashes served per GETDATA; the rest are ignored. */
  getDataCap: number;
  /** Serve jobs (GETBLOCKS/GETDATA) queued per peer before new ones are dropped. */
  serveQueueCap: number;
  /** Unsolicited blocks that bring nothing (duplicates, stale orphans) per peer per minute before points. */
  unsolicitedLimit: number;
  /** Blocks waiting for validation before unsolicited ones are dropped. */
  maxQueuedBlocks: number;
  /** Bytes of blocks waiting for validation: past it no new requests go out and unsolicited blocks are dropped. */
  maxQueuedBytes: number;
  /** Missing-block hashes fetched from the chain per scan (beyond those in flight). */
  lookahead: number;
  /** Most hashes asked of the chain per scan. */
  maxLookahead: number;
  /** Progress callbacks at most this often (plus on start/finish). */
  progressIntervalMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = Object.freeze({
  ...DEFAULT_SCHEDULER_OPTIONS,
  tickMs: 10_000,
  checkMs: 1_000,
  headerBatch: MAX_HEADERS_PER_MSG,
  headerPipeline: 2,
  headerTimeoutMs: 30_000,
  maxForkWalk: 10,
  getDataCap: 16,
  serveQueueCap: 32,
  unsolicitedLimit: 20,
  maxQueuedBlocks: 1_280,
  maxQueuedBytes: 64 << 20,
  lookahead: 512,
  maxLookahead: 4_096,
  progressIntervalMs: 500,
});

/** Misbehaviour points (BAN_THRESHOLD = 100). */
export const PENALTY = Object.freeze({
  /** Headers that fail proof, target, time or linkage. */
  headersInvalid: 50,
  /** Headers that connect to nothing we know even after walking back. */
  headersUnconnected: 20,
  /** A BLOCKS reply whose heights are not the ones asked for. */
  headersBadRange: 20,
  /** Empty BLOCKS for heights the peer claimed to have. */
  cannotServe: 10,
  /** Repeated stalls (the peer then loses its standing). */
  stalled: 5,
  invalidBlock: 50,
  malformedBlock: 20,
  unsolicitedFlood: 10,
  invalidTx: 1,
  serveFlood: 1,
});

/** Block rejections that are not the sender's fault (clock skew). */
const BENIGN_BLOCK_CODES = new Set(['time-too-new']);
/** Mempool rejections only a broken or hostile sender causes (the rest — nonce races, funds, full — are honest). */
const BAD_TX_CODES = new Set(['bad-size', 'bad-tx-sig']);
/** Rejections that will not change: remembered so the tx is not checked again. */
const FINAL_TX_CODES = new Set(['bad-size', 'bad-tx-sig', 'duplicate']);

export interface SyncProgress {
  /** Best header height. */
  headers: number;
  /** Tip (fully validated block) height. */
  blocks: number;
  /** max(best header, best height a sync peer claims). */
  targetHeight: number;
  rateBlocksPerSec: number;
  /** Seconds left at the current rate; null when unknown (rate 0 while behind). */
  etaSec: number | null;
  syncing: boolean;
  peers: number;
}

export interface SyncStats {
  headersReceived: number;
  headersAdded: number;
  headerRequests: number;
  forkWalks: number;
  blocksRequested: number;
  blocksReceived: number;
  blocksConnected: number;
  blocksInvalid: number;
  blocksUnsolicited: number;
  blocksDuplicate: number;
  stalls: number;
  reRequested: number;
  relayedBlocks: number;
  txsReceived: number;
  txsAccepted: number;
  relayedTxs: number;
  penalties: number;
  servedHeaders: number;
  servedBlocks: number;
  inFlight: number;
  queuedBlocks: number;
  queuedBytes: number;
  headerPeer: number | null;
  peers: PeerSchedView[];
}

export interface SyncManagerDeps {
  net: PeerNetwork;
  chain: ChainApi;
  /** Block and tx hashing (sha256d) goes through the core like every other hash. */
  core: Pick<Core, 'sha256d'>;
  mempool?: MempoolLike;
  clock: Clock;
  logger?: Logger;
  options?: Partial<SyncOptions>;
}

interface PeerState {
  peer: Peer;
  /** Highest header height this peer has shown us (on any branch). */
  knownTip: number;
  /** Height the peer itself vouched for (VERSION, headers it served); a height only inferred from a block it relayed is not one. */
  claimed: number;
  headerBackoffUntil: number;
  headerStalls: number;
  serve: SerialQueue;
  unsolicited: number;
  unsolicitedSince: number;
  /** Replies still due to header requests we gave up on (walk-back, session end): dropped quietly. */
  staleReplies: number;
}

interface HeaderSession {
  peer: Peer;
  nextStart: number;
  outstanding: { start: number; sentAt: number }[];
  /** Replies that came before an earlier one (a peer may answer out of order). */
  replies: Map<number, Uint8Array[]>;
  walk: number;
  walking: boolean;
  lastFull: boolean;
}

type Counters = Omit<SyncStats, 'inFlight' | 'queuedBlocks' | 'queuedBytes' | 'headerPeer' | 'peers'>;

export class SyncManager {
  readonly opts: SyncOptions;
  private readonly net: PeerNetwork;
  private readonly chain: ChainApi;
  private readonly core: Pick<Core, 'sha256d'>;
  private readonly mempool: MempoolLike | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sched: BlockScheduler;
  private readonly peerStates = new Map<number, PeerState>();
  private readonly headerQ = new SerialQueue();
  private readonly blockQ = new SerialQueue();
  private readonly recentBlocks = new RecentSet(4_096);
  /** Requested blocks received and waiting for validation: not to be asked for again meanwhile. */
  private readonly processing = new Set<string>();
  /** "peerId:hash" of blocks asked for recently, so a late delivery after a stall is not taken for a flood. */
  private readonly askedFrom = new RecentSet(8_192);
  private queuedBytes = 0;
  /** Missing blocks not yet asked for, lowest first: refilled from chain.missingBlocks only when empty. */
  private todo: Candidate[] = [];
  /** Header tip the todo list was built against. */
  private todoTip = '';
  /** The last scan returned every missing block: no new scan until something changes. */
  private scanComplete = false;
  private readonly recentTxs = new RecentSet(16_384);
  private readonly rate = new RateMeter(20_000);
  private readonly progressCbs = new Set<(p: SyncProgress) => void>();
  private session: HeaderSession | null = null;
  private running = false;
  private registered = false;
  private timers: TimerHandle[] = [];
  private pumping = false;
  private pumpAgain = false;
  private lastEmit = 0;
  private lastSyncing = false;
  private readonly c: Counters = {
    headersReceived: 0,
    headersAdded: 0,
    headerRequests: 0,
    forkWalks: 0,
    blocksRequested: 0,
    blocksReceived: 0,
    blocksConnected: 0,
    blocksInvalid: 0,
    blocksUnsolicited: 0,
    blocksDuplicate: 0,
    stalls: 0,
    reRequested: 0,
    relayedBlocks: 0,
    txsReceived: 0,
    txsAccepted: 0,
    relayedTxs: 0,
    penalties: 0,
    servedHeaders: 0,
    servedBlocks: 0,
  };

  constructor(deps: SyncManagerDeps) {
    this.net = deps.net;
    this.chain = deps.chain;
    this.core = deps.core;
    this.mempool = deps.mempool;
    this.clock = deps.clock;
    this.log = deps.logger ?? silentLogger;
    this.opts = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
    this.opts.headerBatch = Math.min(this.opts.headerBatch, MAX_HEADERS_PER_MSG);
    this.sched = new BlockScheduler(this.opts);
  }

  /** Block hash = sha256d of its first HEADER_SIZE bytes. */
  private blockHash(block: Uint8Array): Uint8Array {
    return this.core.sha256d(block.subarray(0, HEADER_SIZE));
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.registered) this.register();
    const now = this.clock.now();
    for (const p of this.net.peers()) this.addPeer(p, now);
    this.rate.add(now, this.chain.tip().height);
    this.timers.push(this.clock.setInterval(() => this.check(), this.opts.checkMs));
    this.timers.push(this.clock.setInterval(() => this.tick(), this.opts.tickMs));
    this.tick();
  }

  /** Stops timers and requests; resolves once queued chain work has finished (then the chain may close). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers) this.clock.clearInterval(t);
    this.timers = [];
    this.session = null;
    this.sched.clear();
    this.processing.clear();
    this.resetTodo();
    await Promise.all([this.headerQ.idle(), this.blockQ.idle(), ...[...this.peerStates.values()].map((s) => s.serve.idle())]);
  }

  /** Check for a better chain now (also runs every tickMs). */
  syncNow(): void {
    this.tick();
  }

  // ------------------------------------------------------------------ reporting

  progress(): SyncProgress {
    const tip = this.chain.tip().height;
    const headers = this.chain.headerTip().height;
    let best = headers;
    let peers = 0;
    for (const s of this.peerStates.values()) {
      if (!this.sched.hasStanding(s.peer.id)) continue;
      peers++;
      if (s.peer.height > best) best = s.peer.height;
    }
    const rate = this.rate.rate();
    const left = best - tip;
    return {
      headers,
      blocks: tip,
      targetHeight: best,
      rateBlocksPerSec: Math.round(rate * 100) / 100,
      etaSec: left <= 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
      syncing: left > 0,
      peers,
    };
  }

  /** Progress callback, called at most every progressIntervalMs and on start/finish of a sync; returns an unsubscribe. */
  onProgress(cb: (p: SyncProgress) => void): () => void {
    this.progressCbs.add(cb);
    return () => this.progressCbs.delete(cb);
  }

  stats(): SyncStats {
    return {
      ...this.c,
      inFlight: this.sched.inFlightCount,
      queuedBlocks: this.blockQ.size,
      queuedBytes: this.queuedBytes,
      headerPeer: this.session?.peer.id ?? null,
      peers: this.sched.peerViews(),
    };
  }

  // ------------------------------------------------------------------ local submissions

  /** A block made here (miner) or given by the API: validate, store, relay to every peer. */
  async submitBlock(bytes: Uint8Array): Promise<AddBlockResult> {
    const res = await this.blockQ.run(() => this.chain.addBlock(bytes));
    if (res.status === 'connected' || res.status === 'reorg') this.relayBlock(bytes);
    this.emitProgress(false);
    return res;
  }

  /** Sends an already-stored block to every peer that has not seen it (e.g. the miner added it itself). */
  relayBlock(bytes: Uint8Array, from?: Peer): number {
    const key = toHex(this.blockHash(bytes));
    this.recentBlocks.add(key);
    const n = this.net.broadcast({ type: MsgType.BLOCK, block: bytes }, { exclude: from, key });
    this.c.relayedBlocks += n;
    return n;
  }

  /** A transaction from the API: into the mempool, relayed to every peer when accepted. */
  async submitTx(bytes: Uint8Array): Promise<MempoolAddResult> {
    if (!this.mempool) return { accepted: false, code: 'no-mempool', reason: 'node has no mempool' };
    const res = await this.mempool.add(bytes);
    if (res.accepted) {
      const key = toHex(this.core.sha256d(bytes));
      this.recentTxs.add(key);
      this.c.relayedTxs += this.net.broadcast({ type: MsgType.TX, tx: bytes }, { key });
    }
    return res;
  }

  /**
   * Someone else's message announced a block (e.g. BLOOM, owned by gossip): an unknown hash is fetched
   * from that peer, a higher height starts header sync with it.
   */
  async announce(peer: Peer, info: { hash?: Uint8Array; height?: number }): Promise<void> {
    if (!this.running) return;
    if (info.height !== undefined) this.raiseHeight(peer, info.height);
    if (info.hash && !(await this.chain.hasBlock(info.hash))) {
      this.askedFrom.add(`${peer.id}:${toHex(info.hash)}`);
      this.net.send(peer, { type: MsgType.GETDATA, hashes: [info.hash] });
    }
    if (info.height !== undefined && info.height > this.chain.headerTip().height) this.startHeaderSync(peer);
  }

  // ------------------------------------------------------------------ wiring

  private register(): void {
    this.registered = true;
    this.net.on(MsgType.GETBLOCKS, (peer, msg) => this.onGetBlocks(peer, msg));
    this.net.on(MsgType.BLOCKS, (peer, msg) => this.onBlocks(peer, msg));
    this.net.on(MsgType.GETDATA, (peer, msg) => this.onGetData(peer, msg));
    this.net.on(MsgType.BLOCK, (peer, msg) => this.onBlock(peer, msg.block));
    this.net.on(MsgType.TX, (peer, msg) => this.onTx(peer, msg.tx));
    this.net.onPeerReady((peer) => {
      if (!this.running) return;
      this.addPeer(peer, this.clock.now());
      // seed 1.3: a VERSION with a higher chain starts sync at once
      this.startHeaderSync(peer);
      this.pump();
      this.emitProgress(false);
    });
    this.net.onPeerClosed((peer) => {
      if (this.sched.removePeer(peer.id) > 0) this.resetTodo();
      this.peerStates.delete(peer.id);
      if (!this.running) return;
      if (this.session?.peer.id === peer.id) this.endSession('peer closed');
      this.pump();
    });
    this.chain.onTip((c) => {
      this.rate.add(this.clock.now(), this.chain.tip().height);
      if (c.disconnected.length > 0) this.relayReturned(c);
      this.emitProgress(false);
    });
  }

  /** After a reorg the undone blocks' txs are back in the mempool (it listens first); the new branch's miners never saw them. */
  private relayReturned(c: TipChange): void {
    if (!this.running || !this.mempool?.has) return;
    for (const b of c.disconnected) {
      for (const t of b.txs) {
        const tx = encodeTx(t);
        const id = this.core.sha256d(tx);
        if (!this.mempool.has(id)) continue;
        this.c.relayedTxs += this.net.broadcast({ type: MsgType.TX, tx }, { key: toHex(id) });
      }
    }
  }

  private addPeer(peer: Peer, now: number): PeerState {
    let s = this.peerStates.get(peer.id);
    if (!s) {
      s = { peer, knownTip: -1, claimed: peer.height, headerBackoffUntil: 0, headerStalls: 0, serve: new SerialQueue(), unsolicited: 0, unsolicitedSince: now, staleReplies: 0 };
      this.peerStates.set(peer.id, s);
    }
    this.sched.addPeer(peer.id, peer.height, now);
    return s;
  }

  /** A closed peer's late work gets a throwaway state: only onPeerReady/start register peers (no leak). */
  private state(peer: Peer): PeerState {
    return (
      this.peerStates.get(peer.id) ?? {
        peer,
        knownTip: -1,
        claimed: peer.height,
        headerBackoffUntil: 0,
        headerStalls: 0,
        serve: new SerialQueue(),
        unsolicited: 0,
        unsolicitedSince: this.clock.now(),
        staleReplies: 0,
      }
    );
  }

  private penalize(peer: Peer, points: number, reason: string): void {
    this.c.penalties++;
    this.log.debug({ peer: peer.address, points, reason }, 'sync penalty');
    // zero points still goes through: the peer layer counts every reason
    this.net.misbehave(peer, points, reason);
  }

  /** Peers claim heights in VERSION; headers and blocks they send can only raise the claim. */
  private raiseHeight(peer: Peer, height: number): void {
    if (height > peer.height) peer.height = height;
    this.sched.setHeight(peer.id, peer.height);
  }

  private loseStanding(peer: Peer, points: number, reason: string): void {
    this.log.info({ peer: peer.address, reason }, 'peer loses sync standing');
    this.sched.revokeStanding(peer.id);
    this.resetTodo();
    this.penalize(peer, points, reason);
    if (this.session?.peer.id === peer.id) this.endSession(reason);
    this.pump();
  }

  // ------------------------------------------------------------------ timers

  private tick(): void {
    if (!this.running) return;
    this.startHeaderSync();
    this.pump();
    this.emitProgress(true);
  }

  private check(): void {
    if (!this.running) return;
    const now = this.clock.now();
    this.rate.add(now, this.chain.tip().height);
    const stalls = this.sched.checkTimeouts(now);
    for (const st of stalls) {
      this.c.stalls++;
      this.c.reRequested += st.released;
      const s = this.peerStates.get(st.peerId);
      this.log.warn({ peer: s?.peer.address, reason: st.reason, released: st.released }, 'block download stalled');
      if (st.lostStanding && s) this.loseStanding(s.peer, PENALTY.stalled, 'sync-stalled');
    }
    const sess = this.session;
    if (sess && sess.outstanding.length > 0 && now - sess.outstanding[0]!.sentAt > this.opts.headerTimeoutMs) {
      const s = this.state(sess.peer);
      s.headerBackoffUntil = now + this.opts.stallBackoffMs;
      s.headerStalls++;
      this.c.stalls++;
      this.log.warn({ peer: sess.peer.address }, 'header request timed out');
      this.endSession('header timeout');
      if (s.headerStalls >= this.opts.maxStalls) this.loseStanding(sess.peer, PENALTY.stalled, 'sync-header-stalled');
      this.startHeaderSync();
    }
    if (stalls.length > 0) {
      this.resetTodo();
      this.pump();
    }
    this.emitProgress(false);
  }

  private emitProgress(force: boolean): void {
    if (this.progressCbs.size === 0) return;
    const now = this.clock.now();
    const p = this.progress();
    const flipped = p.syncing !== this.lastSyncing;
    if (!force && !flipped && now - this.lastEmit < this.opts.progressIntervalMs) return;
    this.lastEmit = now;
    this.lastSyncing = p.syncing;
    for (const cb of this.progressCbs) {
      try {
        cb(p);
      } catch (err) {
        this.log.error({ err }, 'progress callback threw');
      }
    }
  }

  // ------------------------------------------------------------------ serving peers

  private serve(peer: Peer, what: string, fn: () => Promise<void>): void {
    if (!this.running) return;
    const s = this.state(peer);
    if (s.serve.size >= this.opts.serveQueueCap) {
      this.penalize(peer, PENALTY.serveFlood, `sync-serve-flood:${what}`);
      return;
    }
    s.serve.run(fn).catch((err: unknown) => this.log.error({ err, what }, 'serving a peer failed'));
  }

  private onGetBlocks(peer: Peer, msg: GetBlocksMsg): void {
    const count = Math.min(msg.count, MAX_HEADERS_PER_MSG);
    this.serve(peer, 'getblocks', async () => {
      const headers = count > 0 ? await this.chain.getHeadersRange(msg.start, count) : [];
      if (headers.length > count) headers.length = count;
      if (this.net.send(peer, { type: MsgType.BLOCKS, headers })) this.c.servedHeaders += headers.length;
    });
  }

  private onGetData(peer: Peer, msg: GetDataMsg): void {
    const hashes = msg.hashes.slice(0, this.opts.getDataCap);
    this.serve(peer, 'getdata', async () => {
      for (const h of hashes) {
        const block = await this.chain.getBlockBytes(h);
        if (!block) continue;
        if (!this.net.send(peer, { type: MsgType.BLOCK, block })) break;
        this.net.markSeen(peer, toHex(h));
        this.c.servedBlocks++;
      }
    });
  }

  // ------------------------------------------------------------------ headers

  /** Picks the best peer ahead of us (chain work, then height) and asks it for headers; one session at a time. */
  private startHeaderSync(prefer?: Peer): void {
    if (!this.running || this.session) return;
    const ht = this.chain.headerTip();
    const now = this.clock.now();
    let best: PeerState | undefined;
    for (const s of this.peerStates.values()) {
      if (!this.isAhead(s, ht.height, ht.chainWork, now)) continue;
      if (prefer && s.peer.id === prefer.id) {
        best = s;
        break;
      }
      if (!best || s.peer.chainWork > best.peer.chainWork || (s.peer.chainWork === best.peer.chainWork && s.peer.height > best.peer.height)) best = s;
    }
    if (!best) return;
    const peer = best.peer;
    const start = Math.max(1, Math.min(ht.height + 1, peer.height));
    this.session = { peer, nextStart: start, outstanding: [], replies: new Map(), walk: 0, walking: false, lastFull: false };
    this.log.debug({ peer: peer.address, start, height: peer.height }, 'header sync');
    this.fillHeaderRequests(this.session);
  }

  private isAhead(s: PeerState, height: number, work: bigint, now: number): boolean {
    const p = s.peer;
    if (!this.sched.hasStanding(p.id) || now < s.headerBackoffUntil || p.height <= s.knownTip) return false;
    return p.height > height || p.chainWork > work;
  }

  private sendGetBlocks(sess: HeaderSession, start: number): void {
    sess.outstanding.push({ start, sentAt: this.clock.now() });
    sess.nextStart = start + this.opts.headerBatch;
    this.c.headerRequests++;
    this.net.send(sess.peer, { type: MsgType.GETBLOCKS, start, count: this.opts.headerBatch });
  }

  private fillHeaderRequests(sess: HeaderSession): void {
    if (this.session !== sess) return;
    const limit = sess.walking ? 1 : Math.max(1, this.opts.headerPipeline);
    while (sess.outstanding.length < limit) {
      const claim = sess.peer.height;
      // past the claimed height only when the last reply was full (the claim may be stale)
      if (sess.nextStart > claim && !(sess.lastFull && sess.outstanding.length === 0)) break;
      this.sendGetBlocks(sess, sess.nextStart);
      if (sess.nextStart - this.opts.headerBatch > claim) break;
    }
    if (sess.outstanding.length === 0) this.endSession('done');
  }

  private endSession(reason: string): void {
    const sess = this.session;
    if (!sess) return;
    this.session = null;
    this.dropOutstanding(sess);
    this.log.debug({ peer: sess.peer.address, reason }, 'header session ended');
    if (this.running) this.startHeaderSync();
  }

  private dropOutstanding(sess: HeaderSession): void {
    const s = this.peerStates.get(sess.peer.id);
    if (s) s.staleReplies += sess.outstanding.filter((r) => !sess.replies.has(r.start)).length;
    sess.outstanding = [];
    sess.replies.clear();
  }

  private onBlocks(peer: Peer, msg: BlocksMsg): void {
    if (!this.running) return;
    const headers = msg.headers;
    this.c.headersReceived += headers.length;
    void this.headerQ
      .run(() => this.onHeaders(peer, headers))
      .catch((err: unknown) => this.log.error({ err }, 'header processing failed'));
  }

  private async onHeaders(peer: Peer, headers: Uint8Array[]): Promise<void> {
    if (!this.running) return;
    const sess = this.session;
    if (!sess || sess.peer.id !== peer.id) return this.onUnsolicitedHeaders(peer, headers);
    let start: number;
    if (headers.length > 0) {
      if (headers[0]!.length !== HEADER_SIZE) return this.badRange(sess, 'header size');
      start = headerHeight(headers[0]!);
    } else {
      // an empty reply carries no height: it answers the highest request still open
      const open = sess.outstanding.filter((r) => !sess.replies.has(r.start));
      start = open.length > 0 ? open[open.length - 1]!.start : -1;
    }
    if (!sess.outstanding.some((r) => r.start === start) || sess.replies.has(start)) return this.onUnsolicitedHeaders(peer, headers);

    sess.replies.set(start, headers);
    while (this.session === sess && sess.outstanding.length > 0 && sess.replies.has(sess.outstanding[0]!.start)) {
      const req = sess.outstanding.shift()!;
      const hs = sess.replies.get(req.start)!;
      sess.replies.delete(req.start);
      await this.processHeaderReply(sess, req.start, hs);
    }
    if (this.session === sess && sess.outstanding.length < (sess.walking ? 1 : this.opts.headerPipeline)) this.fillHeaderRequests(sess);
  }

  private badRange(sess: HeaderSession, what: string): void {
    this.penalize(sess.peer, PENALTY.headersBadRange, `sync-headers-bad-range:${what}`);
    this.loseStanding(sess.peer, 0, 'sync-headers-bad-range');
  }

  private async processHeaderReply(sess: HeaderSession, start: number, hs: Uint8Array[]): Promise<void> {
    const peer = sess.peer;
    const s = this.state(peer);
    if (hs.length === 0) {
      if (start <= s.claimed) return this.loseStanding(peer, PENALTY.cannotServe, 'sync-cannot-serve-claimed-height');
      if (start <= peer.height) {
        // it relayed a block it has not connected yet (e.g. mid-reorg after a partition): ask again shortly, no penalty
        s.headerBackoffUntil = this.clock.now() + this.opts.checkMs;
        return this.endSession('peer has not connected the block it relayed');
      }
      if (start - 1 > s.knownTip) s.knownTip = start - 1;
      return this.endSession('peer has no more');
    }
    if (hs.length > MAX_HEADERS_PER_MSG) return this.badRange(sess, 'too many');
    for (let i = 0; i < hs.length; i++) {
      if (hs[i]!.length !== HEADER_SIZE || headerHeight(hs[i]!) !== start + i) return this.badRange(sess, `height at ${i}`);
    }
    const res = await this.chain.addHeaders(hs);
    if (this.session !== sess) return;
    this.c.headersAdded += res.added;
    if (res.code === 'unknown-parent' && res.added === 0) {
      // a fork below `start`: ask for earlier ranges, doubling the distance, until one connects
      if (start <= 1 || sess.walk >= this.opts.maxForkWalk) {
        return this.loseStanding(peer, PENALTY.headersUnconnected, 'sync-headers-do-not-connect');
      }
      const back = this.opts.headerBatch * 2 ** sess.walk;
      sess.walk++;
      sess.walking = true;
      this.dropOutstanding(sess);
      this.c.forkWalks++;
      this.sendGetBlocks(sess, Math.max(1, start - back));
      return;
    }
    if (res.code) {
      this.log.info({ peer: peer.address, code: res.code, reason: res.reason }, 'invalid headers');
      const points = BENIGN_BLOCK_CODES.has(res.code) ? 0 : PENALTY.headersInvalid;
      return this.loseStanding(peer, points, `sync-headers-invalid:${res.code}`);
    }
    sess.walk = 0;
    sess.walking = false;
    const last = start + hs.length - 1;
    if (last > s.knownTip) s.knownTip = last;
    if (last > s.claimed) s.claimed = last;
    this.raiseHeight(peer, last);
    sess.lastFull = hs.length >= this.opts.headerBatch;
    if (res.added > 0) this.pump();
    this.emitProgress(false);
  }

  /** Headers nobody asked for (announcements, or replies that arrived after a walk-back): used if they connect. */
  private async onUnsolicitedHeaders(peer: Peer, hs: Uint8Array[]): Promise<void> {
    const s = this.state(peer);
    if (s.staleReplies > 0) {
      s.staleReplies--;
      return;
    }
    // a peer that lost its standing is not listened to for headers
    if (!this.sched.hasStanding(peer.id)) return;
    if (hs.length === 0 || hs.length > MAX_HEADERS_PER_MSG || hs.some((h) => h.length !== HEADER_SIZE)) return;
    if (!this.noteUnsolicited(peer)) return;
    const res = await this.chain.addHeaders(hs);
    this.c.headersAdded += res.added;
    const last = headerHeight(hs[hs.length - 1]!);
    if (res.code === 'unknown-parent') {
      this.raiseHeight(peer, last);
      this.startHeaderSync(peer);
    } else if (res.code) {
      this.penalize(peer, BENIGN_BLOCK_CODES.has(res.code) ? 0 : PENALTY.headersInvalid, `sync-headers-invalid:${res.code}`);
    } else {
      this.raiseHeight(peer, last);
      if (res.added > 0) this.pump();
    }
  }

  /** Counts messages that brought nothing; over the per-minute limit the peer gets points. False = drop it. */
  private noteUnsolicited(peer: Peer): boolean {
    const s = this.state(peer);
    const now = this.clock.now();
    if (now - s.unsolicitedSince > 60_000) {
      s.unsolicitedSince = now;
      s.unsolicited = 0;
    }
    s.unsolicited++;
    if (s.unsolicited > this.opts.unsolicitedLimit) {
      if (s.unsolicited === this.opts.unsolicitedLimit + 1) this.penalize(peer, PENALTY.unsolicitedFlood, 'sync-unsolicited-flood');
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ blocks

  /** Asks peers with free window slots for the next missing blocks of the best header chain. */
  private pump(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pumpLoop()
      .catch((err: unknown) => this.log.error({ err }, 'block scheduling failed'))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain && this.running) this.pump();
      });
  }

  /** Forget the to-do list: hashes were released, or the header chain or tip moved unexpectedly. */
  private resetTodo(): void {
    this.todo = [];
    this.scanComplete = false;
  }

  private async pumpLoop(): Promise<void> {
    for (let round = 0; round < 8 && this.running; round++) {
      this.pumpAgain = false;
      const now = this.clock.now();
      for (const s of this.peerStates.values()) this.sched.setHeight(s.peer.id, s.peer.height);
      const cap = this.sched.capacity(now);
      if (cap === 0 || this.queuedBytes >= this.opts.maxQueuedBytes) return;
      const ht = this.chain.headerTip();
      const tip = this.chain.tip();
      if (ht.height === tip.height && toHex(ht.hash) === toHex(tip.hash)) return;
      const htKey = toHex(ht.hash);
      if (htKey !== this.todoTip) this.resetTodo();
      this.todo = this.todo.filter((c) => !this.processing.has(c.key!) && !this.sched.isInFlight(c.key!));
      if (this.todo.length === 0) {
        if (this.scanComplete) return;
        // a scan of the header chain costs one store read per height: done per lookahead, not per block
        const want = Math.min(this.sched.inFlightCount + this.processing.size + this.opts.lookahead, this.opts.maxLookahead);
        const raw = await this.chain.missingBlocks(want);
        if (!this.running) return;
        this.todoTip = htKey;
        this.scanComplete = raw.length < want;
        for (const m of raw) {
          const key = toHex(m.hash);
          if (!this.processing.has(key) && !this.sched.isInFlight(key)) this.todo.push({ height: m.height, hash: m.hash, key });
        }
        if (this.todo.length === 0) return;
      }
      for (const a of this.sched.assign(this.todo, this.clock.now(), this.processing.size)) {
        const s = this.peerStates.get(a.peerId);
        if (!s) continue;
        this.c.blocksRequested += a.hashes.length;
        for (const h of a.hashes) this.askedFrom.add(`${a.peerId}:${toHex(h)}`);
        this.net.send(s.peer, { type: MsgType.GETDATA, hashes: a.hashes });
      }
      if (!this.pumpAgain) return;
    }
  }

  private onBlock(peer: Peer, block: Uint8Array): void {
    if (!this.running) return;
    if (block.length < HEADER_SIZE) return this.penalize(peer, PENALTY.malformedBlock, 'sync-block-short');
    const hash = this.blockHash(block);
    const key = toHex(hash);
    const height = headerHeight(block);
    this.net.markSeen(peer, key);
    this.c.blocksReceived++;
    const r = this.sched.received(key, peer.id, this.clock.now());
    if (!r.requested) {
      // a late answer to a request given up on (stall): not the peer's fault, but nothing new either
      if (this.processing.has(key) || this.askedFrom.has(`${peer.id}:${key}`)) {
        if (this.processing.has(key) || this.recentBlocks.has(key)) return;
      } else {
        this.c.blocksUnsolicited++;
        if (this.recentBlocks.has(key)) {
          this.c.blocksDuplicate++;
          this.noteUnsolicited(peer);
          return;
        }
      }
      if (this.blockQ.size >= this.opts.maxQueuedBlocks || this.queuedBytes >= this.opts.maxQueuedBytes) return;
    } else this.processing.add(key);
    this.queuedBytes += block.length;
    void this.blockQ
      .run(() => this.processBlock(peer, block, key, height, r.requested))
      .catch((err: unknown) => this.log.error({ err }, 'block processing failed'))
      .finally(() => {
        this.queuedBytes -= block.length;
        if (r.requested) this.processing.delete(key);
      });
    if (r.requested) this.pump();
  }

  private async processBlock(peer: Peer, block: Uint8Array, key: string, height: number, requested: boolean): Promise<void> {
    if (!this.running) return;
    const res = await this.chain.addBlock(block);
    if (!this.running) return;
    if (res.status !== 'invalid' && res.status !== 'orphan') this.recentBlocks.add(key);
    switch (res.status) {
      case 'connected':
      case 'reorg':
        this.c.blocksConnected++;
        this.raiseHeight(peer, height);
        // historical blocks fetched during sync are not relayed; a new tip is
        if (!requested || res.height >= this.progress().targetHeight) this.relayBlock(block, peer);
        break;
      case 'side':
        this.raiseHeight(peer, height);
        break;
      case 'duplicate':
        if (!requested) {
          this.c.blocksDuplicate++;
          this.noteUnsolicited(peer);
        }
        break;
      case 'orphan':
        if (requested) this.resetTodo();
        // a block above what we know: the sender has a chain we lack, fetch its headers
        if (height <= this.chain.headerTip().height && !this.noteUnsolicited(peer)) break;
        this.raiseHeight(peer, height);
        this.startHeaderSync(peer);
        break;
      case 'invalid': {
        this.c.blocksInvalid++;
        this.resetTodo();
        const code = res.code ?? 'invalid';
        this.log.info({ peer: peer.address, height, code, reason: res.reason }, 'invalid block');
        this.penalize(peer, BENIGN_BLOCK_CODES.has(code) ? 0 : PENALTY.invalidBlock, `sync-block-invalid:${code}`);
        break;
      }
    }
    if (requested || res.status === 'connected' || res.status === 'reorg') this.pump();
    this.emitProgress(false);
  }

  // ------------------------------------------------------------------ transactions

  private onTx(peer: Peer, tx: Uint8Array): void {
    if (!this.running || !this.mempool) return;
    this.c.txsReceived++;
    if (tx.length !== TX_SIZE) return this.penalize(peer, PENALTY.invalidTx, 'sync-tx-size');
    const key = toHex(this.core.sha256d(tx));
    this.net.markSeen(peer, key);
    if (this.recentTxs.has(key)) return;
    void (async () => {
      const res = await this.mempool!.add(tx);
      if (!this.running) return;
      if (res.accepted) {
        this.recentTxs.add(key);
        this.c.txsAccepted++;
        this.c.relayedTxs += this.net.broadcast({ type: MsgType.TX, tx }, { exclude: peer, key });
        return;
      }
      if (FINAL_TX_CODES.has(res.code ?? '')) this.recentTxs.add(key);
      if (BAD_TX_CODES.has(res.code ?? '')) this.penalize(peer, PENALTY.invalidTx, `sync-tx-invalid:${res.code}`);
    })().catch((err: unknown) => this.log.error({ err }, 'tx processing failed'));
  }
}
