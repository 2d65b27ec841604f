// Seed 2.6: relay a phase state only when it is new or its r improved by more than 0.02.
import { RELAY_THRESHOLD } from '../constants.js';
import { DigestTable } from './digest-table.js';

/** Past this many remembered states, prune (seed 2.6). */
export const RELAY_MAX_ENTRIES = 1000;
/** Pruning keeps this many states, the highest r first (seed 2.6). */
export const RELAY_KEEP = 500;

export interface RelayOptions {
  threshold?: number;
  maxEntries?: number;
  keep?: number;
}

/**
 * Memory of phase states seen (first 16 bytes of the phases' hash → best r), bounded by pruning. Keys
 * are digests held in typed arrays (DigestTable), not strings in a Map.
 */
export class PhaseRelayProtocol {
  private readonly seen: DigestTable;
  readonly threshold: number;
  private readonly maxEntries: number;
  private readonly keep: number;
  /** How many times the table was pruned. */
  prunes = 0;

  constructor(opts: RelayOptions = {}) {
    this.threshold = opts.threshold ?? RELAY_THRESHOLD;
    this.maxEntries = opts.maxEntries ?? RELAY_MAX_ENTRIES;
    this.keep = opts.keep ?? RELAY_KEEP;
    // sized at its bound once: a node's table fills in ~90 s at 11 states/s, and each doubling on the way cost an allocation and a re-index
    this.seen = new DigestTable(Math.min(this.maxEntries, RELAY_MAX_ENTRIES) + 1);
  }

  /** The seed's should_relay: records r when it returns true. */
  shouldRelay(r: number, phasesHash: Uint8Array): boolean {
    const slot = this.seen.find(phasesHash);
    if (slot >= 0) {
      if (r <= this.seen.value(slot) + this.threshold) return false;
      this.seen.setValue(slot, r);
      return true;
    }
    this.seen.insert(phasesHash, r);
    if (this.seen.size > this.maxEntries) this.prune();
    return true;
  }

  /** Remember a state without relaying it (our own shares, so echoes are not relayed). */
  remember(r: number, phasesHash: Uint8Array): void {
    const slot = this.seen.find(phasesHash);
    if (slot >= 0) {
      if (r > this.seen.value(slot)) this.seen.setValue(slot, r);
      return;
    }
    this.seen.insert(phasesHash, r);
    if (this.seen.size > this.maxEntries) this.prune();
  }

  has(phasesHash: Uint8Array): boolean {
    return this.seen.find(phasesHash) >= 0;
  }

  get(phasesHash: Uint8Array): number | undefined {
    const slot = this.seen.find(phasesHash);
    return slot >= 0 ? this.seen.value(slot) : undefined;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(): void {
    // Stable sort: among equal r the earlier-seen entries stay, as Python's sorted() does.
    const seen = this.seen;
    const order = Array.from({ length: seen.size }, (_, i) => i);
    order.sort((a, b) => seen.value(b) - seen.value(a));
    seen.keepOnly(order.slice(0, this.keep));
    this.prunes++;
  }
}
