// Block download scheduling: which hashes go to which peer, per-peer windows, stalls and re-requests.
// Pure state driven by explicit `now` values (no timers, no IO), so it is unit-tested with plain numbers.
import { BLOCK_BATCH } from '../constants.js';

export interface SchedulerOptions {
  /** Hashes per GETDATA (seed 3.5). */
  batchSize: number;
  /** A peer with requests in flight must deliver a block at least this often (seed: 5 s per block). */
  blockTimeoutMs: number;
  /** Each request must complete within this (seed: 30 s per request). */
  requestTimeoutMs: number;
  /** A stalled peer gets no new block requests for this long (seed: 30 s). */
  stallBackoffMs: number;
  /** Requests in flight per peer: start, floor, ceiling (AIMD: +1 per completed request, halved on a stall). */
  initialWindow: number;
  minWindow: number;
  maxWindow: number;
  /** Blocks in flight plus downloaded-but-unprocessed, over all peers. */
  maxOutstanding: number;
  /** Stalls after which a peer loses its standing as a sync peer. */
  maxStalls: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = Object.freeze({
  batchSize: BLOCK_BATCH,
  blockTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  stallBackoffMs: 30_000,
  initialWindow: 2,
  minWindow: 1,
  maxWindow: 16,
  maxOutstanding: 1_024,
  maxStalls: 3,
});

export interface Candidate {
  height: number;
  hash: Uint8Array;
  /** Hash in hex, when the caller has it already. */
  key?: string;
}

export interface Assignment {
  peerId: number;
  requestId: number;
  hashes: Uint8Array[];
  heights: number[];
  /** The hashes in hex (the in-flight keys). */
  keys: string[];
}

export interface Stall {
  peerId: number;
  reason: 'block-timeout' | 'request-timeout';
  /** Hashes released for re-request from another peer. */
  released: number;
  /** The peer reached maxStalls: no longer a sync peer. */
  lostStanding: boolean;
}

export interface ReceiveResult {
  /** The hash was in flight (from any peer). */
  requested: boolean;
  height?: number;
  /** Peer the hash had been assigned to. */
  assignedTo?: number;
}

interface PeerSlot {
  id: number;
  height: number;
  window: number;
  /** Open request ids. */
  requests: Set<number>;
  /** Last block delivered, or the moment an idle peer got a request. */
  lastProgress: number;
  backoffUntil: number;
  stalls: number;
  standing: boolean;
  delivered: number;
  completed: number;
}

interface Request {
  id: number;
  peerId: number;
  sentAt: number;
  remaining: Set<string>;
}

interface InFlight {
  height: number;
  peerId: number;
  requestId: number;
}

export interface PeerSchedView {
  id: number;
  height: number;
  window: number;
  inFlightRequests: number;
  inFlightBlocks: number;
  stalls: number;
  standing: boolean;
  backoffUntil: number;
  delivered: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const keyOf = (c: Candidate): string => c.key ?? hex(c.hash);

export class BlockScheduler {
  readonly opts: SchedulerOptions;
  private readonly peers = new Map<number, PeerSlot>();
  private readonly requests = new Map<number, Request>();
  private readonly inFlight = new Map<string, InFlight>();
  private nextRequestId = 1;
  /** Re-requests after a stall (for stats). */
  reRequested = 0;

  constructor(opts: Partial<SchedulerOptions> = {}) {
    this.opts = { ...DEFAULT_SCHEDULER_OPTIONS, ...opts };
  }

  addPeer(id: number, height: number, now: number): void {
    if (this.peers.has(id)) return this.setHeight(id, height);
    this.peers.set(id, {
      id,
      height,
      window: this.opts.initialWindow,
      requests: new Set(),
      lastProgress: now,
      backoffUntil: 0,
      stalls: 0,
      standing: true,
      delivered: 0,
      completed: 0,
    });
  }

  hasPeer(id: number): boolean {
    return this.peers.has(id);
  }

