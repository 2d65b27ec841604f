import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEADER_SIZE, MAX_MESSAGE_SIZE } from '../src/constants.js';
import { InputError, ProtocolError } from '../src/errors.js';
import { decodeMessage, encodeMessage, encodeMessageFrame, isKnownType, typeName } from '../src/wire/codec.js';
import { encodeFrame, FrameDecoder, type Frame } from '../src/wire/frame.js';
import { formatIp } from '../src/wire/ip.js';
import { MsgType, type Message } from '../src/wire/types.js';
import { messagesOf } from './helpers/fuzz-targets.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const u32 = fc.nat({ max: 0xffffffff });

const arbMsg = messagesOf({ addrs: 20, headers: 8, hashes: 8, block: 600, tx: 200, phases: 40 });

const allTypes = [...Object.values(MsgType), 0x00, 0x07, 0x7f, 0xff];

function expectProtocolError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    expect(typeof (e as ProtocolError).code).toBe('string');
  }
}

describe('codec', () => {
  it('decode(encode(x)) = x for every message type', () => {
    const seen = new Set<number>();
    fc.assert(fc.property(arbMsg, (m) => {
      seen.add(m.type);
      const back = decodeMessage(m.type, encodeMessage(m));
      expect(back).toEqual(m);
    }), { numRuns: 1500 });
    expect(seen.size).toBe(Object.keys(MsgType).length);
  });

  it('random bytes never throw anything but ProtocolError', () => {
    fc.assert(fc.property(fc.constantFrom(...allTypes), fc.uint8Array({ maxLength: 300 }), (t, p) => {
      expectProtocolError(() => decodeMessage(t, p));
    }), { numRuns: 3000 });
  });

  it('truncated and extended encodings throw only ProtocolError', () => {
    fc.assert(fc.property(arbMsg, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), (m, cut, extra) => {
      const enc = encodeMessage(m);
      if (enc.length > 0) expectProtocolError(() => decodeMessage(m.type, enc.subarray(0, cut % enc.length)));
      const longer = new Uint8Array(enc.length + extra.length);
      longer.set(enc);
      longer.set(extra, enc.length);
      expectProtocolError(() => decodeMessage(m.type, longer));
    }), { numRuns: 1500 });
  });

  it('a bare 20-byte VERSION decodes without extension', () => {
    const b = new Uint8Array(20);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 1, true);
    dv.setUint32(4, 42, true);
    dv.setBigUint64(8, 1_700_000_000n, true);
    dv.setUint32(16, 7618, true);
    expect(decodeMessage(MsgType.VERSION, b)).toEqual({ type: 1, version: 1, height: 42, timestamp: 1_700_000_000, port: 7618 });
    expect(() => decodeMessage(MsgType.VERSION, b.subarray(0, 19))).toThrow(ProtocolError);
    // a partial extension is an error, not silently dropped
    const partial = new Uint8Array(25);
    partial.set(b);
    expect(() => decodeMessage(MsgType.VERSION, partial)).toThrowError(expect.objectContaining({ code: 'truncated' }));
  });

  it('enforces counts and lengths with stable codes', () => {
    const code = (t: number, p: Uint8Array) => {
      try {
        decodeMessage(t, p);
        return 'ok';
      } catch (e) {
        return (e as ProtocolError).code;
      }
    };
    const u32le = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);
    expect(code(MsgType.BLOCKS, u32le(501))).toBe('too-many-headers');
    expect(code(MsgType.BLOCKS, u32le(2))).toBe('truncated');
    expect(code(MsgType.GETDATA, u32le(501))).toBe('too-many-hashes');
    expect(code(MsgType.ADDR, new Uint8Array([0xe9, 0x03]))).toBe('too-many-addrs');
    expect(code(MsgType.VERACK, new Uint8Array(1))).toBe('trailing-bytes');
    const phase = new Uint8Array(16);
    new DataView(phase.buffer).setUint32(8, 2, true);
    expect(code(MsgType.PHASE, phase)).toBe('bad-phase-length');
    new DataView(phase.buffer).setUint32(8, 10_001, true);
    expect(code(MsgType.PHASE, phase)).toBe('too-many-phases');
    expect(code(MsgType.PHASE, new Uint8Array(11))).toBe('truncated');
    expect(code(0x7f, new Uint8Array(0))).toBe('unknown-type');
    const ver = encodeMessage({ type: MsgType.VERSION, version: 1, height: 0, timestamp: 0, port: 0, ext: { magic: 1, nonce: 2n, chainWork: 0n, userAgent: 'x' } });
    ver[ver.length - 1] = 0xff; // invalid UTF-8
    expect(code(MsgType.VERSION, ver)).toBe('bad-user-agent');
    expect(isKnownType(0x05)).toBe(true);
    expect(typeName(0x7f)).toBe('0x7f');
  });

  it('encode rejects out-of-range fields with InputError', () => {
    expect(() => encodeMessage({ type: MsgType.GETBLOCKS, start: -1, count: 1 })).toThrow(InputError);
    expect(() => encodeMessage({ type: MsgType.ADDR, addrs: [{ host: 'example.com', port: 1, lastSeen: 0 }] })).toThrow(InputError);
    expect(() => encodeMessage({ type: MsgType.BLOCKS, headers: [new Uint8Array(10)] })).toThrow(InputError);
    expect(() => encodeMessage({ type: MsgType.VERSION, version: 1, height: 0, timestamp: 0, port: 0, ext: { magic: 1, nonce: 2n, chainWork: 0n, userAgent: 'x'.repeat(65) } })).toThrow(InputError);
  });
});

