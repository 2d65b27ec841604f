// Header-first sync from many peers, parallel block download, continuous sync, relay of blocks and txs.
// Talks to peers only through PeerNetwork messages; time only through the injected Clock.
import { HEADER_SIZE, MAINNET, MAX_HEADERS_PER_MSG, outboundTimings } from '../constants.js';
import { encodeHeader } from '../chain/header.js';
import { equalBytes } from '../bytes.js';
import type { AddBlockResult, ChainApi } from '../chain/types.js';
import type { Core } from '../core/types.js';
import { silentLogger, type Logger } from '../log.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { TxRelay, type MempoolLike } from '../mempool/relay.js';
import type { MempoolAddResult } from '../mempool/types.js';
import { MsgType, type BlocksMsg } from '../wire/types.js';
import { ReceivedBlock } from '../chain/received.js';
import { BoundedSet } from '../bounded-set.js';
import { toHex } from '../bytes.js';
import { isErrorCode, verdictOf, type ErrorCode } from '../errors.js';
import { considerEviction, SyncPeers, type SyncPeer } from './peers.js';
import { BlockScheduler, DEFAULT_SCHEDULER_OPTIONS, type Candidate, type PeerSchedView, type SchedulerOptions } from './scheduler.js';
import { headerRunWork } from './headerwork.js';
import { BlockServer, type ServeOptions } from './serve.js';
import { ProgressFeed, type SyncProgress } from './progress.js';
import { AskLog, headerHeight, SerialQueue } from './util.js';

export { PENALTY } from './peers.js';
export type { SyncProgress } from './progress.js';

export interface SyncOptions extends SchedulerOptions, ServeOptions {
  /** Continuous sync check (seed 3.7: every 10 s). */
  tickMs: number;
  /** Timeout sweep. */
  checkMs: number;
  /** Headers per GETBLOCKS (≤ MAX_HEADERS_PER_MSG). */
  headerBatch: number;
  /** GETBLOCKS in flight to the header peer once it has delivered (2 before: a claim is not trusted yet). */
  headerPipeline: number;
  /** A peer that never backed its claim with headers and leaves a request unanswered this long loses standing. */
  claimTimeoutMs: number;
  /** A session peer that has backed nothing and left its first request this long: the other peers ahead are probed. */
  probeAfterMs: number;
  /** A header request unanswered this long stalls the header peer (seed: 30 s per request). */
  headerTimeoutMs: number;
  /** Headers of a lighter fork held in memory (not stored) while it may still overtake ours; past it the peer loses standing. */
  maxPresyncHeaders: number;
  /** Walk-back steps (each doubling the distance) to find a fork point before giving up on a peer. */
  maxForkWalk: number;
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
  /** An outbound peer whose chain stays below our tip's work this long is asked for headers (default: the chain's network, constants.ts). */
  chainSyncTimeoutMs: number;
  /** ... and reported useless to the peer layer if it has not caught up this long after. */
  headersResponseMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = Object.freeze({
  ...DEFAULT_SCHEDULER_OPTIONS,
  tickMs: 10_000,
  checkMs: 1_000,
  headerBatch: MAX_HEADERS_PER_MSG,
  headerPipeline: 4,
  headerTimeoutMs: 30_000,
  claimTimeoutMs: 5_000,
  probeAfterMs: 1_000,
  maxForkWalk: 10,
  maxPresyncHeaders: 8_000,
  getDataCap: 16,
  // the seed's 10 or more: what a peer serves per GETDATA (getDataCap), so fewer messages per block
  batchSize: 16,
  // the burst covers a whole 100k-block devnet IBD from us (≈ 42 MB of blocks + 12 MB of headers); past it 4 MiB/s
  uploadBytesPerSec: 4 << 20,
  uploadBurstBytes: 64 << 20,
  serveQueueCap: 32,
  unsolicitedLimit: 20,
  maxQueuedBlocks: 1_280,
  maxQueuedBytes: 64 << 20,
  lookahead: 512,
  maxLookahead: 4_096,
  progressIntervalMs: 500,
  chainSyncTimeoutMs: outboundTimings(MAINNET).chainSyncTimeoutMs,
  headersResponseMs: outboundTimings(MAINNET).headersResponseMs,
});

export interface SyncStats {
  headersReceived: number;
  headersAdded: number;
  /** Headers refused unstored: a fork with no more work than our chain above its fork point. */
  headersLowWork: number;
  headerRequests: number;
  /** GETBLOCKS probes sent to peers ahead of us beside the header session. */
  headerProbes: number;
  forkWalks: number;
  blocksRequested: number;
  /** GETDATA messages sent (batches, plus single fetches for announced blocks). */
  getDataSent: number;
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
  txsRejectCached: number;
  penalties: number;
  servedHeaders: number;
  servedBlocks: number;
  /** Waits in answering GETBLOCKS/GETDATA: the peer's upload budget was spent. */
  servedThrottled: number;
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

interface HeaderSession {
  peer: Peer;
  nextStart: number;
  outstanding: { start: number; sentAt: number }[];
  /** A lighter fork's headers so far, held unstored until they carry more work than ours (bounded). */
  presync: Uint8Array[];
  /** Header replies this peer has delivered in the session (the pipeline deepens after the first). */
  delivered: number;
  /** Replies that came before an earlier one (a peer may answer out of order). */
  replies: Map<number, Uint8Array[]>;
  walk: number;
  walking: boolean;
  lastFull: boolean;
  /** When the last reply of this session arrived (0: none yet). */
  lastReplyAt: number;
}

/** Most blocks handed to the chain in one addBlocks call (its consecutive runs connect in one batch each). */
const CHAIN_BATCH = 500;

interface FeedJob {
  block: ReceivedBlock;
  height: number;
  /** A block we asked for may wait above a gap; a pushed one (a new tip, a relay) never waits. */
  held: boolean;
  peer: Peer;
  key: string;
  /** It was in flight (asked for by us). */
  requested: boolean;
}

type Counters = Omit<
  SyncStats,
  'inFlight' | 'queuedBlocks' | 'queuedBytes' | 'headerPeer' | 'peers' | 'txsReceived' | 'txsAccepted' | 'relayedTxs' | 'txsRejectCached' | 'penalties' | 'servedHeaders' | 'servedBlocks' | 'servedThrottled'
>;

export class SyncManager {
  readonly opts: SyncOptions;
  private readonly net: PeerNetwork;
  private readonly chain: ChainApi;
  private readonly core: Pick<Core, 'sha256d'>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sched: BlockScheduler;
  private readonly peers: SyncPeers;
  private readonly server: BlockServer;
  private readonly txRelay: TxRelay;
  private readonly headerQ = new SerialQueue();
  private readonly blockQ = new SerialQueue();
  private readonly recentBlocks = new BoundedSet<string>(4_096);
  /** Hash → code of blocks found invalid for that hash (not a body a relayer could have mangled): dropped unchecked. */
  private readonly rejectedBlocks = new Map<string, string>();
  /** Blocks received and waiting for the chain: not to be asked for again meanwhile. */
  private readonly processing = new Set<string>();
  /** Which peers were asked for which blocks recently, so a late delivery after a stall is not taken for a flood. */
  private readonly askedFrom = new AskLog(8_192);
  private queuedBytes = 0;
  /** Blocks processed since the current missing-block scan began (cleared at each scan: bounded by it). */
  private readonly storedSinceScan = new Set<string>();
  /** Received blocks waiting for the chain, by height (a block above a gap waits while a lower one is in flight). */
  private readonly chainFeed: FeedJob[] = [];
  /** An addBlocks call is running (one at a time: the chain writes each batch behind, so the next call overlaps it). */
  private inChain = false;
  /** Received blocks not yet handled after the chain's verdict, and who waits for none to be left (stop). */
  private feedPending = 0;
  private readonly feedWaiters: (() => void)[] = [];
  /** When the header tip last got ahead of the block tip in work (0: it is not). */
  private waitSince = 0;
  /** Hash → when it was asked of a peer that announced it (BLOOM): one fetch per block, not one per announcer. */
  private readonly announcedAsks = new Map<string, number>();
  /** Missing blocks not yet asked for, lowest first: refilled from chain.missingBlocks only when empty. */
  private todo: Candidate[] = [];
  /** Entries of `todo` before this index were handed out (trimmed by index: no copy of the list per round). */
  private todoAt = 0;
  /** Header tip the todo list was built against. */
  private todoTip: Uint8Array | null = null;
  /** The last scan returned every missing block: no new scan until something changes. */
  private scanComplete = false;
  /**
   * Height the next scan starts at: what lies below was handed out by earlier scans and is in flight,
   * queued or stored (anything that could make it missing again, a stall, a failure, resets the list).
   */
  private scanFrom = 0;
  private readonly feed: ProgressFeed;
  private session: HeaderSession | null = null;
  private running = false;
  private registered = false;
  private timers: TimerHandle[] = [];
  private pumping = false;
  private pumpAgain = false;
  /** pump() returned without asking because headers were flowing: the next sweep or session end asks again. */
  private blocksHeld = false;
  private readonly c: Counters = {
    headersReceived: 0,
    headersAdded: 0,
    headersLowWork: 0,
    headerRequests: 0,
    headerProbes: 0,
    forkWalks: 0,
    blocksRequested: 0,
    getDataSent: 0,
    blocksReceived: 0,
    blocksConnected: 0,
    blocksInvalid: 0,
    blocksUnsolicited: 0,
    blocksDuplicate: 0,
    stalls: 0,
    reRequested: 0,
    relayedBlocks: 0,
  };

