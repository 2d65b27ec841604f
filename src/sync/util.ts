// Small helpers for sync: header fields read in place, a FIFO of async jobs, rate sampling.

/** Height field of a serialized header (docs/design.md: u32 LE at offset 2). */
export const headerHeight = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(2, true);
/** prevHash field of a serialized header (a view, not a copy). */
export const headerPrev = (b: Uint8Array): Uint8Array => b.subarray(6, 38);

export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

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

/** Height samples over a sliding window, for a blocks-per-second rate (at most one sample per `stepMs`). */
export class RateMeter {
  private readonly samples: { t: number; v: number }[] = [];
  constructor(
    private readonly windowMs: number,
    private readonly stepMs = 250,
  ) {}

  add(t: number, v: number): void {
    const last = this.samples[this.samples.length - 1];
    const prev = this.samples[this.samples.length - 2];
    // within a step of the previous sample: move the last one instead of adding (bounded array)
    if (last && prev && t - prev.t < this.stepMs) {
      last.t = t;
      last.v = v;
    } else this.samples.push({ t, v });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Units per second over the window; 0 with fewer than two samples. */
  rate(): number {
    if (this.samples.length < 2) return 0;
    const a = this.samples[0]!;
    const b = this.samples[this.samples.length - 1]!;
    return b.t > a.t ? Math.max(0, ((b.v - a.v) * 1000) / (b.t - a.t)) : 0;
  }
}

/** A bounded set of recently seen keys (oldest forgotten first). */
export class RecentSet {
  private readonly keys = new Set<string>();
  constructor(private readonly cap: number) {}

  has(k: string): boolean {
    return this.keys.has(k);
  }

  add(k: string): void {
    if (this.keys.has(k)) return;
    if (this.keys.size >= this.cap) this.keys.delete(this.keys.values().next().value as string);
    this.keys.add(k);
  }
}

/** Compact target (bits) field of a serialized header (u32 LE at offset 110). */
export const headerBits = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(110, true);

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;
