// Virtual time: timers in (time, seq) order, one FIFO bucket per instant and a heap of the instants; time moves
// only when the process is otherwise idle.
import type { Clock, TimerHandle } from '../clock.js';

/** One scheduled callback; also the opaque handle returned to callers. */
interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  /** > 0 for setInterval. */
  interval: number;
  cancelled: boolean;
  /** From post(): no handle left the clock, so the entry is reused once fired. */
  pooled: boolean;
}

/** Fired post() entries kept for reuse, at most (a delivery's entry lives ~50 virtual ms: old-generation garbage at 10 k nodes). */
const POOL_MAX = 1 << 16;

export interface VirtualClockOptions {
  /** Epoch ms at virtual time 0 (now() = start + elapsed). Default: 2026-02-01T00:00:00Z. */
  start?: number;
  /** Callback errors are counted and the first few kept here instead of crashing the run. */
  onError?: (err: unknown) => void;
}

export interface RunOptions {
  /** Hard cap on callbacks fired in this call (a runaway loop ends the run, it does not hang it). */
  maxEvents?: number;
  /** Called after each batch (one virtual instant) has settled; return true to stop early. */
  afterBatch?: (elapsedMs: number) => boolean | void;
}

const DEFAULT_START = Date.UTC(2026, 1, 1);

