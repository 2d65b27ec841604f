// Small helpers for sync: header fields read in place, a FIFO of async jobs, the asked-for log.
import { BoundedSet } from '../bounded-set.js';

/** Height field of a serialized header (docs/design.md: u32 LE at offset 2). */
export const headerHeight = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(2, true);
/** prevHash field of a serialized header (a view, not a copy). */
export const headerPrev = (b: Uint8Array): Uint8Array => b.subarray(6, 38);

/**
 * Which peers were asked for which hashes recently, bounded (oldest forgotten first): the first asker
 * of a hash by the hash itself, any later one (a re-request after a stall) as "peerId:hash", so the
 * common case builds no string per block.
 */
export class AskLog {
  private readonly first = new Map<string, number>();
  /** `first`'s keys in insertion order, as a ring (nothing is deleted but the oldest: no stale slots). */
  private readonly ring: (string | undefined)[];
  private pos = 0;
  private readonly more: BoundedSet<string>;

  constructor(readonly cap: number) {
    this.ring = new Array<string | undefined>(cap);
    this.more = new BoundedSet<string>(cap);
  }

  add(peerId: number, key: string): void {
    const f = this.first.get(key);
    if (f === undefined) {
      const old = this.ring[this.pos];
      if (old !== undefined) this.first.delete(old);
      this.ring[this.pos] = key;
      this.pos = (this.pos + 1) % this.cap;
      this.first.set(key, peerId);
    } else if (f !== peerId) this.more.add(`${peerId}:${key}`);
  }

  has(peerId: number, key: string): boolean {
    return this.first.get(key) === peerId || (this.more.size > 0 && this.more.has(`${peerId}:${key}`));
  }
}

/** Runs jobs one at a time in arrival order; `size` counts queued plus running. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  size = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.size++;
    const job = this.tail.then(fn, fn).finally(() => this.size--);
    this.tail = job.catch(() => undefined);
    return job;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

/** Compact target (bits) field of a serialized header (u32 LE at offset 110). */
export const headerBits = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(110, true);
