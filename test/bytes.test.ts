import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigToBytesBE, bytesToBigBE, concatBytes, contiguousView, copyBytes, dataView, equalBytes, fromHex, toHex } from '../src/bytes.js';
import { InputError } from '../src/errors.js';

describe('bytes', () => {
  it('hex round-trips any bytes, in lower case, for views too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(8), (b, off) => {
        const padded = new Uint8Array(b.length + off + 3);
        padded.set(b, off);
        const v = padded.subarray(off, off + b.length);
        const h = toHex(v);
        expect(h).toMatch(/^[0-9a-f]*$/);
        expect(h.length).toBe(2 * b.length);
        expect(fromHex(h)).toEqual(b);
        expect(fromHex(h.toUpperCase())).toEqual(b);
      }),
    );
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
  });

  it('fromHex rejects odd length and non-hex with a typed error instead of truncating', () => {
    for (const bad of ['0', 'abc', 'zz', '0g', ' 00', '00 ', '0x00']) {
      let err: unknown;
      try {
        fromHex(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('bad-hex');
    }
    expect(() => fromHex(42 as unknown as string)).toThrow(InputError);
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it('equalBytes is byte equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(equalBytes(a, b)).toBe(toHex(a) === toHex(b));
        expect(equalBytes(a, copyBytes(a))).toBe(true);
      }),
    );
  });

  it('concatBytes keeps order and length; copyBytes is a fresh array', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 6 }), (parts) => {
        expect(toHex(concatBytes(parts))).toBe(parts.map(toHex).join(''));
      }),
    );
    const src = Uint8Array.of(1, 2, 3, 4);
    const c = copyBytes(src, 1, 3);
    c[0] = 9;
    expect([...src]).toEqual([1, 2, 3, 4]);
    expect(c.buffer).not.toBe(src.buffer);
    expect(Buffer.isBuffer(copyBytes(Buffer.from([1])))).toBe(false);
    expect(dataView(src.subarray(2)).getUint8(0)).toBe(3);
  });

  it('big-endian bigint conversions round-trip within the width', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (x) => {
        expect(bytesToBigBE(bigToBytesBE(x))).toBe(x);
        expect(bigToBytesBE(x).length).toBe(32);
      }),
    );
    expect(toHex(bigToBytesBE(0x1234n, 4))).toBe('00001234');
    expect(toHex(bigToBytesBE(0x123456n, 2))).toBe('3456');
    expect(bytesToBigBE(new Uint8Array(0))).toBe(0n);
  });

  it('contiguousView: parts back to back in one buffer as one view, anything else undefined', () => {
    const buf = new Uint8Array([0, 1, 2, 3, 4, 5, 6]);
    const v = contiguousView([buf.subarray(1, 3), buf.subarray(3, 4), buf.subarray(4, 6)])!;
    expect([...v]).toEqual([1, 2, 3, 4, 5]);
    expect(v.buffer).toBe(buf.buffer);
    expect(contiguousView([buf.subarray(1, 3), buf.subarray(4, 6)])).toBeUndefined();
    expect(contiguousView([buf.subarray(1, 3), new Uint8Array([3])])).toBeUndefined();
    expect(contiguousView([])).toBeUndefined();
  });
});
