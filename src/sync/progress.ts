// Sync progress: the blocks-per-second rate and the throttled feed of snapshots (status, tests).
import type { Logger } from '../log.js';
import type { Clock } from '../clock.js';
import { RateMeter } from '../rate.js';

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

/** What progress is computed from. */
export interface ProgressInputs {
  headers: number;
  blocks: number;
  targetHeight: number;
  peers: number;
}

export class ProgressFeed {
  private readonly meter = new RateMeter({ windowMs: 20_000, stepMs: 250 });
  private readonly cbs = new Set<(p: SyncProgress) => void>();
  private lastEmit = 0;
  private lastSyncing = false;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly inputs: () => ProgressInputs,
  ) {}

  /** Records the tip height now (for the rate). */
  sample(height: number): void {
    this.meter.add(height, this.clock.now());
  }

  snapshot(): SyncProgress {
    const { headers, blocks, targetHeight, peers } = this.inputs();
    const rate = this.meter.rate();
    const left = targetHeight - blocks;
    return {
      headers,
      blocks,
      targetHeight,
      rateBlocksPerSec: Math.round(rate * 100) / 100,
      etaSec: left <= 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
      syncing: left > 0,
      peers,
    };
  }

  subscribe(cb: (p: SyncProgress) => void): () => void {
    this.cbs.add(cb);
    return () => this.cbs.delete(cb);
  }

  /** Calls subscribers at most every intervalMs, at once when `syncing` flips, always when forced. */
  emit(force: boolean): void {
    if (this.cbs.size === 0) return;
    const now = this.clock.now();
    const p = this.snapshot();
    const flipped = p.syncing !== this.lastSyncing;
    if (!force && !flipped && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    this.lastSyncing = p.syncing;
    for (const cb of this.cbs) {
      try {
        cb(p);
      } catch (err) {
        this.log.error({ err }, 'progress callback threw');
      }
    }
  }
}
