// Serving peers: GETBLOCKS answered with headers, GETDATA with blocks (btcd server.go OnGetBlocks / OnGetData).
// Each peer's requests run one at a time in their own queue, so one reader cannot starve another; headers
// and blocks have a queue each, so a header request never waits behind a peer's block reads.
import { HEADER_SIZE, MAX_HEADERS_PER_MSG } from '../constants.js';
import type { ChainApi } from '../chain/types.js';
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { MsgType, type GetBlocksMsg, type GetDataMsg } from '../wire/types.js';
import { toHex } from '../bytes.js';
import type { SyncPeers } from './peers.js';
import { SerialQueue } from './util.js';

export interface ServeOptions {
  /** Hashes served per GETDATA; the rest are ignored. */
  getDataCap: number;
  /** Serve jobs (GETBLOCKS/GETDATA) queued per peer before new ones are dropped. */
  serveQueueCap: number;
  /** Upload budget per peer for GETBLOCKS/GETDATA answers: bytes per second refilled, and the bucket's size. */
  uploadBytesPerSec: number;
  uploadBurstBytes: number;
}

/** A peer's upload bucket: bytes it may still be sent, refilled with time. */
interface Bucket {
  tokens: number;
  at: number;
}

export class BlockServer {
  /** "peerId:getblocks" / "peerId:getdata" → that peer's queue of answers of that kind. */
  private readonly queues = new Map<string, SerialQueue>();
  private readonly buckets = new Map<number, Bucket>();
  private running = false;
  servedHeaders = 0;
  servedBlocks = 0;
  /** Waits an answer made because the peer's upload budget was spent. */
  throttled = 0;

  constructor(
    private readonly net: PeerNetwork,
    private readonly chain: ChainApi,
    private readonly peers: SyncPeers,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: ServeOptions,
  ) {}

  register(): void {
    this.net.on(MsgType.GETBLOCKS, (peer, msg) => this.onGetBlocks(peer, msg));
    this.net.on(MsgType.GETDATA, (peer, msg) => this.onGetData(peer, msg));
  }

  start(): void {
    this.running = true;
  }

  /** Resolves once every queued answer has been sent (or given up). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.queues.values()].map((q) => q.idle()));
  }

  removePeer(id: number): void {
    this.queues.delete(`${id}:getblocks`);
    this.queues.delete(`${id}:getdata`);
    this.buckets.delete(id);
  }

  /** The peer's bucket, refilled to now. A closed peer's late request gets an empty one. */
  private bucket(peer: Peer): Bucket {
    const now = this.clock.now();
    let b = this.buckets.get(peer.id);
    if (!b) {
      b = { tokens: this.peers.has(peer.id) ? this.opts.uploadBurstBytes : 0, at: now };
      if (this.peers.has(peer.id)) this.buckets.set(peer.id, b);
    }
    b.tokens = Math.min(this.opts.uploadBurstBytes, b.tokens + ((now - b.at) * this.opts.uploadBytesPerSec) / 1000);
    b.at = now;
    return b;
  }

  /**
   * Waits until the peer's bucket has bytes again: past its budget a reader is answered at the budget's
   * rate, and one that keeps asking fills its serve queue and pays points for every request dropped
   * there (a reader repeating GETBLOCKS(0, 500) costs itself, not our upload). False: we are stopping.
   */
  private async budget(peer: Peer): Promise<boolean> {
    for (let b = this.bucket(peer); b.tokens <= 0; b = this.bucket(peer)) {
      if (!this.running) return false;
      this.throttled++;
      const ms = Math.min(100, Math.ceil((-b.tokens * 1000) / this.opts.uploadBytesPerSec) + 1);
      await new Promise<void>((r) => this.clock.setTimeout(r, ms));
    }
    return this.running;
  }

  private serve(peer: Peer, what: 'getblocks' | 'getdata', fn: () => Promise<void>): void {
    if (!this.running) return;
    const k = `${peer.id}:${what}`;
    let q = this.queues.get(k);
    if (!q) {
      q = new SerialQueue();
      // only connected peers get a lasting queue; a late message from a closed one still runs once
      if (this.peers.has(peer.id)) this.queues.set(k, q);
    }
    if (q.size >= this.opts.serveQueueCap) {
      this.peers.penalize(peer, 'sync-serve-flood', what);
      return;
    }
    q.run(fn).catch((err: unknown) => this.log.error({ err, what }, 'serving a peer failed'));
  }

  private onGetBlocks(peer: Peer, msg: GetBlocksMsg): void {
    const count = Math.min(msg.count, MAX_HEADERS_PER_MSG);
    this.serve(peer, 'getblocks', async () => {
      if (!(await this.budget(peer))) return;
      const headers = count > 0 ? await this.chain.getHeadersRange(msg.start, count) : [];
      if (headers.length > count) headers.length = count;
      this.bucket(peer).tokens -= headers.length * HEADER_SIZE;
      if (this.net.send(peer, { type: MsgType.BLOCKS, headers })) this.servedHeaders += headers.length;
    });
  }

  private onGetData(peer: Peer, msg: GetDataMsg): void {
    const hashes = msg.hashes.slice(0, this.opts.getDataCap);
    this.serve(peer, 'getdata', async () => {
      if (!(await this.budget(peer))) return;
      // read together, then sent in one tick: the transport writes a whole GETDATA's answer in one syscall
      const blocks = await Promise.all(hashes.map((h) => this.chain.getBlockBytes(h)));
      for (let i = 0; i < hashes.length; i++) {
        const h = hashes[i]!;
        const block = blocks[i];
        if (!block) continue;
        if (!(await this.budget(peer))) return;
        this.bucket(peer).tokens -= block.length;
        if (!this.net.send(peer, { type: MsgType.BLOCK, block })) break;
        this.net.markSeen(peer, toHex(h));
        this.servedBlocks++;
      }
    });
  }
}
