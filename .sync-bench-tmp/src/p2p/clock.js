// Time as the peer layer sees it: injectable so the simulator can run the same code on virtual time.
/** Wall-clock time and Node's timers. */
export const systemClock = Object.freeze({
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (h) => clearInterval(h),
});
//# sourceMappingURL=clock.js.map