// Multi-buffer SHA-256 for the SIMD build: four messages per pass, one per i32x4 lane (the same
// scheme as batch_x4/grind_x4 in native/src/sha256.cc). WASM has no SHA instructions and no
// rotate for vectors, but four lanes of add/xor/and/shift still beat one scalar stream.
import { compress4, digest4 } from './sha256x4-rounds';

const S4: usize = memory.data(128, 16); // first-hash state, 8 × v128
const D4: usize = memory.data(128, 16); // second-hash state
const MID4: usize = memory.data(128, 16); // grinding midstate, splatted
const WB: usize = memory.data(256, 16); // block words, 16 × v128 (lane j = message j)
const TAILS: usize = memory.data(512, 16); // four padded 128-byte tails

// @ts-ignore: decorator
@inline function bswap4(v: v128): v128 {
  return i8x16.shuffle(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

// @ts-ignore: decorator
@inline function init4(sp: usize): void {
  v128.store(sp, i32x4.splat(0x6a09e667), 0);
  v128.store(sp, i32x4.splat(0xbb67ae85), 16);
  v128.store(sp, i32x4.splat(0x3c6ef372), 32);
  v128.store(sp, i32x4.splat(0xa54ff53a), 48);
  v128.store(sp, i32x4.splat(0x510e527f), 64);
  v128.store(sp, i32x4.splat(0x9b05688c), 80);
  v128.store(sp, i32x4.splat(0x1f83d9ab), 96);
  v128.store(sp, i32x4.splat(0x5be0cd19), 112);
}

/** Words k..k+3 of four messages (one 16-byte row each, lane order kept) → 4 vectors, word-major. */
// @ts-ignore: decorator
@inline function transposeStore(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t1, 0, 2), 0);
  v128.store(dst, i64x2.shuffle(t0, t1, 1, 3), 16);
  v128.store(dst, i64x2.shuffle(t2, t3, 0, 2), 32);
  v128.store(dst, i64x2.shuffle(t2, t3, 1, 3), 48);
}

/** The 64-byte blocks at p0..p3 (one per lane) compressed into the state at sp. */
function compressBlocks4(sp: usize, p0: usize, p1: usize, p2: usize, p3: usize): void {
  for (let o: usize = 0; o < 64; o += 16) {
    transposeStore(
      WB + (o << 2),
      bswap4(v128.load(p0 + o)), bswap4(v128.load(p1 + o)), bswap4(v128.load(p2 + o)), bswap4(v128.load(p3 + o)),
    );
  }
  compress4(sp, WB);
}

/** Pads the last len % 64 bytes of the message at p (len bytes) into tail; returns 64 or 128. */
// @ts-ignore: decorator
@inline function padTail(tail: usize, p: usize, len: usize): usize {
  const full = len & ~63;
  const rest = len - full;
  const tailLen: usize = rest + 9 <= 64 ? 64 : 128;
  memory.fill(tail, 0, tailLen);
  memory.copy(tail, p + full, rest);
  store<u8>(tail + rest, 0x80);
  store<u64>(tail + tailLen - 8, bswap<u64>(<u64>len << 3));
  return tailLen;
}

/** sha256d of four len-byte messages at p, p+len, p+2·len, p+3·len; 4 × 32 bytes at out. */
export function sha256d4(p: usize, len: usize, out: usize): void {
  init4(S4);
  const full = len & ~63;
  for (let off: usize = 0; off < full; off += 64) {
    compressBlocks4(S4, p + off, p + len + off, p + 2 * len + off, p + 3 * len + off);
  }
  let tailLen: usize = 0;
  for (let j: usize = 0; j < 4; j++) tailLen = padTail(TAILS + (j << 7), p + j * len, len);
  for (let off: usize = 0; off < tailLen; off += 64) {
    compressBlocks4(S4, TAILS + off, TAILS + 128 + off, TAILS + 256 + off, TAILS + 384 + off);
  }
  digest4(D4, S4);
  // back to one row per message: transpose words 0..3 and 4..7, then byte-swap to big-endian
  for (let k: usize = 0; k < 32; k += 16) {
    const r0 = v128.load(D4 + (k << 2)), r1 = v128.load(D4 + (k << 2), 16);
    const r2 = v128.load(D4 + (k << 2), 32), r3 = v128.load(D4 + (k << 2), 48);
    const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
    const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
    const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
    v128.store(out + k, bswap4(i64x2.shuffle(t0, t1, 0, 2)), 0);
    v128.store(out + k, bswap4(i64x2.shuffle(t0, t1, 1, 3)), 32);
    v128.store(out + k, bswap4(i64x2.shuffle(t2, t3, 0, 2)), 64);
    v128.store(out + k, bswap4(i64x2.shuffle(t2, t3, 1, 3)), 96);
  }
}

/** Lane j of the state at sp (8 words, stride 16) ≤ the big-endian target at tp. */
function laneMeetsTarget(sp: usize, tp: usize): bool {
  for (let i: usize = 0; i < 8; i++) {
    const h = load<u32>(sp + (i << 4));
    const t = bswap<u32>(load<u32>(tp + (i << 2)));
    if (h != t) return h < t;
  }
  return true;
}

/**
 * Grinds n4 (a multiple of 4) nonces from start, four per pass, from the midstate at mid (8 u32)
 * and the header's second block at q (54 bytes, nonce at 50..53). Returns the lowest qualifying
 * nonce of the first group that has one — the scalar scan order — or -1.
 */
export function grind4(mid: usize, q: usize, tp: usize, start: u32, n4: u32): f64 {
  for (let i: usize = 0; i < 8; i++) v128.store(MID4 + (i << 4), i32x4.splat(load<u32>(mid + (i << 2))));
  for (let t: usize = 0; t < 12; t++) v128.store(WB + (t << 4), i32x4.splat(bswap<u32>(load<u32>(q + (t << 2)))));
  v128.store(WB, i32x4.splat(0), 224);
  v128.store(WB, i32x4.splat(944), 240);
  // word 12 = two fixed header bytes + nonce bytes 0,1; word 13 = nonce bytes 2,3, 0x80, 0
  const w12hi = i32x4.splat((<u32>load<u8>(q, 48) << 24) | (<u32>load<u8>(q, 49) << 16));
  const pad13 = i32x4.splat(0x8000);
  const t0 = i32x4.splat(bswap<u32>(load<u32>(tp)));
  let nonces = i32x4.add(i32x4.splat(start), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
  for (let k: u32 = 0; k < n4; k += 4) {
    const nb = bswap4(nonces);
    v128.store(WB, v128.or(w12hi, i32x4.shr_u(nb, 16)), 192);
    v128.store(WB, v128.or(i32x4.shl(nb, 16), pad13), 208);
    nonces = i32x4.add(nonces, i32x4.splat(4));
    memory.copy(S4, MID4, 128);
    compress4(S4, WB);
    digest4(D4, S4);
    // almost every group fails on the first word in all four lanes
    if (!v128.any_true(i32x4.le_u(v128.load(D4), t0))) continue;
    for (let j: u32 = 0; j < 4; j++) {
      if (laneMeetsTarget(D4 + (<usize>j << 2), tp)) return <f64>(start + k + j);
    }
  }
  return -1;
}
