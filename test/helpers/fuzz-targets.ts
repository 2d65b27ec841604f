// Fuzz properties shared by the CI fuzz tests (tens of thousands of inputs) and the torture runs (millions).
// Each decoder may reject input only with its typed error (wire: ProtocolError; chain: ValidationError).
import fc from 'fast-check';
import { CERT_PHASES, DEVNET, HEADER_SIZE, MAX_PHASES } from '../../src/constants.js';
import { BloomError, isErrorCode as knownCode, ProtocolError, ValidationError } from '../../src/errors.js';
import type { Core } from '../../src/core/types.js';
import { assembleBlock, decodeBlockParts } from '../../src/chain/block.js';
import { decodeCert, encodeCert } from '../../src/chain/cert.js';
import { decodeHeader, encodeHeader } from '../../src/chain/header.js';
import { decodeTx, keyPairFromSeed, signTx } from '../../src/chain/tx.js';
import { decodeMessage, encodeMessage, encodeMessageFrame, MAX_USER_AGENT_BYTES } from '../../src/wire/codec.js';
import { encodeFrame, FRAME_HEADER_SIZE, FrameDecoder } from '../../src/wire/frame.js';
import { formatIp } from '../../src/wire/ip.js';
import { MsgType, type Message } from '../../src/wire/types.js';

type ErrorClass = typeof ProtocolError | typeof ValidationError;