  constructor(deps: SyncManagerDeps) {
    this.net = deps.net;
    this.chain = deps.chain;
    this.core = deps.core;
    this.clock = deps.clock;
    this.log = deps.logger ?? silentLogger;
    const t = outboundTimings(deps.chain.profile ?? MAINNET); // test doubles of the chain may carry no profile
    this.opts = { ...DEFAULT_SYNC_OPTIONS, chainSyncTimeoutMs: t.chainSyncTimeoutMs, headersResponseMs: t.headersResponseMs, ...deps.options };
    this.opts.headerBatch = Math.min(this.opts.headerBatch, MAX_HEADERS_PER_MSG);
    this.sched = new BlockScheduler(this.opts);
    this.feed = new ProgressFeed(this.clock, this.log, this.opts.progressIntervalMs, () => this.progressInputs());
    this.peers = new SyncPeers(this.net, this.clock, this.log, this.opts.unsolicitedLimit);
    this.server = new BlockServer(this.net, this.chain, this.peers, this.clock, this.log, this.opts);
    this.txRelay = new TxRelay({ net: this.net, core: this.core, mempool: deps.mempool, log: this.log, penalize: (p, offence, detail) => this.peers.penalize(p, offence, detail) });
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
    this.server.start();
    this.txRelay.start();
    const now = this.clock.now();
    for (const p of this.net.peers()) this.addPeer(p, now);
    this.feed.sample(this.chain.tip().height);
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
    this.txRelay.stop();
    this.sched.clear();
    this.processing.clear();
    this.resetTodo();
    this.feedChain(); // nothing is in flight now: blocks held above a gap go, so the queue drains
    const fed = this.feedPending === 0 ? Promise.resolve() : new Promise<void>((r) => this.feedWaiters.push(r));
    await Promise.all([this.headerQ.idle(), this.blockQ.idle(), fed, this.server.stop()]);
  }

  /** Check for a better chain now (also runs every tickMs). */
  syncNow(): void {
    this.tick();
  }

