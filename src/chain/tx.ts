// Transactions (docs/design.md): 140 bytes, ed25519 via node:crypto, account model with nonces.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { TX_SIZE } from '../constants.js';
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import { copyBytes, dataView } from '../bytes.js';
import { BytesLru } from './bytesmap.js';
import type { Tx } from './types.js';

/** Bytes of a transaction covered by the signature. */
export const TX_SIGNED_SIZE = 76;
const SIG_DOMAIN = Buffer.from('bloomcoin-tx', 'ascii');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const U64_MAX = 0xffff_ffff_ffff_ffffn;

export function encodeTx(tx: Tx, out: Uint8Array = new Uint8Array(TX_SIZE), off = 0): Uint8Array {
  if (tx.from.length !== 32 || tx.to.length !== 20 || tx.signature.length !== 64) {
    throw new ValidationError('bad-size', 'tx field has the wrong length');
  }
  for (const v of [tx.amount, tx.fee, tx.nonce]) {
    if (v < 0n || v > U64_MAX) throw new ValidationError('bad-size', 'tx amount, fee or nonce outside u64');
  }
  const dv = new DataView(out.buffer, out.byteOffset + off, TX_SIZE);
  out.set(tx.from, off);
  out.set(tx.to, off + 32);
  dv.setBigUint64(52, tx.amount, true);
  dv.setBigUint64(60, tx.fee, true);
  dv.setBigUint64(68, tx.nonce, true);
  out.set(tx.signature, off + 76);
  return out;
}

export function decodeTx(b: Uint8Array): Tx {
  if (b.length !== TX_SIZE) throw new ValidationError('bad-size', `tx is ${b.length} bytes, want ${TX_SIZE}`);
  const dv = dataView(b);
  return {
    from: copyBytes(b, 0, 32),
    to: copyBytes(b, 32, 52),
    amount: dv.getBigUint64(52, true),
    fee: dv.getBigUint64(60, true),
    nonce: dv.getBigUint64(68, true),
    signature: copyBytes(b, 76, 140),
  };
}

/** "bloomcoin-tx" || magic u32 LE || the first 76 bytes. */
export function txSigningMessage(txBytes: Uint8Array, magic: number): Buffer {
  const m = Buffer.alloc(SIG_DOMAIN.length + 4 + TX_SIGNED_SIZE);
  SIG_DOMAIN.copy(m, 0);
  m.writeUInt32LE(magic >>> 0, SIG_DOMAIN.length);
  m.set(txBytes.subarray(0, TX_SIGNED_SIZE), SIG_DOMAIN.length + 4);
  return m;
}

export const txid = (core: Pick<Core, 'sha256d'>, txBytes: Uint8Array): Uint8Array => core.sha256d(txBytes);

/** address = sha256(raw ed25519 public key)[0..20]. */
export function addressOf(publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(publicKey).digest().subarray(0, 20));
}

export interface KeyPair {
  privateKey: KeyObject;
  /** raw 32 bytes */
  publicKey: Uint8Array;
  address: Uint8Array;
}

function pairFrom(privateKey: KeyObject): KeyPair {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

export function newKeyPair(): KeyPair {
  return pairFrom(generateKeyPairSync('ed25519').privateKey);
}

/** Deterministic key pair from a 32-byte ed25519 seed (wallet files, tests). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new ValidationError('bad-size', 'ed25519 seed must be 32 bytes');
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  return pairFrom(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export interface UnsignedTx {
  to: Uint8Array;
  amount: bigint;
  fee: bigint;
  nonce: bigint;
}

/** Builds and signs a transaction; returns its 140 bytes. */
export function signTx(key: KeyPair, t: UnsignedTx, magic: number): Uint8Array {
  const bytes = encodeTx({ from: key.publicKey, ...t, signature: new Uint8Array(64) });
  const sig = sign(null, txSigningMessage(bytes, magic), key.privateKey);
  bytes.set(sig, 76);
  return bytes;
}

/** Parsed public keys a thread keeps: an account sends many txs, and parsing one is ~40 % of a verify. */
export const PUBLIC_KEY_CACHE = 4096;
const publicKeys = new BytesLru<KeyObject>(PUBLIC_KEY_CACHE);

/** The KeyObject of a raw ed25519 public key, parsed once per thread while it stays in use (throws as createPublicKey). */
function cachedPublicKey(raw: Uint8Array): KeyObject {
  const k = raw.slice(); // our own bytes: the caller's may be a view into shared memory the next batch overwrites
  let key = publicKeys.get(k);
  if (key === undefined) {
    key = publicKeyObject(k);
    publicKeys.set(k, key);
  }
  return key;
}

/** True when the signature verifies for the embedded public key (malformed keys are false). */
export function verifyTxSignature(txBytes: Uint8Array, magic: number): boolean {
  if (txBytes.length !== TX_SIZE) return false;
  try {
    const key = cachedPublicKey(txBytes.subarray(0, 32));
    return verify(null, txSigningMessage(txBytes, magic), key, txBytes.subarray(76, 140));
  } catch {
    return false;
  }
}
