export interface BenchCtx {
    /** Short runs (CI smoke): fewer iterations and sizes. */
    quick: boolean;
}
/** One measured implementation of a kernel at one size. */
export interface Row {
    kernel: string;
    size: number | string;
    impl: string;
    /** Items per second (an item is whatever `Case.items` counts: hashes, oscillator-steps, calls). */
    opsPerSec: number;
    /** opsPerSec / the baseline's opsPerSec in the same measure() call (baseline = 1). */
    ratio: number;
}
export interface Case {
    impl: string;
    fn: () => unknown;
    /** Items processed per call of fn (default 1), so rows compare per item. */
    items?: number;
}
/** tinybench time budgets for a context. */
export declare const budget: (ctx: BenchCtx) => {
    time: number;
    warmupTime: number;
    iterations: number;
};
/**
 * Runs the cases of one kernel at one size in a tinybench Bench and returns one row per case,
 * with ratios against the case named `baseline`. Throws if a case errors.
 */
export declare function measure(kernel: string, size: number | string, baseline: string, cases: Case[], ctx: BenchCtx): Promise<Row[]>;
/** Prints rows of any flat shape as an aligned text table (columns = union of keys). */
export declare function printTable(title: string, rows: readonly object[]): void;
export interface ResultsFile {
    [area: string]: {
        updated: string;
        node: string;
        cpu: string;
        threads: number;
        quick: boolean;
        rows: object[];
    };
}
/** Stores an area's rows in results.json (other areas' entries are kept). */
export declare function mergeResults(file: string, area: string, rows: readonly object[], ctx: BenchCtx): Promise<void>;