  // ------------------------------------------------------------------ reporting

  progress(): SyncProgress {
    return this.feed.snapshot();
  }

  private progressInputs(): { headers: number; blocks: number; targetHeight: number; peers: number } {
    const headers = this.chain.headerTip().height;
    let best = headers;
    let peers = 0;
    for (const s of this.peers.values()) {
      if (!this.sched.hasStanding(s.peer.id)) continue;
      peers++;
      if (s.peer.height > best) best = s.peer.height;
    }
    return { headers, blocks: this.chain.tip().height, targetHeight: best, peers };
  }

  /** Progress callback, called at most every progressIntervalMs and on start/finish of a sync; returns an unsubscribe. */
  onProgress(cb: (p: SyncProgress) => void): () => void {
    return this.feed.subscribe(cb);
  }

  /**
   * Whether the best header chain has more work than the best block chain and is waiting for its blocks
   * (issue 19.7: headers may be withheld). The miner should keep mining tip() — the best fully validated
   * block — meanwhile; `since` is when the wait began (clock ms), `inFlight` the blocks asked for now.
   */
  blockWait(): { waiting: boolean; headerHeight: number; tipHeight: number; since: number | null; inFlight: number } {
    const ht = this.chain.headerTip();
    const tip = this.chain.tip();
    const waiting = ht.chainWork > tip.chainWork;
    if (!waiting) this.waitSince = 0;
    else if (this.waitSince === 0) this.waitSince = this.clock.now();
    return { waiting, headerHeight: ht.height, tipHeight: tip.height, since: waiting ? this.waitSince : null, inFlight: this.sched.inFlightCount };
  }

  stats(): SyncStats {
    return {
      ...this.c,
      ...this.txRelay.stats,
      penalties: this.peers.penalties,
      servedHeaders: this.server.servedHeaders,
      servedBlocks: this.server.servedBlocks,
      servedThrottled: this.server.throttled,
      inFlight: this.sched.inFlightCount,
      queuedBlocks: this.feedPending,
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
  relayBlock(bytes: Uint8Array, from?: Peer, hashHex?: string): number {
    const key = hashHex ?? toHex(this.blockHash(bytes));
    this.recentBlocks.add(key);
    const n = this.net.broadcast({ type: MsgType.BLOCK, block: bytes }, { exclude: from, key });
    this.c.relayedBlocks += n;
    return n;
  }

  /** A transaction from the API: into the mempool, relayed to every peer when accepted. */
  submitTx(bytes: Uint8Array): Promise<MempoolAddResult> {
    return this.txRelay.submit(bytes);
  }

  /**
   * Someone else's message announced a block (e.g. BLOOM, owned by gossip): an unknown hash is fetched
   * from that peer, a higher height starts header sync with it.
   */
  async announce(peer: Peer, info: { hash?: Uint8Array; height?: number }): Promise<void> {
    if (!this.running) return;
    if (info.height !== undefined) this.raiseHeight(peer, info.height);
    if (info.hash) {
      const key = toHex(info.hash);
      // the announcer has it: never push it back
      this.net.markSeen(peer, key);
      if (!this.gettingBlock(key) && !(await this.chain.hasBlock(info.hash)) && !this.gettingBlock(key) && this.running) {
        this.announcedAsks.set(key, this.clock.now());
        if (this.announcedAsks.size > 1_024) this.announcedAsks.delete(this.announcedAsks.keys().next().value as string);
        this.askedFrom.add(peer.id, key);
        this.c.getDataSent++;
        this.net.send(peer, { type: MsgType.GETDATA, hashes: [info.hash] });
      }
    }
    if (info.height !== undefined && info.height > this.chain.headerTip().height) this.startHeaderSync(peer);
  }

  /**
   * A block already coming: in flight, received and queued for the chain, just stored, or asked of an
   * announcer less than blockTimeoutMs ago. A second announcement of it sends no second GETDATA.
   */
  private gettingBlock(key: string): boolean {
    if (this.sched.isInFlight(key) || this.processing.has(key) || this.recentBlocks.has(key)) return true;
    const at = this.announcedAsks.get(key);
    return at !== undefined && this.clock.now() - at < this.opts.blockTimeoutMs;
  }

  /**
   * For the scheduler's to-do list: in flight, waiting for the chain, asked of an announcer, or stored
   * since the last scan began (the scan may have read the store before it landed). Not recentBlocks:
   * a side block whose body the chain pruned must be fetchable again when a reorg needs it.
   */
  private underway(key: string): boolean {
    if (this.sched.isInFlight(key) || this.processing.has(key) || this.storedSinceScan.has(key)) return true;
    const at = this.announcedAsks.get(key);
    return at !== undefined && this.clock.now() - at < this.opts.blockTimeoutMs;
  }

  // ------------------------------------------------------------------ wiring

  private register(): void {
    this.registered = true;
    this.server.register();
    this.txRelay.register();
    this.net.on(MsgType.BLOCKS, (peer, msg) => this.onBlocks(peer, msg));
    this.net.on(MsgType.BLOCK, (peer, msg) => this.onBlock(peer, new ReceivedBlock(msg.block)));
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
      this.peers.remove(peer.id);
      this.server.removePeer(peer.id);
      if (!this.running) return;
      if (this.session?.peer.id === peer.id) this.endSession('peer closed');
      this.feedChain();
      this.pump();
    });
    this.chain.onTip((c) => {
      this.feed.sample(this.chain.tip().height);
      this.txRelay.onTip();
      if (c.disconnected.length > 0) this.txRelay.relayReturned(c);
      this.emitProgress(false);
    });
  }

  private addPeer(peer: Peer, now: number): SyncPeer {
    const s = this.peers.add(peer, now);
    this.sched.addPeer(peer.id, peer.height, now);
    return s;
  }

