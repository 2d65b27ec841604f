// Byte helpers for every layer (anchor: noble-hashes src/utils.ts): hex, equality, concatenation, copies.
import { InputError } from './errors.js';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Lower-case hex of the bytes (a view is read in place, not copied). */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Bytes of an even-length hex string (either case); anything else is an InputError `bad-hex`. */
export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string' || !HEX.test(s)) {
    const what = typeof s === 'string' ? `${s.length} chars${s.length % 2 ? ' (odd)' : ''}` : typeof s;
    throw new InputError('bad-hex', `expected hex bytes, got ${what}`);
  }
  return new Uint8Array(Buffer.from(s, 'hex'));
}

/** Same length and same bytes (not constant-time: nothing secret is compared). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One fresh array holding the parts in order. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The parts as one view when they already lie back to back in one buffer (e.g. headers decoded from one
 * BLOCKS message), else undefined: the caller concatenates.
 */
export function contiguousView(parts: readonly Uint8Array[]): Uint8Array | undefined {
  if (parts.length === 0) return undefined;
  const first = parts[0]!;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.buffer !== first.buffer || p.byteOffset !== end) return undefined;
    end += p.length;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** A fresh plain Uint8Array copy of [start, end) (never a view, never a Buffer). */
export const copyBytes = (b: Uint8Array, start = 0, end = b.length): Uint8Array => new Uint8Array(b.subarray(start, end));

/** A DataView over exactly these bytes. */
export const dataView = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Unsigned big-endian bytes → bigint. */
export function bytesToBigBE(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

/** bigint ≥ 0 → `len`-byte big-endian, keeping the low `len` bytes. */
export function bigToBytesBE(x: bigint, len = 32): Uint8Array {
  if (len === 0) return new Uint8Array(0);
  return fromHex(x.toString(16).padStart(2 * len, '0').slice(-2 * len));
}