  /** Heights only grow: a peer's chain may reorganise, but a lower claim is not believed over a higher one. */
  setHeight(id: number, height: number): void {
    const p = this.peers.get(id);
    if (p && height > p.height) p.height = height;
  }

  /** Peer gone: its hashes become free for others. Returns how many were released. */
  removePeer(id: number): number {
    const p = this.peers.get(id);
    if (!p) return 0;
    const n = this.releasePeer(p);
    this.peers.delete(id);
    return n;
  }

  /** Takes a peer out of the sync set for this connection (it claimed what it could not serve). */
  revokeStanding(id: number): void {
    const p = this.peers.get(id);
    if (!p) return;
    p.standing = false;
    this.releasePeer(p);
  }

  hasStanding(id: number): boolean {
    return this.peers.get(id)?.standing ?? false;
  }

  isInFlight(hashHex: string): boolean {
    return this.inFlight.has(hashHex);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Lowest height still awaited (Infinity when none): downloaded blocks above it wait in order. */
  lowestInFlightHeight(): number {
    let min = Infinity;
    for (const f of this.inFlight.values()) if (f.height < min) min = f.height;
    return min;
  }

  /** Hashes that may still be asked for before maxOutstanding (with `buffered` downloaded-but-unprocessed). */
  budget(buffered: number): number {
    return this.opts.maxOutstanding - this.inFlight.size - buffered;
  }

  /** Free request slots over peers that may be asked now (for sizing the candidate look-up). */
  capacity(now: number): number {
    let n = 0;
    for (const p of this.peers.values()) if (this.eligible(p, now)) n += p.window - p.requests.size;
    return n * this.opts.batchSize;
  }

  /**
   * Hands out candidates (ascending heights, as `chain.missingBlocks` returns them) in batches to peers
   * with free window slots whose height covers them, fastest peers first, round-robin. Stops at the first
   * candidate nobody can take, so everything in flight stays contiguous from the bottom and the
   * in-order processor never waits on a height that was never asked for.
   * `buffered` = blocks downloaded but not yet processed (they count against maxOutstanding); `from`: the
   * first candidate to consider (those before it were handed out earlier).
   * A request is only cut short by the peer's height or the end of the candidates, never by the budget:
   * with less than a batch of budget left it waits (one block processed must not send a one-hash GETDATA).
   */
  assign(candidates: readonly Candidate[], now: number, buffered = 0, skip?: (key: string) => boolean, from = 0): Assignment[] {
    const out: Assignment[] = [];
    let budget = this.opts.maxOutstanding - this.inFlight.size - buffered;
    const peers = [...this.peers.values()]
      .filter((p) => this.eligible(p, now))
      .sort((a, b) => b.completed - a.completed || b.window - a.window || a.id - b.id);
    let i = from;
    // Skip what is already on its way (a peer still working on it, or the caller's `skip`: received, queued).
    const next = (): Candidate | undefined => {
      while (i < candidates.length && (this.inFlight.has(keyOf(candidates[i]!)) || skip?.(keyOf(candidates[i]!)))) i++;
      return candidates[i];
    };
    let progress = true;
    while (progress && budget > 0) {
      progress = false;
      for (const p of peers) {
        const head = next();
        if (!head || budget <= 0) return out;
        // a slot freed by one block is not worth a one-hash GETDATA: wait until a whole batch fits
        if (budget < this.opts.batchSize && candidates.length - i > budget) return out;
        if (p.requests.size >= p.window || head.height > p.height) continue;
        const hashes: Uint8Array[] = [];
        const heights: number[] = [];
        const keys: string[] = [];
        for (let c = next(); c && hashes.length < this.opts.batchSize && budget > 0 && c.height <= p.height; c = next()) {
          hashes.push(c.hash);
          heights.push(c.height);
          keys.push(keyOf(c));
          budget--;
          i++;
        }
        const req: Request = { id: this.nextRequestId++, peerId: p.id, sentAt: now, remaining: new Set(keys) };
        this.requests.set(req.id, req);
        if (p.requests.size === 0) p.lastProgress = now;
        p.requests.add(req.id);
        keys.forEach((k, j) => this.inFlight.set(k, { height: heights[j]!, peerId: p.id, requestId: req.id }));
        out.push({ peerId: p.id, requestId: req.id, hashes, heights, keys });
        progress = true;
      }
    }
    return out;
  }

  /** A block arrived from `peerId`. Any peer may satisfy a hash (a stalled peer's late delivery counts). */
  received(hashHex: string, peerId: number, now: number): ReceiveResult {
    const sender = this.peers.get(peerId);
    if (sender) {
      sender.lastProgress = now;
      sender.delivered++;
    }
    const f = this.inFlight.get(hashHex);
    if (!f) return { requested: false };
    this.inFlight.delete(hashHex);
    const req = this.requests.get(f.requestId);
    if (req) {
      req.remaining.delete(hashHex);
      if (req.remaining.size === 0) this.complete(req, true);
    }
    return { requested: true, height: f.height, assignedTo: f.peerId };
  }

  /** Stall detection; stalled peers' hashes are released for another peer, the peer backs off. */
  checkTimeouts(now: number): Stall[] {
    const stalls: Stall[] = [];
    for (const p of this.peers.values()) {
      if (p.requests.size === 0) continue;
      let reason: Stall['reason'] | undefined;
      if (now - p.lastProgress > this.opts.blockTimeoutMs) reason = 'block-timeout';
      else
        for (const id of p.requests) {
          const r = this.requests.get(id);
          if (r && now - r.sentAt > this.opts.requestTimeoutMs) reason = 'request-timeout';
        }
      if (!reason) continue;
      const released = this.releasePeer(p);
      this.reRequested += released;
      p.stalls++;
      p.window = Math.max(this.opts.minWindow, Math.floor(p.window / 2));
      p.backoffUntil = now + this.opts.stallBackoffMs;
      const lostStanding = p.standing && p.stalls >= this.opts.maxStalls;
      if (lostStanding) p.standing = false;
      stalls.push({ peerId: p.id, reason, released, lostStanding });
    }
    return stalls;
  }

  peerView(id: number): PeerSchedView | undefined {
    const p = this.peers.get(id);
    if (!p) return undefined;
    let blocks = 0;
    for (const r of p.requests) blocks += this.requests.get(r)?.remaining.size ?? 0;
    return {
      id: p.id,
      height: p.height,
      window: p.window,
      inFlightRequests: p.requests.size,
      inFlightBlocks: blocks,
      stalls: p.stalls,
      standing: p.standing,
      backoffUntil: p.backoffUntil,
      delivered: p.delivered,
    };
  }

  peerViews(): PeerSchedView[] {
    return [...this.peers.keys()].map((id) => this.peerView(id)!);
  }

  /** Drops every request (e.g. the header chain reorganised and the hashes are stale). */
  clear(): void {
    for (const p of this.peers.values()) p.requests.clear();
    this.requests.clear();
    this.inFlight.clear();
  }

  private eligible(p: PeerSlot, now: number): boolean {
    return p.standing && now >= p.backoffUntil && p.requests.size < p.window;
  }

  private complete(req: Request, ok: boolean): void {
    this.requests.delete(req.id);
    const p = this.peers.get(req.peerId);
    if (!p) return;
    p.requests.delete(req.id);
    if (ok) {
      p.completed++;
      if (p.window < this.opts.maxWindow) p.window++;
    }
  }

  private releasePeer(p: PeerSlot): number {
    let n = 0;
    for (const id of p.requests) {
      const r = this.requests.get(id);
      if (!r) continue;
      for (const k of r.remaining) {
        this.inFlight.delete(k);
        n++;
      }
      this.requests.delete(id);
    }
    p.requests.clear();
    return n;
  }
}
