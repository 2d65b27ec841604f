import { type KeyObject } from 'node:crypto';
import type { Core } from '../core/types.js';
import type { Tx } from './types.js';
/** Bytes of a transaction covered by the signature. */
export declare const TX_SIGNED_SIZE = 76;
export declare function encodeTx(tx: Tx, out?: Uint8Array, off?: number): Uint8Array;
export declare function decodeTx(b: Uint8Array): Tx;
/** "bloomcoin-tx" || magic u32 LE || the first 76 bytes. */
export declare function txSigningMessage(txBytes: Uint8Array, magic: number): Buffer;
export declare const txid: (core: Core, txBytes: Uint8Array) => Uint8Array;
/** address = sha256(raw ed25519 public key)[0..20]. */
export declare function addressOf(publicKey: Uint8Array): Uint8Array;
export interface KeyPair {
    privateKey: KeyObject;
    /** raw 32 bytes */
    publicKey: Uint8Array;
    address: Uint8Array;
}
export declare function newKeyPair(): KeyPair;
/** Deterministic key pair from a 32-byte ed25519 seed (wallet files, tests). */
export declare function keyPairFromSeed(seed: Uint8Array): KeyPair;
export declare function publicKeyObject(raw: Uint8Array): KeyObject;
export interface UnsignedTx {
    to: Uint8Array;
    amount: bigint;
    fee: bigint;
    nonce: bigint;
}
/** Builds and signs a transaction; returns its 140 bytes. */
export declare function signTx(key: KeyPair, t: UnsignedTx, magic: number): Uint8Array;
/** True when the signature verifies for the embedded public key (malformed keys are false). */
export declare function verifyTxSignature(txBytes: Uint8Array, magic: number): boolean;
