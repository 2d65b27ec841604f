/** 16 bytes for an IPv4 or IPv6 literal (brackets allowed), null for anything else (names, zones). */
export declare function parseIp(host: string): Uint8Array | null;
/** Canonical text of 16 address bytes: dotted IPv4 when v4-mapped, else RFC 5952 IPv6. */
export declare function formatIp(b: Uint8Array): string;
/** Host text without the v4-mapped prefix Node reports on dual-stack sockets. */
export declare function normalizeHost(host: string): string;