  private penalize(peer: Peer, offence: ErrorCode, detail?: string, points?: number): void {
    this.peers.penalize(peer, offence, detail, points);
  }

  /** Peers claim heights in VERSION; headers and blocks they send can only raise the claim. */
  private raiseHeight(peer: Peer, height: number): void {
    if (height > peer.height) peer.height = height;
    this.sched.setHeight(peer.id, peer.height);
  }

  private loseStanding(peer: Peer, offence: ErrorCode, detail?: string, points?: number): void {
    const reason = offence;
    this.log.info({ peer: peer.address, reason, detail }, 'peer loses sync standing');
    this.sched.revokeStanding(peer.id);
    this.resetTodo();
    this.penalize(peer, offence, detail, points);
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
    this.feed.sample(this.chain.tip().height);
    this.blockWait();
    const stalls = this.sched.checkTimeouts(now);
    for (const st of stalls) {
      this.c.stalls++;
      this.c.reRequested += st.released;
      const s = this.peers.byId(st.peerId);
      this.log.warn({ peer: s?.peer.address, reason: st.reason, released: st.released }, 'block download stalled');
      if (st.lostStanding && s) this.loseStanding(s.peer, 'sync-stalled');
    }
    this.probePeers();
    this.considerOutbound(now);
    if (this.blocksHeld) this.pump();
    for (const s of [...this.peers.values()]) {
      if (s.backed || s.waitingSince === 0 || now - s.waitingSince <= this.opts.claimTimeoutMs || !this.sched.hasStanding(s.peer.id)) continue;
      s.probe = null;
      this.loseStanding(s.peer, 'sync-claim-unbacked');
    }
    const sess = this.session;
    if (sess && sess.outstanding.length > 0 && now - sess.outstanding[0]!.sentAt > this.opts.headerTimeoutMs) {
      const s = this.peers.get(sess.peer);
      s.headerBackoffUntil = now + this.opts.stallBackoffMs;
      s.headerStalls++;
      this.c.stalls++;
      this.log.warn({ peer: sess.peer.address }, 'header request timed out');
      this.endSession('header timeout');
      if (s.headerStalls >= this.opts.maxStalls) this.loseStanding(sess.peer, 'sync-header-stalled');
      this.startHeaderSync();
    }
    if (stalls.length > 0) {
      this.resetTodo();
      this.feedChain(); // released hashes may have been what held blocks above a gap waited for
      this.pump();
    }
    this.emitProgress(false);
  }

  /** Core's ConsiderEviction for every outbound peer: one that never catches up with our tip is reported useless. */
  private considerOutbound(now: number): void {
    const tip = this.chain.tip();
    for (const s of this.peers.values()) {
      if (s.peer.inbound) continue;
      const v = considerEviction(s.chainSync, s.caughtUpWork, tip.chainWork, now, this.opts);
      if (v === 'useless') {
        s.probe = null; // our unanswered header request must not keep it out of later probes
        this.net.useless?.(s.peer, 'chain-sync-timeout');
      }
      else if (v === 'send-getheaders' && !s.probe) {
        // from our tip's own height: a peer that has our tip answers with at least that header (Core asks from tip's parent)
        const start = Math.max(1, tip.height);
        s.probe = { start, sentAt: now };
        this.c.headerProbes++;
        this.net.send(s.peer, { type: MsgType.GETBLOCKS, start, count: this.opts.headerBatch });
      }
    }
  }

  /** A valid header run from the peer: if it reaches our tip's height on our best header chain, the peer has caught up. */
  private async noteCaughtUp(s: SyncPeer, hs: readonly Uint8Array[]): Promise<void> {
    const last = hs[hs.length - 1]!;
    const tip = this.chain.tip();
    const h = headerHeight(last);
    if (h < tip.height) return;
    const mine = await this.chain.getHeaderByHeight(h);
    if (mine && equalBytes(encodeHeader(mine), last)) this.caughtUp(s, tip.chainWork);
  }

  private caughtUp(s: SyncPeer, work: bigint): void {
    if (s.caughtUpWork === null || work > s.caughtUpWork) s.caughtUpWork = work;
  }

  private emitProgress(force: boolean): void {
    this.feed.emit(force);
  }

  // ------------------------------------------------------------------ headers

  /** Picks the best peer ahead of us (chain work, then height) and asks it for headers; one session at a time. */
  private startHeaderSync(prefer?: Peer): void {
    if (!this.running || this.session) return;
    const ht = this.chain.headerTip();
    const now = this.clock.now();
    let best: SyncPeer | undefined;
    for (const s of this.peers.values()) {
      if (!this.isAhead(s, ht.height, ht.chainWork, now)) continue;
      if (prefer && s.peer.id === prefer.id) {
        best = s;
        break;
      }
      if (!best || this.betterHeaderPeer(s, best)) best = s;
    }
    if (!best) return;
    const peer = best.peer;
    const start = Math.max(1, Math.min(ht.height + 1, peer.height));
    this.session = { peer, nextStart: start, outstanding: [], presync: [], delivered: 0, replies: new Map(), walk: 0, walking: false, lastFull: false, lastReplyAt: 0 };
    this.log.debug({ peer: peer.address, start, height: peer.height }, 'header sync');
    this.fillHeaderRequests(this.session);
  }

  /** Peers that have backed their claims with headers first (a liar cannot outbid them), then work, then height. */
  private betterHeaderPeer(a: SyncPeer, b: SyncPeer): boolean {
    if (a.backed !== b.backed) return a.backed;
    if (a.peer.chainWork !== b.peer.chainWork) return a.peer.chainWork > b.peer.chainWork;
    return a.peer.height > b.peer.height;
  }

