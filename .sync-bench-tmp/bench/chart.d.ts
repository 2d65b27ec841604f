import type { ResultsFile, Row } from './lib.js';
interface Group {
    kernel: string;
    size: number | string;
    area: string;
    rows: Row[];
}
export declare function groups(results: ResultsFile): Group[];
export declare function svg(gs: Group[], title: string): string;
export declare function markdownTables(gs: Group[]): string;
interface Target {
    name: string;
    value: number | undefined;
    goal: number;
    /** 'min': value ≥ goal; 'max': value ≤ goal. */
    kind: 'min' | 'max';
}
export declare function targets(gs: Group[]): Target[];
export declare function markdownTargets(ts: Target[]): string;
export {};
