// Small helpers for sync: header fields read in place, a FIFO of async jobs.

/** Height field of a serialized header (docs/design.md: u32 LE at offset 2). */
export const headerHeight = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(2, true);
/** prevHash field of a serialized header (a view, not a copy). */
export const headerPrev = (b: Uint8Array): Uint8Array => b.subarray(6, 38);

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
