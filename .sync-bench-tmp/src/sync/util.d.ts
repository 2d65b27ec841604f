/** Height field of a serialized header (docs/design.md: u32 LE at offset 2). */
export declare const headerHeight: (b: Uint8Array) => number;
/** prevHash field of a serialized header (a view, not a copy). */
export declare const headerPrev: (b: Uint8Array) => Uint8Array;
export declare function sha256d(b: Uint8Array): Uint8Array;
/** Block hash = sha256d of its first HEADER_SIZE bytes. */
export declare const blockHash: (block: Uint8Array) => Uint8Array;
export declare const toHex: (b: Uint8Array) => string;
/** Runs jobs one at a time in arrival order; `size` counts queued plus running. */
export declare class SerialQueue {
    private tail;
    size: number;
    run<T>(fn: () => Promise<T>): Promise<T>;
    /** Resolves when everything queued so far has finished. */
    idle(): Promise<void>;
}
/** Height samples over a sliding window, for a blocks-per-second rate. */
export declare class RateMeter {
    private readonly windowMs;
    private readonly samples;
    constructor(windowMs: number);
    add(t: number, v: number): void;
    /** Units per second over the window; 0 with fewer than two samples. */
    rate(): number;
}
/** A bounded set of recently seen keys (oldest forgotten first). */
export declare class RecentSet {
    private readonly cap;
    private readonly keys;
    constructor(cap: number);
    has(k: string): boolean;
    add(k: string): void;
}
