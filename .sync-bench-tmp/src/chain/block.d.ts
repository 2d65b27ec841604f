import type { Core } from '../core/types.js';
import type { Block, Certificate, Header } from './types.js';
export declare const CERT_SIZE: number;
/** A block travels in one frame, so it fits in one. */
export declare const MAX_BLOCK_SIZE: number;
export declare const MAX_BLOCK_TXS: number;
export declare function encodeCert(c: Certificate): Uint8Array;
export declare function decodeCert(b: Uint8Array): Certificate;
/**
 * The header's certHash: sha256d(certificate bytes || minerAddress). Committing the miner address
 * here keeps a relaying peer from rewriting who is paid (the header otherwise does not cover it).
 */
export declare function certHash(core: Core, certBytes: Uint8Array, minerAddress: Uint8Array): Uint8Array;
/** Bitcoin-style merkle root of txids: pairwise sha256d, odd last duplicated; zeros when empty. */
export declare function merkleRoot(core: Core, txids: readonly Uint8Array[]): Uint8Array;
/** A decoded block plus the byte slices validation hashes. */
export interface BlockParts {
    block: Block;
    headerBytes: Uint8Array;
    certBytes: Uint8Array;
    txBytes: Uint8Array[];
}
export declare function decodeBlockParts(b: Uint8Array): BlockParts;
export declare const decodeBlock: (b: Uint8Array) => Block;
/** Assembles block bytes from already-encoded pieces. */
export declare function assembleBlock(header: Header | Uint8Array, minerAddress: Uint8Array, certBytes: Uint8Array, txBytes: readonly Uint8Array[]): Uint8Array;
export declare function encodeBlock(b: Block): Uint8Array;
/**
 * A certificate from CERT_PHASES phases: phases rounded to float32 first, so the r recorded is the
 * r every validator recomputes from the bytes.
 */
export declare function makeCertificate(core: Core, phases: Float64Array, rounds: number): Certificate;
