// Block header format (docs/design.md): 118 bytes, LE integers, nonce last; compact targets and work.
import { HEADER_SIZE, NONCE_OFFSET } from '../constants.js';
import type { Core } from '../core/types.js';
import { ValidationError } from '../errors.js';
import { bigToBytesBE, bytesToBigBE, copyBytes, dataView } from '../bytes.js';
import type { Header } from './types.js';

export const HEADER_VERSION = 1;

/** Byte offsets of the header fields (docs/design.md); the timestamp is a u64, read as two u32 words. */
export const HEADER_OFFSET = {
  version: 0,
  height: 2,
  prevHash: 6,
  merkleRoot: 38,
  certHash: 70,
  timestamp: 102,
  bits: 110,
  nonce: NONCE_OFFSET,
} as const;
const O = HEADER_OFFSET;

/** Timestamp of the header at byte `off` of `dv` (ms; exact below 2^53). */
export const headerTimeAt = (dv: DataView, off: number): number => dv.getUint32(off + O.timestamp + 4, true) * 0x1_0000_0000 + dv.getUint32(off + O.timestamp, true);
/** Compact bits of the header at byte `off` of `dv`. */
export const headerBitsAt = (dv: DataView, off: number): number => dv.getUint32(off + O.bits, true);
/** The parent hash of the header at byte `off` of `buf` (a view). */
export const headerPrevAt = (buf: Uint8Array, off: number): Uint8Array => buf.subarray(off + O.prevHash, off + O.prevHash + 32);
const TWO_256 = 1n << 256n;

export function encodeHeader(h: Header, out: Uint8Array = new Uint8Array(HEADER_SIZE), off = 0): Uint8Array {
  const dv = new DataView(out.buffer, out.byteOffset + off, HEADER_SIZE);
  dv.setUint16(O.version, h.version, true);
  dv.setUint32(O.height, h.height, true);
  out.set(h.prevHash, off + O.prevHash);
  out.set(h.merkleRoot, off + O.merkleRoot);
  out.set(h.certHash, off + O.certHash);
  dv.setBigUint64(O.timestamp, BigInt(h.timestamp), true);
  dv.setUint32(O.bits, h.bits, true);
  dv.setUint32(NONCE_OFFSET, h.nonce, true);
  return out;
}

/** Decodes exactly HEADER_SIZE bytes; the hashes view one private copy (safe to keep). */
export function decodeHeader(bytes: Uint8Array): Header {
  return decodeOwnedHeader(copyBytes(bytes));
}

/** Like decodeHeader, but the hashes view `b` itself: the caller hands over ownership of b. */
export function decodeOwnedHeader(b: Uint8Array): Header {
  if (b.length !== HEADER_SIZE) throw new ValidationError('bad-size', `header is ${b.length} bytes, want ${HEADER_SIZE}`);
  const dv = dataView(b);
  const ts = dv.getBigUint64(O.timestamp, true);
  if (ts > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValidationError('time-too-new', 'timestamp beyond 2^53 ms');
  return {
    version: dv.getUint16(O.version, true),
    height: dv.getUint32(O.height, true),
    prevHash: b.subarray(O.prevHash, O.merkleRoot),
    merkleRoot: b.subarray(O.merkleRoot, O.certHash),
    certHash: b.subarray(O.certHash, O.timestamp),
    timestamp: Number(ts),
    bits: dv.getUint32(O.bits, true),
    nonce: dv.getUint32(NONCE_OFFSET, true),
  };
}

export const hashHeader = (core: Core, headerBytes: Uint8Array): Uint8Array => core.sha256d(headerBytes);

/** Bitcoin's SetCompact; undefined for negative, zero or overflowing encodings. */
export function bitsToTarget(bits: number): bigint | undefined {
  const size = bits >>> 24;
  const word = bits & 0x007f_ffff;
  if (word === 0 || bits & 0x0080_0000) return undefined;
  if (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)) return undefined;
  const t = size <= 3 ? BigInt(word >>> (8 * (3 - size))) : BigInt(word) << BigInt(8 * (size - 3));
  return t === 0n || t >= TWO_256 ? undefined : t;
}

/** Bitcoin's GetCompact (rounds the target down to 3 significant bytes). */
export function targetToBits(target: bigint): number {
  if (target <= 0n) return 0;
  let size = Math.ceil(target.toString(16).length / 2);
  let compact = size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  if (compact & 0x0080_0000) {
    compact >>>= 8;
    size++;
  }
  return ((size << 24) | compact) >>> 0;
}

/** 32-byte big-endian target, the form `Core.grindNonces` takes. */
export const targetBytes = (target: bigint): Uint8Array => bigToBytesBE(target);

/** Hash read as a big-endian 256-bit integer ≤ target. */
export function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean {
  return bytesToBigBE(hash) <= target;
}

/** floor(2^256 / (target + 1)). */
export const workOf = (target: bigint): bigint => TWO_256 / (target + 1n);

/** Memoises a value derived from compact bits (bits repeat for whole retarget periods); bad bits throw 'bad-bits'. */
function byBits<T>(derive: (target: bigint) => T): (bits: number) => T {
  const cache = new Map<number, T>();
  return (bits) => {
    let v = cache.get(bits);
    if (v === undefined) {
      const t = bitsToTarget(bits);
      if (t === undefined) throw new ValidationError('bad-bits', `invalid compact target 0x${bits.toString(16)}`);
      v = derive(t);
      if (cache.size > 1024) cache.clear();
      cache.set(bits, v);
    }
    return v;
  };
}

/** Work for compact bits (cached). */
export const workOfBits: (bits: number) => bigint = byBits(workOf);
/** 32-byte big-endian target for compact bits (cached). */
export const targetBytesOfBits: (bits: number) => Uint8Array = byBits(targetBytes);