  /**
   * Beside the one header session, every other peer ahead of us that has not backed its claim gets one
   * GETBLOCKS for the range after our header tip: whoever delivers work takes over from a session peer
   * that has not, so silent or empty-handed liars cannot hold sync hostage (they lose standing at
   * claimTimeoutMs, or at once for an empty answer below their claim).
   */
  private probePeers(): void {
    if (!this.running) return;
    const now = this.clock.now();
    // only while the session is held by a peer that has delivered nothing for probeAfterMs: the hostage case
    const sess = this.session;
    if (!sess || this.peers.get(sess.peer).backed || sess.outstanding.length === 0 || now - sess.outstanding[0]!.sentAt < this.opts.probeAfterMs) return;
    const ht = this.chain.headerTip();
    for (const s of this.peers.values()) {
      if (s.backed || s.probe || s.peer.id === this.session?.peer.id || !this.isAhead(s, ht.height, ht.chainWork, now)) continue;
      const start = Math.max(1, Math.min(ht.height + 1, s.peer.height));
      s.probe = { start, sentAt: now };
      if (s.waitingSince === 0) s.waitingSince = now;
      this.c.headerProbes++;
      this.net.send(s.peer, { type: MsgType.GETBLOCKS, start, count: this.opts.headerBatch });
    }
  }

  /** A probe's answer: penalised like a session reply when empty below the claim; stored when it carries work. */
  private async onProbeReply(peer: Peer, start: number, hs: Uint8Array[]): Promise<void> {
    if (!this.running) return;
    const s = this.peers.get(peer);
    if (hs.length === 0) {
      if (start <= s.claimed) return this.loseStanding(peer, 'sync-cannot-serve-claimed-height');
      if (start - 1 > s.knownTip) s.knownTip = start - 1;
      // nothing above genesis while our tip is genesis: it is where we are
      const tip = this.chain.tip();
      if (start === 1 && tip.height === 0) this.caughtUp(s, tip.chainWork);
      return;
    }
    if (hs.length > MAX_HEADERS_PER_MSG || hs.some((h, i) => h.length !== HEADER_SIZE || headerHeight(h) !== start + i)) {
      this.penalize(peer, 'sync-headers-bad-range', `probe`);
      return this.loseStanding(peer, 'sync-headers-bad-range', undefined, 0);
    }
    if ((await headerRunWork(this.chain, hs)) === 'low-work') {
      this.c.headersLowWork += hs.length;
      return;
    }
    const res = await this.chain.addHeaders(hs);
    this.c.headersAdded += res.added;
    if (res.code === 'unknown-parent') return; // a fork below our tip: the header session walks back for it
    if (res.code) return this.loseStanding(peer, 'sync-headers-invalid', res.code);
    this.backedBy(s, start + hs.length - 1, res.added);
    await this.noteCaughtUp(s, hs);
    // it delivered work; a session peer that has delivered nothing gives way to it
    const sess = this.session;
    if (sess && sess.peer.id !== peer.id && !this.peers.get(sess.peer).backed) {
      this.session = null;
      this.dropOutstanding(sess);
      this.log.debug({ from: sess.peer.address, to: peer.address }, 'header session moves to a peer that delivers');
    }
    this.startHeaderSync(peer);
  }

  private isAhead(s: SyncPeer, height: number, work: bigint, now: number): boolean {
    const p = s.peer;
    if (!this.sched.hasStanding(p.id) || now < s.headerBackoffUntil || p.height <= s.knownTip) return false;
    return p.height > height || p.chainWork > work;
  }

  private sendGetBlocks(sess: HeaderSession, start: number): void {
    const now = this.clock.now();
    sess.outstanding.push({ start, sentAt: now });
    const s = this.peers.get(sess.peer);
    if (s.waitingSince === 0) s.waitingSince = now;
    sess.nextStart = start + this.opts.headerBatch;
    this.c.headerRequests++;
    this.net.send(sess.peer, { type: MsgType.GETBLOCKS, start, count: this.opts.headerBatch });
  }

  private pipelineDepth(sess: HeaderSession): number {
    if (sess.walking) return 1;
    return Math.max(1, sess.delivered > 0 ? this.opts.headerPipeline : Math.min(2, this.opts.headerPipeline));
  }