/** Runs f; a throw must be an instance of `cls` with a code from the registry, anything else fails the property. */
export function onlyTyped<T>(cls: ErrorClass, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof cls) || !(e instanceof BloomError) || !knownCode(e.code)) {
      throw new Error(`expected ${cls.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    return undefined;
  }
}

// ---------------------------------------------------------------- arbitraries

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
// a valid VERSION's user agent: up to 16 graphemes, within the codec's byte limit (16 graphemes of
// astral-plane clusters can pass 64 UTF-8 bytes, which encodeMessage refuses: a generator bug, not a finding)
const utf8 = new TextEncoder();
const userAgentArb = fc.string({ maxLength: 16, unit: 'grapheme' }).filter((s) => utf8.encode(s).length <= MAX_USER_AGENT_BYTES);
const u32 = fc.nat({ max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const f32 = fc.float({ noDefaultInfinity: false }).map(Math.fround);

/** Phase state bytes `<ffI{n}f` with arbitrary floats (NaN, ±Inf included). */
export const phaseBytesOf = (maxPhases: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(f32, f32, fc.array(f32, { maxLength: maxPhases })).map(([r, psi, ph]) => {
    const b = new Uint8Array(12 + 4 * ph.length);
    const dv = new DataView(b.buffer);
    dv.setFloat32(0, r, true);
    dv.setFloat32(4, psi, true);
    dv.setUint32(8, ph.length, true);
    ph.forEach((p, i) => dv.setFloat32(12 + 4 * i, p, true));
    return b;
  });

export const arbPhaseBytes = phaseBytesOf(80);

/** Most entries / bytes per variable-length field of a generated message. */
export interface MessageSizes {
  addrs: number;
  headers: number;
  hashes: number;
  block: number;
  tx: number;
  phases: number;
}

/** Small messages, for fuzzing many of them. */
export const FUZZ_SIZES: MessageSizes = { addrs: 6, headers: 3, hashes: 4, block: 200, tx: 160, phases: 80 };

/** Every message type with valid field ranges. */
export const messagesOf = (n: MessageSizes): fc.Arbitrary<Message> => fc.oneof(
  fc.record({ type: fc.constant(MsgType.VERSION), version: u32, height: u32, timestamp: fc.nat({ max: Number.MAX_SAFE_INTEGER }), port: u32 }),
  fc.record({
    type: fc.constant(MsgType.VERSION), version: u32, height: u32, timestamp: fc.nat({ max: Number.MAX_SAFE_INTEGER }), port: u32,
    ext: fc.record({ magic: u32, nonce: u64, chainWork: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), userAgent: userAgentArb }),
  }),
  fc.constant({ type: MsgType.VERACK }),
  fc.constant({ type: MsgType.GETADDR }),
  fc.constant({ type: MsgType.GETPHASE }),
  fc.record({ type: fc.constant(MsgType.ADDR), addrs: fc.array(fc.record({ host: bytes(16).map(formatIp), port: fc.nat({ max: 0xffff }), lastSeen: u32 }), { maxLength: n.addrs }) }),
  fc.record({ type: fc.constant(MsgType.PING), nonce: u64 }),
  fc.record({ type: fc.constant(MsgType.PONG), nonce: u64 }),
  fc.record({ type: fc.constant(MsgType.GETBLOCKS), start: u32, count: u32 }),
  fc.record({ type: fc.constant(MsgType.BLOCKS), headers: fc.array(bytes(HEADER_SIZE), { maxLength: n.headers }) }),
  fc.record({ type: fc.constant(MsgType.GETDATA), hashes: fc.array(bytes(32), { maxLength: n.hashes }) }),
  fc.record({ type: fc.constant(MsgType.BLOCK), block: fc.uint8Array({ maxLength: n.block }) }),
  fc.record({ type: fc.constant(MsgType.TX), tx: fc.uint8Array({ maxLength: n.tx }) }),
  phaseBytesOf(n.phases).map((state) => ({ type: MsgType.PHASE, state }) as Message),
  fc.record({ type: fc.constant(MsgType.COHERENCE), r: f32, psi: f32, rounds: u32 }),
  fc.record({ type: fc.constant(MsgType.BLOOM), blockHash: bytes(32), cert: fc.uint8Array({ maxLength: 300 }) }),
);

export const arbMsg: fc.Arbitrary<Message> = messagesOf(FUZZ_SIZES);

/** Known types, unknown ones and every other byte value. */
export const arbType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.values(MsgType)) },
  { weight: 1, arbitrary: fc.nat({ max: 0xff }) },
);

/** Values that sit on the limits of counts, lengths and floats. */
const INTERESTING_U32 = [
  0, 1, 2, 7, 12, 63, 64, 65, 117, 118, 119, 139, 140, 141, 255, 256, 499, 500, 501, 999, 1000, 1001, 9999, 10_000, 10_001,
  0xffff, 0x10000, 1 << 20, (1 << 20) + 1, 0x7fffffff, 0x80000000, 0xffffffff,
  0x7fc00000 /* f32 NaN */, 0x7f800000 /* +Inf */, 0xff800000 /* -Inf */, 0x3f800001 /* just above 1.0 */, 0xbf800000 /* -1.0 */,
];

export type Mutation =
  | { k: 'set'; pos: number; v: number }
  | { k: 'u32'; pos: number; v: number }
  | { k: 'cut'; pos: number }
  | { k: 'ins'; pos: number; b: Uint8Array }
  | { k: 'del'; pos: number; n: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant('set' as const), pos: fc.nat(), v: fc.nat({ max: 255 }) }),
  fc.record({ k: fc.constant('u32' as const), pos: fc.nat(), v: fc.constantFrom(...INTERESTING_U32) }),
  fc.record({ k: fc.constant('cut' as const), pos: fc.nat() }),
  fc.record({ k: fc.constant('ins' as const), pos: fc.nat(), b: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ k: fc.constant('del' as const), pos: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
);
export const arbMutations = fc.array(arbMutation, { minLength: 1, maxLength: 4 });

/** Applies mutations in order (positions wrap to the current length). */
export function mutate(base: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b = base.slice();
  for (const m of muts) {
    const pos = m.pos % (b.length + 1);
    switch (m.k) {
      case 'set':
        if (b.length > 0) b[pos % b.length] = m.v;
        break;
      case 'u32':
        if (b.length >= 4) new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(pos % (b.length - 3), m.v >>> 0, true);
        break;
      case 'cut':
        b = b.slice(0, pos);
        break;
      case 'ins': {
        const o = new Uint8Array(b.length + m.b.length);
        o.set(b.subarray(0, pos));
        o.set(m.b, pos);
        o.set(b.subarray(pos), pos + m.b.length);
        b = o;
        break;
      }
      case 'del': {
        const end = Math.min(b.length, pos + m.n);
        const o = new Uint8Array(b.length - (end - pos));
        o.set(b.subarray(0, pos));
        o.set(b.subarray(end), pos);
        b = o;
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------- valid chain samples (no proof needed to decode)

function phasesCert(): Uint8Array {
  const phases = new Float64Array(CERT_PHASES);
  for (let i = 0; i < CERT_PHASES; i++) phases[i] = Math.fround(1 + 0.05 * Math.sin(i));
  return encodeCert({ r: 0.99, psi: 1, rounds: 7, phases });
}

function sampleHeader(height: number): Uint8Array {
  return encodeHeader({
    version: 1, height, prevHash: new Uint8Array(32).fill(height & 0xff), merkleRoot: new Uint8Array(32).fill(2),
    certHash: new Uint8Array(32).fill(3), timestamp: DEVNET.genesisTime + height * 2000, bits: DEVNET.startBits, nonce: 12345,
  });
}

const KEY = keyPairFromSeed(new Uint8Array(32).fill(7));
export const SAMPLE_TXS: Uint8Array[] = [0n, 1n, 2n].map((nonce) =>
  signTx(KEY, { to: new Uint8Array(20).fill(9), amount: 1000n + nonce, fee: 10n, nonce }, DEVNET.magic));
export const SAMPLE_HEADERS: Uint8Array[] = [1, 2, 1000].map(sampleHeader);
export const SAMPLE_BLOCKS: Uint8Array[] = [
  assembleBlock(SAMPLE_HEADERS[0]!, new Uint8Array(20).fill(0xaa), phasesCert(), []),
  assembleBlock(SAMPLE_HEADERS[1]!, new Uint8Array(20).fill(0xbb), phasesCert(), SAMPLE_TXS.slice(0, 1)),
  assembleBlock(SAMPLE_HEADERS[2]!, new Uint8Array(20).fill(0xcc), phasesCert(), SAMPLE_TXS),
];

// ---------------------------------------------------------------- properties

/** Arbitrary byte streams (valid frames, garbage, oversized claims) in arbitrary chunks into one FrameDecoder. */
export function frameStreamProperty(): fc.IPropertyWithHooks<[Uint8Array[], number[]]> {
  const MAX = 4096;
  const piece = fc.oneof(
    fc.tuple(arbType, fc.uint8Array({ maxLength: 200 })).map(([t, p]) => encodeFrame(t, p)),
    arbMsg.map(encodeMessageFrame),
    fc.uint8Array({ minLength: 1, maxLength: 40 }),
    fc.tuple(arbType, fc.constantFrom(MAX, MAX + 1, 0xffffffff, 1 << 20, (1 << 20) + 1)).map(([t, len]) => {
      const h = new Uint8Array(FRAME_HEADER_SIZE);
      h[0] = t;
      new DataView(h.buffer).setUint32(1, len >>> 0, true);
      return h;
    }),
  );
  return fc.property(fc.array(piece, { maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), (pieces, cuts) => {
    const stream = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of pieces) {
      stream.set(p, o);
      o += p.length;
    }
    const dec = new FrameDecoder(MAX);
    let failed: ProtocolError | null = null;
    let off = 0;
    for (let i = 0; off < stream.length; i++) {
      const end = Math.min(stream.length, off + cuts[i % cuts.length]!);
      const chunk = stream.subarray(off, end);
      off = end;
      try {
        for (const f of dec.push(chunk)) {
          if (f.payload.length > MAX) throw new Error(`frame of ${f.payload.length} bytes passed a ${MAX} cap`);
          // every payload must then decode to a message or a ProtocolError
          onlyTyped(ProtocolError, () => decodeMessage(f.type, f.payload));
        }
      } catch (e) {
        if (!(e instanceof ProtocolError) || e.code !== 'frame-too-large') throw e;
        if (failed && e !== failed) throw new Error('a poisoned decoder threw a new error');
        failed = e;
      }
      if (dec.bufferedBytes > MAX + FRAME_HEADER_SIZE) throw new Error(`decoder holds ${dec.bufferedBytes} bytes`);
    }
  });
}

/** Random payloads for every type byte. */
export function randomMessageProperty(): fc.IPropertyWithHooks<[number, Uint8Array]> {
  return fc.property(arbType, fc.uint8Array({ maxLength: 400 }), (t, p) => {
    onlyTyped(ProtocolError, () => decodeMessage(t, p));
  });
}

/** Valid encodings, mutated (bytes set, limit values written, cut, extended, spliced), decoded as their own type or another. */
export function mutatedMessageProperty(): fc.IPropertyWithHooks<[Message, Mutation[], boolean, number]> {
  return fc.property(arbMsg, arbMutations, fc.boolean(), arbType, (m, muts, sameType, other) => {
    const b = mutate(encodeMessage(m), muts);
    onlyTyped(ProtocolError, () => decodeMessage(sameType ? m.type : other, b));
  });
}

/** decodeMessage(encodeMessage(m)) round-trips: the fuzzers above rest on a codec that accepts what it makes. */
export function roundTripProperty(): fc.IPropertyWithHooks<[Message]> {
  return fc.property(arbMsg, (m) => {
    const back = decodeMessage(m.type, encodeMessage(m));
    if (back.type !== m.type) throw new Error('type changed');
  });
}

/** Header, tx, certificate and block decoders on random bytes of near-valid sizes. */
export function randomChainProperty(): fc.IPropertyWithHooks<[number, Uint8Array]> {
  const sized = fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.constantFrom(HEADER_SIZE, 140, 16 + 4 * CERT_PHASES, SAMPLE_BLOCKS[0]!.length).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  );
  return fc.property(fc.nat({ max: 3 }), sized, (which, b) => {
    onlyTyped(ValidationError, () => decodeChain(which, b));
  });
}

/** Valid headers, txs, certificates and blocks, mutated. */
export function mutatedChainProperty(): fc.IPropertyWithHooks<[number, number, Mutation[]]> {
  return fc.property(fc.nat({ max: 3 }), fc.nat({ max: 2 }), arbMutations, (which, i, muts) => {
    const base = which === 0 ? SAMPLE_HEADERS[i]! : which === 1 ? SAMPLE_TXS[i]! : which === 2 ? SAMPLE_BLOCKS[i]!.subarray(142, 142 + 16 + 4 * CERT_PHASES) : SAMPLE_BLOCKS[i]!;
    onlyTyped(ValidationError, () => decodeChain(which, mutate(base, muts)));
  });
}

function decodeChain(which: number, b: Uint8Array): unknown {
  switch (which) {
    case 0:
      return decodeHeader(b);
    case 1:
      return decodeTx(b);
    case 2:
      return decodeCert(b);
    default: {
      const parts = decodeBlockParts(b);
      // a decoded block's pieces have exactly their fixed sizes
      if (parts.headerBytes.length !== HEADER_SIZE || parts.txBytes.some((t) => t.length !== 140)) throw new Error('bad part sizes');
      return parts;
    }
  }
}

/**
 * core.decodePhaseState on random and mutated states, for each backend given: only ProtocolError, and
 * every backend gives the same answer (the same error code, or the same r, psi and phases).
 */
export function phaseStateProperty(cores: readonly Core[]): fc.IPropertyWithHooks<[Uint8Array]> {
  const arbState = fc.oneof(
    fc.uint8Array({ maxLength: 120 }),
    arbPhaseBytes,
    fc.tuple(arbPhaseBytes, arbMutations).map(([b, m]) => mutate(b, m)),
    // counts on and past the MAX_PHASES limit, with and without the bytes to match
    fc.tuple(fc.constantFrom(MAX_PHASES, MAX_PHASES + 1, 0xffffffff, 3), fc.boolean()).map(([n, full]) => {
      const b = new Uint8Array(12 + (full && n <= MAX_PHASES ? 4 * n : 8));
      const dv = new DataView(b.buffer);
      dv.setFloat32(0, 0.5, true);
      dv.setUint32(8, n >>> 0, true);
      return b;
    }),
  );
  return fc.property(arbState, (b) => {
    const answers = cores.map((c) => {
      try {
        const s = c.decodePhaseState(b);
        return `ok:${s.r}:${s.psi}:${Array.from(s.phases).join(',')}`;
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw new Error(`${c.backend}: expected ProtocolError, got ${String(e)}`);
        return `err:${e.code}`;
      }
    });
    for (let i = 1; i < answers.length; i++) {
      if (answers[i] !== answers[0]) throw new Error(`${cores[i]!.backend} says ${answers[i]!.slice(0, 80)}, ${cores[0]!.backend} says ${answers[0]!.slice(0, 80)}`);
    }
  });
}

// ---------------------------------------------------------------- hostile frames for the TCP fuzzer

export type HostilePiece = { kind: 'random' | 'mutated' | 'truncated' | 'oversized' | 'garbage' | 'valid'; bytes: Uint8Array };

/** One hostile write: a random frame, a mutated or cut valid frame, an oversized claim, raw garbage, or a valid message. */
export const arbHostilePiece: fc.Arbitrary<HostilePiece> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(arbType, fc.uint8Array({ maxLength: 300 })).map(([t, p]) => ({ kind: 'random' as const, bytes: encodeFrame(t, p) })) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.oneof(arbMsg, fc.constantFrom(...SAMPLE_BLOCKS).map((block) => ({ type: MsgType.BLOCK, block }) as Message)), arbMutations)
      .map(([m, muts]) => ({ kind: 'mutated' as const, bytes: encodeFrame(m.type, mutate(encodeMessage(m), muts)) })),
  },
  { weight: 2, arbitrary: fc.tuple(arbMsg, fc.nat()).map(([m, cut]) => { const f = encodeMessageFrame(m); return { kind: 'truncated' as const, bytes: f.subarray(0, cut % f.length) }; }) },
  {
    weight: 1,
    arbitrary: fc.tuple(arbType, fc.constantFrom((1 << 20) + 1, 0x7fffffff, 0xffffffff)).map(([t, len]) => {
      const h = new Uint8Array(FRAME_HEADER_SIZE);
      h[0] = t;
      new DataView(h.buffer).setUint32(1, len >>> 0, true);
      return { kind: 'oversized' as const, bytes: h };
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'garbage' as const, bytes })) },
  { weight: 2, arbitrary: arbMsg.map((m) => ({ kind: 'valid' as const, bytes: encodeMessageFrame(m) })) },
);
