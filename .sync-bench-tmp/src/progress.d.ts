import type { Logger } from './log.js';
import type { NodeView, SyncProgress } from './api/types.js';
/** Rate over a sliding window of (time, value) samples; bounded memory. */
export declare class RateMeter {
    private readonly windowMs;
    private readonly maxSamples;
    private readonly samples;
    constructor(windowMs?: number, maxSamples?: number);
    add(value: number, now: number): void;
    /** Units per second over the window; 0 with fewer than two samples or no elapsed time. */
    rate(): number;
    /** Seconds to reach `target` at the current rate; null when the rate is 0. */
    eta(target: number): number | null;
}
export declare function formatEta(sec: number | null): string;
export interface ReporterOptions {
    logger: Logger;
    /** Draw a bar (default: stderr is a terminal). */
    tty?: boolean;
    stream?: NodeJS.WritableStream;
    /** Least time between log lines when not on a terminal. */
    logEveryMs?: number;
}
type Progress = Pick<SyncProgress, 'headers' | 'blocks' | 'targetHeight'>;
export declare class SyncProgressReporter {
    private readonly opts;
    private readonly meter;
    private bar;
    private syncing;
    private lastLog;
    private readonly tty;
    constructor(opts: ReporterOptions);
    /** Feed one observation; returns the rate and ETA it computed. */
    update(p: Progress, now?: number): {
        rate: number;
        etaSec: number | null;
    };
    private finish;
    stop(): void;
    get active(): boolean;
}
/** Polls the node's sync progress into a reporter; returns a stop function. */
export declare function watchSync(view: Pick<NodeView, 'status'>, reporter: SyncProgressReporter, intervalMs?: number): () => void;
export {};
