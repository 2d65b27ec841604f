export type WorkerTask = {
    op: 'batch';
    input: SharedArrayBuffer;
    itemSize: number;
    from: number;
    to: number;
    output: SharedArrayBuffer;
} | {
    op: 'kuramoto';
    buf: SharedArrayBuffer;
    n: number;
    coupling: number;
    dt: number;
    steps: number;
} | {
    op: 'grind';
    shared: SharedArrayBuffer;
    start: number;
    count: number;
    chunk: number;
};
/** Layout of a grind task's SharedArrayBuffer: stop flag, header, target. */
export declare const GRIND_FLAG = 0;
export declare const GRIND_HEADER = 16;
export declare const GRIND_TARGET = 144;
export declare const GRIND_SHARED_BYTES = 176;
/** Worker result when a grind stopped because the flag was raised (by a finder or an abort). */
export declare const GRIND_STOPPED = -2;