  /**
   * Keeps `pipelineDepth` requests unanswered. Called as a reply arrives, before it is processed, so the
   * peer is already working on the next range while we validate and store this one.
   */
  private fillHeaderRequests(sess: HeaderSession): void {
    if (this.session !== sess) return;
    const limit = this.pipelineDepth(sess);
    const unanswered = (): number => sess.outstanding.length - sess.replies.size;
    // answered-but-unprocessed replies are bounded too: at most `limit` more
    while (unanswered() < limit && sess.outstanding.length < 2 * limit) {
      const claim = sess.peer.height;
      // past the claimed height only when the last reply was full (the claim may be stale)
      if (sess.nextStart > claim && !(sess.lastFull && unanswered() === 0)) break;
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
    if (this.blocksHeld) this.pump();
  }

  /**
   * Headers first (btcd's headersFirstMode): while the header session's peer has backed its claim and
   * keeps replying (within checkMs), blocks are not asked for. The header chain then reaches the peer's
   * tip at header speed instead of sharing both processes (and the chain's queue) with block traffic;
   * a session that stops delivering or ends releases the blocks at once (the 1 s sweep, endSession).
   */
  private headersFlowing(now: number): boolean {
    const sess = this.session;
    if (!sess || sess.outstanding.length === 0 || sess.lastReplyAt === 0 || now - sess.lastReplyAt > this.opts.checkMs) return false;
    return this.peers.get(sess.peer).backed;
  }

  private dropOutstanding(sess: HeaderSession): void {
    const s = this.peers.byId(sess.peer.id);
    if (s) s.staleReplies += sess.outstanding.filter((r) => !sess.replies.has(r.start)).length;
    sess.outstanding = [];
    sess.replies.clear();
  }

  private onBlocks(peer: Peer, msg: BlocksMsg): void {
    if (!this.running) return;
    const headers = msg.headers;
    this.c.headersReceived += headers.length;
    const sess = this.session;
    const start = sess && sess.peer.id === peer.id ? this.replyStart(sess, headers) : undefined;
    const ps = this.peers.byId(peer.id);
    const probe = ps?.probe && (headers.length === 0 || (headers[0]!.length === HEADER_SIZE && headerHeight(headers[0]!) === ps.probe.start)) ? ps.probe : null;
    // it answered: a request of ours is no longer left hanging
    if (ps && (start !== undefined || probe || ps.staleReplies > 0)) ps.waitingSince = sess?.peer.id === peer.id && sess.outstanding.length > sess.replies.size + 1 ? this.clock.now() : 0;
    let job: () => Promise<void>;
    if (sess && start !== undefined) job = () => this.drainReplies(sess);
    else if (probe && ps) {
      ps.probe = null;
      job = () => this.onProbeReply(peer, probe.start, headers);
    } else job = () => this.onUnsolicitedHeaders(peer, headers);
    if (sess && start !== undefined) {
      if (start === null) return this.badRange(sess, 'header size');
      sess.replies.set(start, headers);
      sess.delivered++;
      sess.lastReplyAt = this.clock.now();
      if (start === sess.outstanding[sess.outstanding.length - 1]!.start) sess.lastFull = headers.length >= this.opts.headerBatch;
      // the next request goes out before this reply is validated and stored (the round trip overlaps our work)
      if (headers.length > 0) this.fillHeaderRequests(sess);
    }
    void this.headerQ.run(job).catch((err: unknown) => this.log.error({ err }, 'header processing failed'));
  }

  /** Which open request a session reply answers: its start height, null for a malformed one, undefined for none. */
  private replyStart(sess: HeaderSession, headers: Uint8Array[]): number | null | undefined {
    let start: number;
    if (headers.length > 0) {
      if (headers[0]!.length !== HEADER_SIZE) return null;
      start = headerHeight(headers[0]!);
    } else {
      // an empty reply carries no height: it answers the highest request still open
      const open = sess.outstanding.filter((r) => !sess.replies.has(r.start));
      if (open.length === 0) return undefined;
      start = open[open.length - 1]!.start;
    }
    if (!sess.outstanding.some((r) => r.start === start) || sess.replies.has(start)) return undefined;
    return start;
  }

  /** Processes the session's replies in request order, as far as they have come. */
  private async drainReplies(sess: HeaderSession): Promise<void> {
    if (!this.running) return;
    while (this.session === sess && sess.outstanding.length > 0 && sess.replies.has(sess.outstanding[0]!.start)) {
      const req = sess.outstanding.shift()!;
      const hs = sess.replies.get(req.start)!;
      sess.replies.delete(req.start);
      await this.processHeaderReply(sess, req.start, hs);
    }
    if (this.session === sess) this.fillHeaderRequests(sess);
  }

  private badRange(sess: HeaderSession, what: string): void {
    this.penalize(sess.peer, 'sync-headers-bad-range', what);
    this.loseStanding(sess.peer, 'sync-headers-bad-range', undefined, 0);
  }

  private async processHeaderReply(sess: HeaderSession, start: number, hs: Uint8Array[]): Promise<void> {
    const peer = sess.peer;
    const s = this.peers.get(peer);
    if (hs.length === 0) {
      if (start <= s.claimed) return this.loseStanding(peer, 'sync-cannot-serve-claimed-height');
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
    const run = sess.presync.length > 0 ? sess.presync.concat(hs) : hs;
    const verdict = await headerRunWork(this.chain, run);
    if (this.session !== sess) return;
    if (verdict === 'low-work') {
      this.c.headersLowWork += hs.length;
      const last = start + hs.length - 1;
      if (last > s.knownTip) s.knownTip = last;
      if (run.length > this.opts.maxPresyncHeaders) {
        sess.presync = [];
        return this.loseStanding(peer, 'sync-headers-low-work');
      }
      sess.presync = run;
      return;
    }
    sess.presync = [];
    const res = await this.chain.addHeaders(run);
    if (this.session !== sess) return;
    this.c.headersAdded += res.added;
    if (res.code === 'unknown-parent' && res.added === 0) {
      // a fork below `start`: ask for earlier ranges, doubling the distance, until one connects
      if (start <= 1 || sess.walk >= this.opts.maxForkWalk) {
        return this.loseStanding(peer, 'sync-headers-do-not-connect');
      }
      const back = this.opts.headerBatch * 2 ** sess.walk;
      sess.presync = [];
      sess.walk++;
      sess.walking = true;
      this.dropOutstanding(sess);
      this.c.forkWalks++;
      this.sendGetBlocks(sess, Math.max(1, start - back));
      return;
    }
    if (res.code) {
      this.log.info({ peer: peer.address, code: res.code, reason: res.reason }, 'invalid headers');
      return this.loseStanding(peer, 'sync-headers-invalid', res.code);
    }
    sess.walk = 0;
    sess.walking = false;
    this.backedBy(s, start + hs.length - 1, res.added);
    await this.noteCaughtUp(s, hs);
    this.emitProgress(false);
  }

  /** The peer served valid headers up to `last` on a chain we know: its claims are backed that far. */
  private backedBy(s: SyncPeer, last: number, added: number): void {
    s.backed = true;
    // new headers: the peer layer's record of who delivers (stale-tip eviction keeps those that do)
    if (added > 0) this.net.credit?.(s.peer, 'header');
    if (last > s.knownTip) s.knownTip = last;
    if (last > s.claimed) s.claimed = last;
    this.raiseHeight(s.peer, last);
    if (added > 0) this.pump();
  }

  /** Headers nobody asked for (announcements, or replies that arrived after a walk-back): used if they connect. */
  private async onUnsolicitedHeaders(peer: Peer, hs: Uint8Array[]): Promise<void> {
    const s = this.peers.get(peer);
    if (s.staleReplies > 0) {
      s.staleReplies--;
      return;
    }
    // a peer that lost its standing is not listened to for headers
    if (!this.sched.hasStanding(peer.id)) return;
    if (hs.length === 0 || hs.length > MAX_HEADERS_PER_MSG || hs.some((h) => h.length !== HEADER_SIZE)) return;
    if (!this.peers.noteUnsolicited(peer)) return;
    if ((await headerRunWork(this.chain, hs)) === 'low-work') {
      this.c.headersLowWork += hs.length;
      return;
    }
    const res = await this.chain.addHeaders(hs);
    this.c.headersAdded += res.added;
    const last = headerHeight(hs[hs.length - 1]!);
    if (res.code === 'unknown-parent') {
      this.raiseHeight(peer, last);
      this.startHeaderSync(peer);
    } else if (res.code) {
      this.penalize(peer, 'sync-headers-invalid', res.code);
    } else {
      this.raiseHeight(peer, last);
      if (res.added > 0) {
        this.net.credit?.(peer, 'header');
        this.pump();
      }
      await this.noteCaughtUp(s, hs);
    }
  }

  // ------------------------------------------------------------------ blocks

  /** Asks peers with free window slots for the next missing blocks of the best header chain. */
  private pump(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    // most calls (a block arrived, a verdict came) find no room for a batch: no async loop for those
    if (!this.mayAsk(this.clock.now())) return;
    this.pumping = true;
    this.pumpLoop()
      .catch((err: unknown) => this.log.error({ err }, 'block scheduling failed'))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain && this.running) this.pump();
      });
  }

