// Time as the peer layer sees it: injectable so the simulator can run the same code on virtual time.

/** Opaque timer handle returned by a Clock. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the Unix epoch (virtual clocks keep that meaning). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** Wall-clock time and Node's timers. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: TimerHandle) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn: () => void, ms: number) => setInterval(fn, ms),
  clearInterval: (h: TimerHandle) => clearInterval(h as NodeJS.Timeout),
});
