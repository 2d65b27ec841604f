// SHA-256 / sha256d kernels: single, batch, and nonce grinding with a precomputed midstate.
import { compressWords } from './sha256-rounds';
import { sha256d4, grind4 } from './sha256x4';

// Static scratch (below __heap_base): two 32-byte states, a 128-byte padded tail, the target words.
const STATE: usize = memory.data(32, 16);
const STATE2: usize = memory.data(32, 16);
const MID: usize = memory.data(32, 16);
const TAIL: usize = memory.data(128, 16);

// @ts-ignore: decorator
@inline function be(p: usize, off: usize): u32 {
  return bswap<u32>(load<u32>(p + off));
}

// @ts-ignore: decorator
@inline function initState(sp: usize): void {
  store<u32>(sp, 0x6a09e667, 0);
  store<u32>(sp, 0xbb67ae85, 4);
  store<u32>(sp, 0x3c6ef372, 8);
  store<u32>(sp, 0xa54ff53a, 12);
  store<u32>(sp, 0x510e527f, 16);
  store<u32>(sp, 0x9b05688c, 20);
  store<u32>(sp, 0x1f83d9ab, 24);
  store<u32>(sp, 0x5be0cd19, 28);
}

function compressBlock(sp: usize, p: usize): void {
  compressWords(
    sp,
    be(p, 0), be(p, 4), be(p, 8), be(p, 12), be(p, 16), be(p, 20), be(p, 24), be(p, 28),
    be(p, 32), be(p, 36), be(p, 40), be(p, 44), be(p, 48), be(p, 52), be(p, 56), be(p, 60),
  );
}

/** Runs SHA-256 over len bytes at p into the state at sp (initialised here). */
function hashInto(sp: usize, p: usize, len: usize): void {
  initState(sp);
  const full = len & ~63;
  for (let off: usize = 0; off < full; off += 64) compressBlock(sp, p + off);
  const rest = len - full;
  const tailLen: usize = rest + 9 <= 64 ? 64 : 128;
  memory.fill(TAIL, 0, tailLen);
  memory.copy(TAIL, p + full, rest);
  store<u8>(TAIL + rest, 0x80);
  const bits = <u64>len << 3;
  store<u64>(TAIL + tailLen - 8, bswap<u64>(bits));
  compressBlock(sp, TAIL);
  if (tailLen == 128) compressBlock(sp, TAIL + 64);
}

/** Second SHA-256 over the 32-byte digest held (as words) in state `src`; result state in `dst`. */
// @ts-ignore: decorator
@inline function hashDigest(dst: usize, src: usize): void {
  initState(dst);
  compressWords(
    dst,
    load<u32>(src, 0), load<u32>(src, 4), load<u32>(src, 8), load<u32>(src, 12),
    load<u32>(src, 16), load<u32>(src, 20), load<u32>(src, 24), load<u32>(src, 28),
    0x80000000, 0, 0, 0, 0, 0, 0, 256,
  );
}

// @ts-ignore: decorator
@inline function writeDigest(out: usize, sp: usize): void {
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(sp + i)));
}

/** SHA-256 of len bytes at p; 32 bytes written at out. */
export function sha256(p: usize, len: usize, out: usize): void {
  hashInto(STATE, p, len);
  writeDigest(out, STATE);
}

/** sha256(sha256(x)) of len bytes at p; 32 bytes written at out. */
export function sha256d(p: usize, len: usize, out: usize): void {
  hashInto(STATE, p, len);
  hashDigest(STATE2, STATE);
  writeDigest(out, STATE2);
}

/** count items of itemSize bytes at p, each hashed with sha256d; 32 × count bytes written at out. */
export function sha256dBatch(p: usize, itemSize: usize, count: usize, out: usize): void {
  let i: usize = 0;
  // SIMD build: four items per pass in i32x4 lanes; the scalar loop hashes the tail (and everything
  // in the scalar build)
  if (ASC_FEATURE_SIMD) for (; i + 4 <= count; i += 4) sha256d4(p + i * itemSize, itemSize, out + (i << 5));
  for (; i < count; i++) {
    hashInto(STATE, p + i * itemSize, itemSize);
    hashDigest(STATE2, STATE);
    writeDigest(out + (i << 5), STATE2);
  }
}

/**
 * Nonce search over a 118-byte header at hp (nonce = u32 LE at byte 114) against a 32-byte
 * big-endian target at tp. Tries start … start+count−1; returns the first nonce whose sha256d,
 * read big-endian, is ≤ target, or -1. The first block's midstate is computed once per call.
 */
export function grindNonces(hp: usize, tp: usize, start: u32, count: u32): f64 {
  initState(MID);
  compressBlock(MID, hp);
  const q = hp + 64;
  if (ASC_FEATURE_SIMD) {
    // four nonces per pass; the scalar loop below takes the last count % 4
    const n4 = count & ~3;
    const hit = grind4(MID, q, tp, start, n4);
    if (hit >= 0) return hit;
    start += n4;
    count -= n4;
  }
  const w0 = be(q, 0), w1 = be(q, 4), w2 = be(q, 8), w3 = be(q, 12), w4 = be(q, 16), w5 = be(q, 20);
  const w6 = be(q, 24), w7 = be(q, 28), w8 = be(q, 32), w9 = be(q, 36), w10 = be(q, 40), w11 = be(q, 44);
  // word 12 = header bytes 112..115 (two fixed bytes, nonce bytes 0..1); word 13 = nonce bytes 2..3, 0x80, 0
  const w12hi: u32 = (<u32>load<u8>(q, 48) << 24) | (<u32>load<u8>(q, 49) << 16);
  const t0 = be(tp, 0), t1 = be(tp, 4), t2 = be(tp, 8), t3 = be(tp, 12);
  const t4 = be(tp, 16), t5 = be(tp, 20), t6 = be(tp, 24), t7 = be(tp, 28);
  for (let i: u32 = 0; i < count; i++) {
    const nonce = start + i;
    memory.copy(STATE, MID, 32);
    const w12 = w12hi | ((nonce & 0xff) << 8) | ((nonce >>> 8) & 0xff);
    const w13 = (((nonce >>> 16) & 0xff) << 24) | ((nonce >>> 24) << 16) | 0x8000;
    compressWords(STATE, w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, w12, w13, 0, 944);
    hashDigest(STATE2, STATE);
    // big-endian compare, word by word; almost every try stops at the first word
    let h = load<u32>(STATE2, 0);
    if (h > t0) continue;
    if (h < t0) return <f64>nonce;
    h = load<u32>(STATE2, 4);
    if (h > t1) continue;
    if (h < t1) return <f64>nonce;
    h = load<u32>(STATE2, 8);
    if (h > t2) continue;
    if (h < t2) return <f64>nonce;
    h = load<u32>(STATE2, 12);
    if (h > t3) continue;
    if (h < t3) return <f64>nonce;
    h = load<u32>(STATE2, 16);
    if (h > t4) continue;
    if (h < t4) return <f64>nonce;
    h = load<u32>(STATE2, 20);
    if (h > t5) continue;
    if (h < t5) return <f64>nonce;
    h = load<u32>(STATE2, 24);
    if (h > t6) continue;
    if (h < t6) return <f64>nonce;
    h = load<u32>(STATE2, 28);
    if (h > t7) continue;
    return <f64>nonce;
  }
  return -1;
}
