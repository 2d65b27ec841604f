import type { Core } from '../core/types.js';
import { type BlockParts } from './block.js';
import type { Certificate, Header } from './types.js';
/** Claimed r and recomputed r may differ by float32 rounding, no more. */
export declare const CERT_R_TOLERANCE = 0.0001;
/** What a header is checked against: its parent. */
export interface ParentRef {
    hash: Uint8Array;
    height: number;
    timestamp: number;
}
/** Contextual header rules: version, link, height, time window, required bits, proof. */
export declare function checkHeader(h: Header, hash: Uint8Array, parent: ParentRef, expectedBits: number, now: number): void;
/** Certificate rules: enough rounds, recomputed r ≥ Z_C, claimed r within tolerance. */
export declare function checkCertificate(core: Core, cert: Certificate): void;
/**
 * Rules that need no chain state: merkle root, certificate hash and rules, no repeated tx,
 * every signature. Returns the txids in block order.
 */
export declare function checkBlockBody(core: Core, parts: BlockParts, magic: number): Uint8Array[];
/** Body failures that do not condemn the header: another body with the same header may be valid. */
export declare const MUTABLE_BODY_CODES: ReadonlySet<string>;