  /** Whether a pump round could ask for anything now (sets blocksHeld while headers flow). */
  private mayAsk(now: number): boolean {
    this.blocksHeld = this.headersFlowing(now);
    if (this.blocksHeld) return false;
    if (this.sched.capacity(now) === 0 || this.queuedBytes >= this.opts.maxQueuedBytes) return false;
    // under a batch of room: the scheduler would send nothing (unless the chain's end is near), skip the work
    return this.sched.budget(this.processing.size) >= this.opts.batchSize || this.scanComplete;
  }

  /** Forget the to-do list: hashes were released, or the header chain or tip moved unexpectedly. */
  private resetTodo(): void {
    this.todo = [];
    this.todoAt = 0;
    this.scanComplete = false;
    this.scanFrom = 0;
  }

  private async pumpLoop(): Promise<void> {
    for (let round = 0; round < 8 && this.running; round++) {
      this.pumpAgain = false;
      if (!this.mayAsk(this.clock.now())) return;
      for (const s of this.peers.values()) this.sched.setHeight(s.peer.id, s.peer.height);
      const ht = this.chain.headerTip();
      const tip = this.chain.tip();
      if (ht.height === tip.height && equalBytes(ht.hash, tip.hash)) return;
      if (this.todoTip === null || !equalBytes(ht.hash, this.todoTip)) this.resetTodo();
      // what assign handed out is at the front: trim it (entries underway further on are skipped by assign)
      while (this.todoAt < this.todo.length && this.underway(this.todo[this.todoAt]!.key!)) this.todoAt++;
      if (this.todoAt === this.todo.length) {
        this.todo = [];
        this.todoAt = 0;
        if (this.scanComplete) return;
        // a scan of the header chain costs one store read per height: done per lookahead, not per block
        const want = this.scanFrom > 0 ? this.opts.lookahead : Math.min(this.sched.inFlightCount + this.processing.size + this.opts.lookahead, this.opts.maxLookahead);
        this.storedSinceScan.clear();
        const raw = await this.chain.missingBlocks(want, this.scanFrom);
        if (!this.running) return;
        this.todoTip = ht.hash;
        this.scanComplete = raw.length < want;
        if (raw.length > 0) this.scanFrom = raw[raw.length - 1]!.height + 1;
        for (const m of raw) {
          const key = toHex(m.hash);
          // a block stored while the scan read the store is in storedSinceScan: not asked for twice
          if (!this.underway(key)) this.todo.push({ height: m.height, hash: m.hash, key });
        }
        if (this.todo.length === 0) return;
      }
      for (const a of this.sched.assign(this.todo, this.clock.now(), this.processing.size, (k) => this.underway(k), this.todoAt)) {
        const s = this.peers.byId(a.peerId);
        if (!s) continue;
        this.c.blocksRequested += a.hashes.length;
        for (const k of a.keys) this.askedFrom.add(a.peerId, k);
        this.c.getDataSent++;
        this.net.send(s.peer, { type: MsgType.GETDATA, hashes: a.hashes });
      }
      if (!this.pumpAgain) return;
    }
  }

  /** One ReceivedBlock per BLOCK frame: hashed here once, the same object goes to the chain. */
  private onBlock(peer: Peer, rb: ReceivedBlock): void {
    if (!this.running) return;
    const block = rb.bytes;
    if (block.length < HEADER_SIZE) return this.penalize(peer, 'sync-block-short');
    const key = toHex(rb.hash(this.core));
    const height = rb.height;
    this.net.markSeen(peer, key);
    this.c.blocksReceived++;
    const rejected = this.rejectedBlocks.get(key);
    if (rejected !== undefined) {
      // Core's m_recent_rejects: known bad, not validated again, and sending it again costs as much as the first time
      this.c.blocksInvalid++;
      return this.penalize(peer, 'sync-block-rejected-again', rejected);
    }
    const r = this.sched.received(key, peer.id, this.clock.now());
    if (!r.requested) {
      // already on its way to the chain, or just stored: a second copy (a push racing a GETDATA, a late answer)
      if (this.processing.has(key) || this.recentBlocks.has(key)) {
        this.c.blocksDuplicate++;
        // a late answer to a request given up on (stall) is not the peer's fault; pushing what we have is
        if (!this.askedFrom.has(peer.id, key)) {
          this.c.blocksUnsolicited++;
          this.peers.noteUnsolicited(peer);
        }
        return;
      }
      if (!this.askedFrom.has(peer.id, key)) this.c.blocksUnsolicited++;
      if (this.feedPending >= this.opts.maxQueuedBlocks || this.queuedBytes >= this.opts.maxQueuedBytes) return;
    }
    this.processing.add(key);
    this.queuedBytes += block.length;
    this.feedPending++;
    // handed to the chain in height order, in batches (feedChain); each batch's verdicts are handled together (settle)
    this.enqueueFeed({ block: rb, height, held: r.requested, peer, key, requested: r.requested });
    this.feedChain();
    if (r.requested) this.pump();
  }

