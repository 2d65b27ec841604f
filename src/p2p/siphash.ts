// SipHash-2-4 (Aumasson & Bernstein 2012): a keyed 64-bit PRF for short inputs. The address book places
// addresses in buckets with it: without the key an attacker cannot predict or steer placement, and one
// call costs a few hundred ns with no allocation (a node:crypto sha256 object per call cost ~1.5 µs and
// garbage). JavaScript has no 64-bit integers that are cheap, so each 64-bit word is a (hi, lo) pair of
// uint32s; the arithmetic is the reference's, word for word.

/** A SipHash-2-4 key (128 bits) as four little-endian uint32 words. */
export interface SipKey {
  readonly k0lo: number;
  readonly k0hi: number;
  readonly k1lo: number;
  readonly k1hi: number;
}

export function sipKey(key: Uint8Array): SipKey {
  if (key.length < 16) throw new RangeError('siphash: key needs 16 bytes');
  const w = (i: number): number => (key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)) >>> 0;
  return { k0lo: w(0), k0hi: w(4), k1lo: w(8), k1hi: w(12) };
}

// State v0..v3 as hi/lo pairs, module-level so a call allocates nothing (JS is single-threaded).
let v0h = 0, v0l = 0, v1h = 0, v1l = 0, v2h = 0, v2l = 0, v3h = 0, v3l = 0;

function sipRound(): void {
  let t: number, h: number, l: number;
  // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
  t = v0l + v1l;
  v0h = (v0h + v1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  v0l = t >>> 0;
  h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
  l = ((v1l << 13) | (v1h >>> 19)) >>> 0;
  v1h = (h ^ v0h) >>> 0;
  v1l = (l ^ v0l) >>> 0;
  t = v0h;
  v0h = v0l;
  v0l = t;
  // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
  t = v2l + v3l;
  v2h = (v2h + v3h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  v2l = t >>> 0;
  h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
  l = ((v3l << 16) | (v3h >>> 16)) >>> 0;
  v3h = (h ^ v2h) >>> 0;
  v3l = (l ^ v2l) >>> 0;
  // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
  t = v0l + v3l;
  v0h = (v0h + v3h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  v0l = t >>> 0;
  h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
  l = ((v3l << 21) | (v3h >>> 11)) >>> 0;
  v3h = (h ^ v0h) >>> 0;
  v3l = (l ^ v0l) >>> 0;
  // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
  t = v2l + v1l;
  v2h = (v2h + v1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
  v2l = t >>> 0;
  h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
  l = ((v1l << 17) | (v1h >>> 15)) >>> 0;
  v1h = (h ^ v2h) >>> 0;
  v1l = (l ^ v2l) >>> 0;
  t = v2h;
  v2h = v2l;
  v2l = t;
}

function compress(mh: number, ml: number): void {
  v3h = (v3h ^ mh) >>> 0;
  v3l = (v3l ^ ml) >>> 0;
  sipRound();
  sipRound();
  v0h = (v0h ^ mh) >>> 0;
  v0l = (v0l ^ ml) >>> 0;
}

function init(k: SipKey): void {
  // "somepseudorandomlygeneratedbytes"
  v0h = (k.k0hi ^ 0x736f6d65) >>> 0;
  v0l = (k.k0lo ^ 0x70736575) >>> 0;
  v1h = (k.k1hi ^ 0x646f7261) >>> 0;
  v1l = (k.k1lo ^ 0x6e646f6d) >>> 0;
  v2h = (k.k0hi ^ 0x6c796765) >>> 0;
  v2l = (k.k0lo ^ 0x6e657261) >>> 0;
  v3h = (k.k1hi ^ 0x74656462) >>> 0;
  v3l = (k.k1lo ^ 0x79746573) >>> 0;
}

/** Low 32 bits of the 64-bit result (what a bucket index needs); the high half is in `lastHi`. */
function finish(len: number, tailLo: number, tailHi: number): number {
  compress(((tailHi | ((len & 0xff) << 24)) >>> 0), tailLo >>> 0);
  v2l = (v2l ^ 0xff) >>> 0;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  lastHi = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
  return (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
}

let lastHi = 0;

/** SipHash-2-4 of bytes: the 64-bit result as [lo, hi] uint32s (little-endian halves). */
export function sipHash24(k: SipKey, data: Uint8Array): [number, number] {
  init(k);
  const n = data.length;
  const end = n - (n % 8);
  let i = 0;
  for (; i < end; i += 8) {
    const ml = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const mh = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    compress(mh, ml);
  }
  let lo = 0;
  let hi = 0;
  for (let j = 0; i + j < n; j++) {
    const b = data[i + j]!;
    if (j < 4) lo |= b << (8 * j);
    else hi |= b << (8 * (j - 4));
  }
  const outLo = finish(n, lo, hi);
  return [outLo, lastHi];
}

const utf8 = new TextEncoder();

/**
 * SipHash-2-4 of a string's UTF-8 bytes, low 32 bits. ASCII (every host, group and key the book
 * hashes) is read straight from the string, no byte array built; anything else is encoded first.
 */
export function sipHashString32(k: SipKey, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0x7f) return sipHash24(k, utf8.encode(s))[0];
  init(k);
  const end = n - (n % 8);
  let i = 0;
  for (; i < end; i += 8) {
    const ml = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    const mh = (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    compress(mh, ml);
  }
  let lo = 0;
  let hi = 0;
  for (let j = 0; i + j < n; j++) {
    const b = s.charCodeAt(i + j);
    if (j < 4) lo |= b << (8 * j);
    else hi |= b << (8 * (j - 4));
  }
  return finish(n, lo, hi);
}
