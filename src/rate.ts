// A rate over a sliding window of (time, cumulative value) samples: blocks/s, bytes/s, with an ETA.

export interface RateMeterOptions {
  /** Samples older than this (ms) are dropped (the two newest always stay); default 30 s. */
  windowMs?: number;
  /** A sample within this many ms of the one before the last replaces the last; default 0 (always append). */
  stepMs?: number;
  /** Hard cap on stored samples; default 256. */
  maxSamples?: number;
}

export class RateMeter {
  private readonly samples: { t: number; v: number }[] = [];
  private readonly windowMs: number;
  private readonly stepMs: number;
  private readonly maxSamples: number;

  constructor(opts: RateMeterOptions = {}) {
    this.windowMs = opts.windowMs ?? 30_000;
    this.stepMs = opts.stepMs ?? 0;
    this.maxSamples = Math.max(2, opts.maxSamples ?? 256);
  }

  /** Records the cumulative `value` at time `now` (ms). */
  add(value: number, now: number): void {
    const last = this.samples[this.samples.length - 1];
    const prev = this.samples[this.samples.length - 2];
    if (last && prev && now - prev.t < this.stepMs) {
      last.t = now;
      last.v = value;
    } else this.samples.push({ t: now, v: value });
    while (this.samples.length > this.maxSamples || (this.samples.length > 2 && now - this.samples[0]!.t > this.windowMs)) {
      this.samples.shift();
    }
  }

  /** Units per second over the window; 0 with fewer than two samples, no elapsed time or a falling value. */
  rate(): number {
    if (this.samples.length < 2) return 0;
    const a = this.samples[0]!;
    const b = this.samples[this.samples.length - 1]!;
    return b.t > a.t ? Math.max(0, ((b.v - a.v) * 1000) / (b.t - a.t)) : 0;
  }

  /** Seconds to reach `target` at the current rate; 0 when reached; null when unknown (no samples, rate 0). */
  eta(target: number): number | null {
    const last = this.samples[this.samples.length - 1];
    if (!last) return null;
    if (last.v >= target) return 0;
    const r = this.rate();
    return r > 0 ? Math.ceil((target - last.v) / r) : null;
  }
}