/** Lets every queued microtask, nextTick and promise continuation run (memory-level and the node are microtask-only). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
  readonly start: number;
  private t = 0;
  private seq = 0;
  /** Distinct pending instants (a min-heap): ~1000 where there are ~50 k timers at 10 k simulated nodes. */
  private times: number[] = [];
  /** Instant → its timers in seq order (a push appends: its seq is the highest yet). */
  private buckets = new Map<number, Timer[]>();
  private queued = 0;
  private cancelledQueued = 0;
  /** The bucket runUntil is walking (compact leaves it alone). */
  private firing: Timer[] | null = null;
  private pool: Timer[] = [];
  private readonly onError: (err: unknown) => void;
  /** Callbacks fired so far. */
  fired = 0;
  /** Callbacks that threw. */
  errors = 0;
  readonly firstErrors: string[] = [];

  constructor(opts: VirtualClockOptions = {}) {
    this.start = opts.start ?? DEFAULT_START;
    this.onError =
      opts.onError ??
      ((err) => {
        this.errors++;
        if (this.firstErrors.length < 5) this.firstErrors.push(String((err as Error)?.stack ?? err));
      });
  }

  now(): number {
    return this.start + this.t;
  }

  /** Virtual ms since the clock was created. */
  elapsed(): number {
    return this.t;
  }

  /** Live (not cancelled) timers and deliveries. */
  get pending(): number {
    return this.queued - this.cancelledQueued;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.push(this.t + delay(ms), fn, 0);
  }

  clearTimeout(handle: TimerHandle): void {
    this.cancel(handle);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const d = delay(ms);
    return this.push(this.t + d, fn, d);
  }

  clearInterval(handle: TimerHandle): void {
    this.cancel(handle);
  }

  /** Runs fn at virtual time `atMs` (elapsed ms, not epoch; clamped to now). For the transport's deliveries. */
  at(atMs: number, fn: () => void): TimerHandle {
    return this.push(Math.max(this.t, atMs), fn, 0);
  }

  /** at() without a handle (the transport's deliveries): the same order, from a pool of entries. */
  post(atMs: number, fn: () => void): void {
    const at = Math.max(this.t, atMs);
    const timer = this.pool.pop();
    if (!timer) {
      this.enqueue({ at, seq: this.seq++, fn, interval: 0, cancelled: false, pooled: true });
      return;
    }
    timer.at = at;
    timer.seq = this.seq++;
    timer.fn = fn;
    this.enqueue(timer);
  }

  /**
   * Fires everything due up to elapsed time `endMs`, one virtual instant at a time: all callbacks
   * due at that instant, then a settle() so promise chains they started finish before time moves.
   * Ends with the clock at endMs (or where afterBatch / maxEvents stopped it). Returns callbacks fired.
   */
  async runUntil(endMs: number, opts: RunOptions = {}): Promise<number> {
    const max = opts.maxEvents ?? Number.MAX_SAFE_INTEGER;
    let fired = 0;
    await settle();
    while (fired < max) {
      const t = this.nextLive();
      if (t === undefined || t > endMs) break;
      this.t = t;
      // Everything due now, including callbacks scheduled for this same instant while running (appended).
      const bucket = this.buckets.get(t)!;
      this.firing = bucket;
      let i = 0;
      for (; i < bucket.length && fired < max; i++) {
        const next = bucket[i]!;
        if (next.cancelled) {
          this.cancelledQueued--;
          continue;
        }
        if (next.interval > 0) {
          next.at += next.interval;
          next.seq = this.seq++;
          this.enqueue(next);
        }
        fired++;
        const fn = next.fn;
        if (next.pooled && this.pool.length < POOL_MAX) {
          next.fn = noop; // drop the reference before the callback can post again
          this.pool.push(next);
        }
        try {
          fn();
        } catch (err) {
          this.onError(err);
        }
      }
      this.firing = null;
      this.queued -= i;
      if (i === bucket.length) this.dropFirstInstant();
      else bucket.splice(0, i); // stopped by maxEvents: the rest stay, in order
      await settle();
      if (opts.afterBatch?.(this.t)) {
        this.fired += fired;
        return fired;
      }
    }
    if (fired < max && endMs > this.t) this.t = endMs;
    this.fired += fired;
    return fired;
  }

  runFor(ms: number, opts?: RunOptions): Promise<number> {
    return this.runUntil(this.t + ms, opts);
  }

  /** Drops every timer (end of a run: nothing may fire after the nodes are gone). */
  clear(): void {
    this.times = [];
    this.buckets.clear();
    this.queued = 0;
    this.cancelledQueued = 0;
  }

  private push(at: number, fn: () => void, interval: number): Timer {
    const timer: Timer = { at, seq: this.seq++, fn, interval, cancelled: false, pooled: false };
    this.enqueue(timer);
    return timer;
  }

  private cancel(handle: TimerHandle): void {
    const timer = handle as Timer | null | undefined;
    if (!timer || typeof timer !== 'object' || timer.cancelled) return;
    timer.cancelled = true;
    this.cancelledQueued++;
    // Lazy deletion keeps cancel O(1); compact when the dead outnumber the living.
    if (this.cancelledQueued > 1024 && this.cancelledQueued * 2 > this.queued) this.compact();
  }

  /** The earliest instant with a live timer, dropping instants that hold only cancelled ones. */
  private nextLive(): number | undefined {
    while (this.times.length > 0) {
      const t = this.times[0]!;
      const bucket = this.buckets.get(t)!;
      let live = false;
      for (const x of bucket) {
        if (!x.cancelled) {
          live = true;
          break;
        }
      }
      if (live) return t;
      this.queued -= bucket.length;
      this.cancelledQueued -= bucket.length;
      this.dropFirstInstant();
    }
    return undefined;
  }

  private compact(): void {
    for (const [t, bucket] of this.buckets) {
      if (bucket === this.firing) continue; // being walked: its dead are skipped there
      const live = bucket.filter((x) => !x.cancelled);
      const dead = bucket.length - live.length;
      if (dead === 0) continue;
      this.queued -= dead;
      this.cancelledQueued -= dead;
      if (live.length > 0) this.buckets.set(t, live);
      else this.buckets.delete(t);
    }
    this.times = [...this.buckets.keys()].sort((a, b) => a - b); // a sorted array is a valid min-heap
  }

  private enqueue(x: Timer): void {
    const bucket = this.buckets.get(x.at);
    this.queued++;
    if (bucket) {
      bucket.push(x);
      return;
    }
    this.buckets.set(x.at, [x]);
    const h = this.times;
    h.push(x.at);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= x.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = x.at;
  }

  private dropFirstInstant(): void {
    const h = this.times;
    this.buckets.delete(h[0]!);
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r]! < h[l]! ? r : l;
      if (h[c]! >= last) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

const noop = (): void => {};


/** Node's rule: a delay below 1 ms (or not a number) is 1 ms, so a timer never fires in its own instant. */
function delay(ms: number): number {
  return Number.isFinite(ms) && ms >= 1 ? ms : 1;
}