  /** Inserts by height (after equal heights: arrival order among them). */
  private enqueueFeed(job: FeedJob): void {
    const f = this.chainFeed;
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid]!.height <= job.height) lo = mid + 1;
      else hi = mid;
    }
    f.splice(lo, 0, job);
  }

  /**
   * One addBlocks call at a time, with every block that can go now, lowest first: those that extend
   * the tip consecutively connect in one batch, and the chain writes it behind, so the next call is
   * validated while it is written. A block above a gap waits while a lower block is still in flight
   * (with three sources they arrive interleaved; stored early, each would cost a write of its own and
   * connect later one by one). Header batches share the chain's queue and wait for one call at most.
   */
  private feedChain(): void {
    if (this.inChain || this.chainFeed.length === 0) return;
    let next = this.chain.tip().height + 1;
    const lowest = this.sched.lowestInFlightHeight();
    let n = 0;
    for (const f = this.chainFeed; n < f.length && n < CHAIN_BATCH; n++) {
      const h = f[n]!.height;
      if (f[n]!.held && h > next && lowest < h) break;
      if (h >= next) next = h + 1;
    }
    if (n === 0) return;
    const jobs = this.chainFeed.splice(0, n);
    this.inChain = true;
    this.chain
      .addBlocks(jobs.map((j) => j.block))
      .then(
        (res) => this.settle(jobs, res),
        (err: unknown) => this.settle(jobs, undefined, err),
      )
      .finally(() => {
        this.inChain = false;
        this.feedChain();
      });
  }

  /**
   * A batch's verdicts, in the chain's order (a block waiting above a gap never delays the relay of a new
   * tip behind it: it is in a later batch). One pump and one progress check per batch, not per block.
   */
  private settle(jobs: readonly FeedJob[], res: readonly AddBlockResult[] | undefined, err?: unknown): void {
    let target: number | undefined;
    const targetHeight = (): number => (target ??= this.progressInputs().targetHeight);
    for (let i = 0; i < jobs.length; i++) {
      const j = jobs[i]!;
      try {
        if (res) this.processBlock(j.peer, j.block.bytes, j.key, j.height, j.requested, res[i]!, targetHeight);
        else this.log.error({ err }, 'block processing failed');
      } catch (e) {
        this.log.error({ err: e }, 'block processing failed');
      }
      this.queuedBytes -= j.block.bytes.length;
      this.processing.delete(j.key);
      if (--this.feedPending === 0) for (const w of this.feedWaiters.splice(0)) w();
    }
    // a whole batch of verdicts comes at once: ask again now that these blocks no longer count against the budget
    this.pump();
    this.emitProgress(false);
  }

  private processBlock(peer: Peer, block: Uint8Array, key: string, height: number, requested: boolean, res: AddBlockResult, targetHeight: () => number): void {
    if (!this.running) return;
    if (res.status !== 'invalid' && res.status !== 'orphan') {
      this.recentBlocks.add(key);
      this.storedSinceScan.add(key);
      // new and valid (stored): eviction protection, as Core credits m_last_block_time only for a new block
      if (res.status !== 'duplicate') this.net.credit?.(peer, 'block');
    }
    switch (res.status) {
      case 'connected':
      case 'reorg': {
        this.c.blocksConnected++;
        const tip = this.chain.tip();
        if (equalBytes(res.hash, tip.hash)) this.caughtUp(this.peers.get(peer), tip.chainWork);
        this.raiseHeight(peer, height);
        // historical blocks fetched during sync are not relayed; a new tip is
        if (!requested || res.height >= targetHeight()) this.relayBlock(block, peer, key);
        break;
      }
      case 'side':
        this.raiseHeight(peer, height);
        break;
      case 'duplicate':
        if (!requested) {
          this.c.blocksDuplicate++;
          this.peers.noteUnsolicited(peer);
        }
        break;
      case 'orphan':
        if (requested) this.resetTodo();
        // a block above what we know: the sender has a chain we lack, fetch its headers
        if (height <= this.chain.headerTip().height && !this.peers.noteUnsolicited(peer)) break;
        this.raiseHeight(peer, height);
        this.startHeaderSync(peer);
        break;
      case 'invalid': {
        this.c.blocksInvalid++;
        this.resetTodo();
        const code = res.code ?? 'invalid';
        this.log.info({ peer: peer.address, height, code, reason: res.reason }, 'invalid block');
        // remembered when the code condemns the hash: the sender's fault and not a body a relayer could mangle
        const v = isErrorCode(code) ? verdictOf(code) : undefined;
        if (v?.peerFault && !v.mutable) {
          if (this.rejectedBlocks.size >= 4_096) this.rejectedBlocks.delete(this.rejectedBlocks.keys().next().value as string);
          this.rejectedBlocks.set(key, code);
        }
        this.penalize(peer, 'sync-block-invalid', code);
        break;
      }
    }
  }
}
