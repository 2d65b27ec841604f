// Messages between CorePool and its workers (kept apart from worker.ts, which loads a core on import).
/** Layout of a grind task's SharedArrayBuffer: stop flag, header, target. */
export const GRIND_FLAG = 0; // Int32 index: 0 = running, 1 = stop (found or aborted)
export const GRIND_HEADER = 16;
export const GRIND_TARGET = 144;
export const GRIND_SHARED_BYTES = 176;
/** Worker result when a grind stopped because the flag was raised (by a finder or an abort). */
export const GRIND_STOPPED = -2;
//# sourceMappingURL=pool-protocol.js.map