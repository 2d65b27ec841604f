// Time for every layer, injectable so the simulator and tests run the same code on virtual time.

/** Opaque timer handle returned by a Clock. */
export type TimerHandle = unknown;

/** The one way to read the time: modules that only need "now" take a `TimeSource`. */
export interface TimeSource {
  /** Milliseconds since the Unix epoch (virtual clocks keep that meaning). */
  now(): number;
}

/** Time plus timers, for modules with timeouts and intervals. */
export interface Clock extends TimeSource {
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

/** A TimeSource from a bare `now()` function (the form older options took). */
export const timeSource = (now: () => number): TimeSource => ({ now });
