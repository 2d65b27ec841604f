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

/** The 64-bit result of the last call, as uint32 halves (read right after the call). */
let resultHi = 0;

/**
 * SipHash-2-4 over the first `n` bytes of `data`, state in locals (module-level state would be context
 * slots, loaded and stored on every access: 3× slower). Returns the low 32 bits; `resultHi` the rest.
 */
function sip(k: SipKey, n: number, data: Uint8Array): number {
  let v0h = (k.k0hi ^ 0x736f6d65) >>> 0; // "somepseudorandomlygeneratedbytes"
  let v0l = (k.k0lo ^ 0x70736575) >>> 0;
  let v1h = (k.k1hi ^ 0x646f7261) >>> 0;
  let v1l = (k.k1lo ^ 0x6e646f6d) >>> 0;
  let v2h = (k.k0hi ^ 0x6c796765) >>> 0;
  let v2l = (k.k0lo ^ 0x6e657261) >>> 0;
  let v3h = (k.k1hi ^ 0x74656462) >>> 0;
  let v3l = (k.k1lo ^ 0x79746573) >>> 0;
  const blocks = n >>> 3;
  // blocks whole 8-byte words, then the tail word with the length in its top byte, then finalisation
  for (let b = 0; b <= blocks + 1; b++) {
    let mh = 0;
    let ml = 0;
    let rounds = 2;
    if (b < blocks) {
      const i = b << 3;
      ml = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
      mh = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    } else if (b === blocks) {
      const i = b << 3;
      for (let j = 0; i + j < n; j++) {
        if (j < 4) ml |= data[i + j]! << (8 * j);
        else mh |= data[i + j]! << (8 * (j - 4));
      }
      ml >>>= 0;
      mh = (mh | ((n & 0xff) << 24)) >>> 0;
    } else {
      v2l = (v2l ^ 0xff) >>> 0;
      rounds = 4;
    }
    if (b <= blocks) {
      v3h = (v3h ^ mh) >>> 0;
      v3l = (v3l ^ ml) >>> 0;
    }
    for (let r = 0; r < rounds; r++) {
      let t: number, h: number, l: number;
      // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
      t = v0l + v1l;
      v0h = (v0h + v1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
      v0l = t >>> 0;
      h = (v1h << 13) | (v1l >>> 19);
      l = (v1l << 13) | (v1h >>> 19);
      v1h = (h ^ v0h) >>> 0;
      v1l = (l ^ v0l) >>> 0;
      t = v0h;
      v0h = v0l;
      v0l = t;
      // v2 += v3; v3 = rotl(v3, 16) ^ v2
      t = v2l + v3l;
      v2h = (v2h + v3h + (t > 0xffffffff ? 1 : 0)) >>> 0;
      v2l = t >>> 0;
      h = (v3h << 16) | (v3l >>> 16);
      l = (v3l << 16) | (v3h >>> 16);
      v3h = (h ^ v2h) >>> 0;
      v3l = (l ^ v2l) >>> 0;
      // v0 += v3; v3 = rotl(v3, 21) ^ v0
      t = v0l + v3l;
      v0h = (v0h + v3h + (t > 0xffffffff ? 1 : 0)) >>> 0;
      v0l = t >>> 0;
      h = (v3h << 21) | (v3l >>> 11);
      l = (v3l << 21) | (v3h >>> 11);
      v3h = (h ^ v0h) >>> 0;
      v3l = (l ^ v0l) >>> 0;
      // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
      t = v2l + v1l;
      v2h = (v2h + v1h + (t > 0xffffffff ? 1 : 0)) >>> 0;
      v2l = t >>> 0;
      h = (v1h << 17) | (v1l >>> 15);
      l = (v1l << 17) | (v1h >>> 15);
      v1h = (h ^ v2h) >>> 0;
      v1l = (l ^ v2l) >>> 0;
      t = v2h;
      v2h = v2l;
      v2l = t;
    }
    if (b <= blocks) {
      v0h = (v0h ^ mh) >>> 0;
      v0l = (v0l ^ ml) >>> 0;
    }
  }
  resultHi = (v0h ^ v1h ^ v2h ^ v3h) >>> 0;
  return (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
}

/** SipHash-2-4 of bytes: the 64-bit result as [lo, hi] uint32s (little-endian halves). */
export function sipHash24(k: SipKey, data: Uint8Array): [number, number] {
  const lo = sip(k, data.length, data);
  return [lo, resultHi];
}

const utf8 = new TextEncoder();
/** ASCII strings are copied here (one monomorphic byte reader, no allocation). */
const scratch = new Uint8Array(256);

/**
 * SipHash-2-4 of a string's UTF-8 bytes, low 32 bits. ASCII (every host, group and key the book
 * hashes) is read straight from the string, no byte array built; anything else is encoded first.
 */
export function sipHashString32(k: SipKey, s: string): number {
  const n = s.length;
  if (n > scratch.length) return sipHash24(k, utf8.encode(s))[0];
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return sipHash24(k, utf8.encode(s))[0];
    scratch[i] = c;
  }
  return sip(k, n, scratch);
}
