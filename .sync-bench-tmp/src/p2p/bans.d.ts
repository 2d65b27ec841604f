export interface BanEntry {
    host: string;
    /** Clock ms when the ban ends. */
    until: number;
    reason: string;
}
export declare class BanList {
    private readonly maxEntries;
    private readonly bans;
    constructor(maxEntries?: number);
    ban(host: string, until: number, reason: string): void;
    unban(host: string): boolean;
    isBanned(host: string, now: number): boolean;
    /** Drops expired entries; returns the live ones. */
    list(now: number): BanEntry[];
    get size(): number;
    load(entries: readonly BanEntry[], now: number): void;
}