describe('frames', () => {
  const drain = (d: FrameDecoder, chunks: Uint8Array[]): Frame[] => chunks.flatMap((c) => d.push(c)).map((f) => ({ type: f.type, payload: new Uint8Array(f.payload) }));

  it('decodes frames split at every byte and coalesced', () => {
    fc.assert(fc.property(fc.array(arbMsg, { minLength: 1, maxLength: 6 }), fc.array(fc.nat({ max: 50 }), { maxLength: 30 }), (msgs, cuts) => {
      const frames = msgs.map(encodeMessageFrame);
      const all = Buffer.concat(frames);
      // arbitrary chunking
      const chunks: Uint8Array[] = [];
      let off = 0;
      for (const c of cuts) {
        if (off >= all.length) break;
        chunks.push(all.subarray(off, off + c));
        off += c;
      }
      chunks.push(all.subarray(off));
      const want = msgs.map((m) => ({ type: m.type, payload: encodeMessage(m) }));
      expect(drain(new FrameDecoder(), chunks)).toEqual(want);
      // byte by byte
      const single = [...all].map((b) => Uint8Array.of(b));
      expect(drain(new FrameDecoder(), single)).toEqual(want);
      // one coalesced chunk
      expect(drain(new FrameDecoder(), [all])).toEqual(want);
    }), { numRuns: 150 });
  });

  it('rejects a claimed length over 1 MiB before allocating it', () => {
    const d = new FrameDecoder();
    const hdr = new Uint8Array(5);
    hdr[0] = MsgType.BLOCK;
    new DataView(hdr.buffer).setUint32(1, MAX_MESSAGE_SIZE + 1, true);
    expect(d.push(hdr.subarray(0, 3))).toEqual([]);
    expect(() => d.push(hdr.subarray(3))).toThrowError(expect.objectContaining({ code: 'frame-too-large' }));
    expect(d.bufferedBytes).toBeLessThan(16);
    expect(() => d.push(new Uint8Array(1))).toThrow(ProtocolError); // poisoned
    // 0xffffffff in the fast path too
    const d2 = new FrameDecoder();
    expect(() => d2.push(Uint8Array.of(0x13, 0xff, 0xff, 0xff, 0xff, 1, 2))).toThrowError(expect.objectContaining({ code: 'frame-too-large' }));
    // exactly 1 MiB is fine
    const big = encodeFrame(MsgType.BLOCK, new Uint8Array(MAX_MESSAGE_SIZE));
    expect(new FrameDecoder().push(big)[0]!.payload.length).toBe(MAX_MESSAGE_SIZE);
    expect(() => encodeFrame(MsgType.BLOCK, new Uint8Array(MAX_MESSAGE_SIZE + 1))).toThrow(ProtocolError);
  });

  it('random byte streams throw only ProtocolError', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }), (chunks) => {
      const d = new FrameDecoder(1000);
      expectProtocolError(() => {
        for (const c of chunks) for (const f of d.push(c)) expectProtocolError(() => decodeMessage(f.type, f.payload));
      });
    }), { numRuns: 2000 });
  });
});
