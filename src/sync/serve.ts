// Serving peers: GETBLOCKS answered with headers, GETDATA with blocks (btcd server.go OnGetBlocks / OnGetData).
// Each peer's requests run one at a time in their own queue, so one reader cannot starve another.
import { MAX_HEADERS_PER_MSG } from '../constants.js';
import type { ChainApi } from '../chain/types.js';
import type { Logger } from '../log.js';
import type { Peer, PeerNetwork } from '../p2p/types.js';
import { MsgType, type GetBlocksMsg, type GetDataMsg } from '../wire/types.js';
import { PENALTY, type SyncPeers } from './peers.js';
import { SerialQueue, toHex } from './util.js';

export interface ServeOptions {
  /** Hashes served per GETDATA; the rest are ignored. */
  getDataCap: number;
  /** Serve jobs (GETBLOCKS/GETDATA) queued per peer before new ones are dropped. */
  serveQueueCap: number;
}

export class BlockServer {
  private readonly queues = new Map<number, SerialQueue>();
  private running = false;
  servedHeaders = 0;
  servedBlocks = 0;

  constructor(
    private readonly net: PeerNetwork,
    private readonly chain: ChainApi,
    private readonly peers: SyncPeers,
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
    this.queues.delete(id);
  }

  private serve(peer: Peer, what: string, fn: () => Promise<void>): void {
    if (!this.running) return;
    let q = this.queues.get(peer.id);
    if (!q) {
      q = new SerialQueue();
      // only connected peers get a lasting queue; a late message from a closed one still runs once
      if (this.peers.has(peer.id)) this.queues.set(peer.id, q);
    }
    if (q.size >= this.opts.serveQueueCap) {
      this.peers.penalize(peer, PENALTY.serveFlood, `sync-serve-flood:${what}`);
      return;
    }
    q.run(fn).catch((err: unknown) => this.log.error({ err, what }, 'serving a peer failed'));
  }

  private onGetBlocks(peer: Peer, msg: GetBlocksMsg): void {
    const count = Math.min(msg.count, MAX_HEADERS_PER_MSG);
    this.serve(peer, 'getblocks', async () => {
      const headers = count > 0 ? await this.chain.getHeadersRange(msg.start, count) : [];
      if (headers.length > count) headers.length = count;
      if (this.net.send(peer, { type: MsgType.BLOCKS, headers })) this.servedHeaders += headers.length;
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
        this.servedBlocks++;
      }
    });
  }
}
