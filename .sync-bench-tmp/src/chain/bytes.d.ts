export declare const ZERO_HASH: Uint8Array;
export declare function toHex(b: Uint8Array): string;
export declare function fromHex(s: string): Uint8Array;
export declare function bytesEqual(a: Uint8Array, b: Uint8Array): boolean;
export declare function concatBytes(parts: readonly Uint8Array[]): Uint8Array;
/** A fresh Uint8Array copy (Buffer.prototype.slice would return a view). */
export declare const copyBytes: (b: Uint8Array, start?: number, end?: number) => Uint8Array;
export declare const view: (b: Uint8Array) => DataView;
/** Unsigned big-endian bytes → bigint. */
export declare function bytesToBigBE(b: Uint8Array): bigint;
/** bigint → `len`-byte big-endian (callers stay below 2^(8·len)). */
export declare function bigToBytesBE(x: bigint, len?: number): Uint8Array;
/** a ≤ b for equal-length big-endian byte strings (no bigint on the hot path). */
export declare function lessOrEqualBE(a: Uint8Array, b: Uint8Array): boolean;
