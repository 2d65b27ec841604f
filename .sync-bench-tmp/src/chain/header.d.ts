import type { Core } from '../core/types.js';
import type { Header } from './types.js';
export declare const HEADER_VERSION = 1;
export declare function encodeHeader(h: Header, out?: Uint8Array, off?: number): Uint8Array;
/** Decodes exactly HEADER_SIZE bytes; the hashes view one private copy (safe to keep). */
export declare function decodeHeader(bytes: Uint8Array): Header;
/** Like decodeHeader, but the hashes view `b` itself: the caller hands over ownership of b. */
export declare function decodeOwnedHeader(b: Uint8Array): Header;
export declare const hashHeader: (core: Core, headerBytes: Uint8Array) => Uint8Array;
/** Bitcoin's SetCompact; undefined for negative, zero or overflowing encodings. */
export declare function bitsToTarget(bits: number): bigint | undefined;
/** Bitcoin's GetCompact (rounds the target down to 3 significant bytes). */
export declare function targetToBits(target: bigint): number;
/** 32-byte big-endian target, the form `Core.grindNonces` takes. */
export declare const targetBytes: (target: bigint) => Uint8Array;
/** Hash read as a big-endian 256-bit integer ≤ target. */
export declare function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean;
/** floor(2^256 / (target + 1)). */
export declare const workOf: (target: bigint) => bigint;
/** Work for compact bits (cached: bits repeat for whole retarget periods). */
export declare function workOfBits(bits: number): bigint;
