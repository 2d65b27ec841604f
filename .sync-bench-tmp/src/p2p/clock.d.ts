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
export declare const systemClock: Clock;
