// SHA-256d kernels. With SHA-NI: Intel's sha256rnds2/msg1/msg2 round schedule, two independent
// messages interleaved (one stream is latency-bound). Without: batches and grinding run four messages
// per pass in 32-bit SIMD lanes; single hashes use a plain FIPS 180-4 compressor.
#include "sha256.h"

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define BLOOM_X86 1
#endif

namespace bloom {
namespace {

alignas(16) const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
inline uint32_t load_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

void compress_generic(uint32_t state[8], const uint8_t* data, size_t blocks) {
  uint32_t w[64];
  for (; blocks > 0; --blocks, data += 64) {
    for (int t = 0; t < 16; ++t) w[t] = load_be32(data + 4 * t);
    for (int t = 16; t < 64; ++t) {
      uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; ++t) {
      uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#ifdef BLOOM_X86
// Four rounds per step g (0..15); m[] holds the rolling message schedule (sha256msg1/msg2).
__attribute__((target("sha,sse4.1,ssse3"))) void compress_shani(uint32_t state[8], const uint8_t* data,
                                                                 size_t blocks) {
  const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  __m128i st1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  tmp = _mm_shuffle_epi32(tmp, 0xB1);           // CDAB
  st1 = _mm_shuffle_epi32(st1, 0x1B);           // EFGH
  __m128i st0 = _mm_alignr_epi8(tmp, st1, 8);   // ABEF
  st1 = _mm_blend_epi16(st1, tmp, 0xF0);        // CDGH

  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef = st0, cdgh = st1;
    __m128i m[4];
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
      if (g < 4) m[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), MASK);
      __m128i msg = _mm_add_epi32(m[g & 3], _mm_load_si128(reinterpret_cast<const __m128i*>(&K[4 * g])));
      st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
      if (g >= 3 && g <= 14) {
        __m128i t = _mm_alignr_epi8(m[g & 3], m[(g - 1) & 3], 4);
        m[(g + 1) & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(m[(g + 1) & 3], t), m[g & 3]);
      }
      msg = _mm_shuffle_epi32(msg, 0x0E);
      st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
      if (g >= 1 && g <= 12) m[(g - 1) & 3] = _mm_sha256msg1_epu32(m[(g - 1) & 3], m[g & 3]);
    }
    st0 = _mm_add_epi32(st0, abef);
    st1 = _mm_add_epi32(st1, cdgh);
  }

  tmp = _mm_shuffle_epi32(st0, 0x1B);        // FEBA
  st1 = _mm_shuffle_epi32(st1, 0xB1);        // DCHG
  st0 = _mm_blend_epi16(tmp, st1, 0xF0);     // DCBA
  st1 = _mm_alignr_epi8(st1, tmp, 8);        // ABEF -> HGFE order for storage
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), st0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), st1);
}

// Two independent single-block compressions interleaved: sha256rnds2 is latency-bound on one
// stream, so a second stream fills the pipeline (grinding and batch hashing use this).
__attribute__((target("sha,sse4.1,ssse3"))) void compress_shani_x2(uint32_t sa[8], uint32_t sb[8],
                                                                    const uint8_t* da, const uint8_t* db) {
  const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i s0[2], s1[2], save0[2], save1[2], m[2][4];
  uint32_t* st[2] = {sa, sb};
  const uint8_t* d[2] = {da, db};
  for (int j = 0; j < 2; ++j) {
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&st[j][0])), 0xB1);
    __m128i t1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&st[j][4])), 0x1B);
    s0[j] = _mm_alignr_epi8(tmp, t1, 8);
    s1[j] = _mm_blend_epi16(t1, tmp, 0xF0);
    save0[j] = s0[j];
    save1[j] = s1[j];
  }
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    const __m128i k = _mm_load_si128(reinterpret_cast<const __m128i*>(&K[4 * g]));
    __m128i msg[2];
#pragma GCC unroll 2
    for (int j = 0; j < 2; ++j) {
      if (g < 4) m[j][g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d[j] + 16 * g)), MASK);
      msg[j] = _mm_add_epi32(m[j][g & 3], k);
      s1[j] = _mm_sha256rnds2_epu32(s1[j], s0[j], msg[j]);
    }
#pragma GCC unroll 2
    for (int j = 0; j < 2; ++j) {
      if (g >= 3 && g <= 14) {
        __m128i t = _mm_alignr_epi8(m[j][g & 3], m[j][(g - 1) & 3], 4);
        m[j][(g + 1) & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(m[j][(g + 1) & 3], t), m[j][g & 3]);
      }
      msg[j] = _mm_shuffle_epi32(msg[j], 0x0E);
      s0[j] = _mm_sha256rnds2_epu32(s0[j], s1[j], msg[j]);
      if (g >= 1 && g <= 12) m[j][(g - 1) & 3] = _mm_sha256msg1_epu32(m[j][(g - 1) & 3], m[j][g & 3]);
    }
  }
  for (int j = 0; j < 2; ++j) {
    __m128i a0 = _mm_add_epi32(s0[j], save0[j]), a1 = _mm_add_epi32(s1[j], save1[j]);
    __m128i tmp = _mm_shuffle_epi32(a0, 0x1B);
    a1 = _mm_shuffle_epi32(a1, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&st[j][0]), _mm_blend_epi16(tmp, a1, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&st[j][4]), _mm_alignr_epi8(a1, tmp, 8));
  }
}

bool cpu_has_sha_ni() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  const bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19);
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  return ssse3 && sse41 && (b & (1u << 29));
}
#else
bool cpu_has_sha_ni() { return false; }
#endif

using CompressFn = void (*)(uint32_t*, const uint8_t*, size_t);
using Compress2Fn = void (*)(uint32_t*, uint32_t*, const uint8_t*, const uint8_t*);

void compress_generic_x2(uint32_t sa[8], uint32_t sb[8], const uint8_t* da, const uint8_t* db) {
  compress_generic(sa, da, 1);
  compress_generic(sb, db, 1);
}

const bool kHasShaNi = cpu_has_sha_ni();
CompressFn g_compress =
#ifdef BLOOM_X86
    kHasShaNi ? compress_shani :
#endif
              compress_generic;
Compress2Fn g_compress2 =
#ifdef BLOOM_X86
    kHasShaNi ? compress_shani_x2 :
#endif
              compress_generic_x2;

// SHA-256 of a 32-byte digest given as state words: one block, padding fixed.
inline void hash_digest_words(const uint32_t in[8], uint32_t out[8], CompressFn compress) {
  alignas(16) uint8_t block[64] = {0};
  for (int i = 0; i < 8; ++i) store_be32(block + 4 * i, in[i]);
  block[32] = 0x80;
  block[62] = 0x01;  // 256 bits
  std::memcpy(out, IV, sizeof IV);
  compress(out, block, 1);
}

inline void digest_block(const uint32_t in[8], uint8_t block[64]) {
  for (int i = 0; i < 8; ++i) store_be32(block + 4 * i, in[i]);
  std::memset(block + 32, 0, 32);
  block[32] = 0x80;
  block[62] = 0x01;  // 256 bits
}

inline bool le_target(const uint32_t h[8], const uint32_t tw[8]) {
  // hash <= target as big-endian 256-bit integers: digest word 0 is the most significant
  for (int i = 0; i < 8; ++i) {
    if (h[i] != tw[i]) return h[i] < tw[i];
  }
  return true;
}

// Pads the last partial block of a len-byte message into tail (64 or 128 bytes); returns its blocks.
inline size_t pad_tail(const uint8_t* data, size_t len, uint8_t tail[128]) {
  const size_t full = len / 64, rest = len - full * 64;
  const size_t tail_len = rest + 9 <= 64 ? 64 : 128;
  if (rest) std::memcpy(tail, data + full * 64, rest);
  std::memset(tail + rest, 0, tail_len - rest);
  tail[rest] = 0x80;
  const uint64_t bits = uint64_t(len) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = uint8_t(bits >> (8 * i));
  return tail_len / 64;
}

inline void sha256_words(const uint8_t* data, size_t len, uint32_t st[8], CompressFn compress) {
  std::memcpy(st, IV, sizeof IV);
  const size_t full = len / 64;
  if (full) compress(st, data, full);
  alignas(16) uint8_t tail[128];
  compress(st, tail, pad_tail(data, len, tail));
}


// ---- Four messages per pass in 32-bit SIMD lanes (multi-buffer): the path without SHA-NI. It uses
// only lane-wise add/xor/and/shift, i.e. what WebAssembly's i32x4 offers, so its speed is also what a
// WASM multi-buffer kernel can aim for. GCC maps the vector type to SSE2/AVX (or NEON).
typedef uint32_t v4u __attribute__((vector_size(16)));

inline v4u splat4(uint32_t x) { return v4u{x, x, x, x}; }
inline v4u rotr4(v4u x, int n) { return (x >> n) | (x << (32 - n)); }

// s[8]: state, lane j = message j; w[16]: the block's message words (consumed).
inline void compress4(v4u s[8], v4u w[16]) {
  v4u a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
#pragma GCC unroll 64
  for (int t = 0; t < 64; ++t) {
    v4u wt;
    if (t < 16) {
      wt = w[t];
    } else {
      const v4u x = w[(t - 15) & 15], y = w[(t - 2) & 15];
      const v4u s0 = rotr4(x, 7) ^ rotr4(x, 18) ^ (x >> 3);
      const v4u s1 = rotr4(y, 17) ^ rotr4(y, 19) ^ (y >> 10);
      wt = w[t & 15] = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
    }
    const v4u t1 = h + (rotr4(e, 6) ^ rotr4(e, 11) ^ rotr4(e, 25)) + ((e & f) ^ (~e & g)) + splat4(K[t]) + wt;
    const v4u t2 = (rotr4(a, 2) ^ rotr4(a, 13) ^ rotr4(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s[0] += a;
  s[1] += b;
  s[2] += c;
  s[3] += d;
  s[4] += e;
  s[5] += f;
  s[6] += g;
  s[7] += h;
}

inline void init4(v4u s[8]) {
  for (int i = 0; i < 8; ++i) s[i] = splat4(IV[i]);
}

// Second SHA-256 of four 32-byte digests held as state words: the message words are the words.
inline void digest4(const v4u in[8], v4u out[8]) {
  v4u w[16];
  for (int i = 0; i < 8; ++i) w[i] = in[i];
  w[8] = splat4(0x80000000u);
  for (int i = 9; i < 15; ++i) w[i] = splat4(0);
  w[15] = splat4(256);
  init4(out);
  compress4(out, w);
}

void batch_x4(const uint8_t* data, size_t item_size, size_t n4, uint8_t* out) {
  const size_t full = item_size / 64;
  alignas(16) uint8_t tails[4][128];
  for (size_t i = 0; i < n4; i += 4, data += 4 * item_size, out += 128) {
    v4u s[8], w[16];
    init4(s);
    for (size_t k = 0; k < full; ++k) {
      for (int t = 0; t < 16; ++t) {
        const size_t o = 64 * k + 4 * t;
        w[t] = v4u{load_be32(data + o), load_be32(data + item_size + o), load_be32(data + 2 * item_size + o),
                   load_be32(data + 3 * item_size + o)};
      }
      compress4(s, w);
    }
    size_t tb = 0;
    for (int j = 0; j < 4; ++j) tb = pad_tail(data + j * item_size, item_size, tails[j]);
    for (size_t k = 0; k < tb; ++k) {
      for (int t = 0; t < 16; ++t) {
        const size_t o = 64 * k + 4 * t;
        w[t] = v4u{load_be32(tails[0] + o), load_be32(tails[1] + o), load_be32(tails[2] + o), load_be32(tails[3] + o)};
      }
      compress4(s, w);
    }
    v4u h[8];
    digest4(s, h);
    for (int j = 0; j < 4; ++j)
      for (int wi = 0; wi < 8; ++wi) store_be32(out + 32 * j + 4 * wi, h[wi][j]);
  }
}

// Grinds count4 (a multiple of 4) nonces from start, four per pass; returns the first hit or -1.
int64_t grind_x4(const uint32_t mid[8], const uint8_t block2[64], const uint32_t tw[8], uint64_t start,
                 uint64_t count4) {
  v4u base[16];
  for (int t = 0; t < 16; ++t) base[t] = splat4(load_be32(block2 + 4 * t));
  // nonce bytes 50..53 of the block (u32 LE) straddle big-endian words 12 (bytes 2,3) and 13 (bytes 0,1)
  const uint32_t w12 = load_be32(block2 + 48) & 0xffff0000u, w13 = load_be32(block2 + 52) & 0x0000ffffu;
  for (uint64_t k = 0; k < count4; k += 4) {
    v4u nonce = v4u{uint32_t(start + k), uint32_t(start + k + 1), uint32_t(start + k + 2), uint32_t(start + k + 3)};
    v4u w[16];
    for (int t = 0; t < 16; ++t) w[t] = base[t];
    w[12] = splat4(w12) | ((nonce & 0xff) << 8) | ((nonce >> 8) & 0xff);
    w[13] = splat4(w13) | (((nonce >> 16) & 0xff) << 24) | (((nonce >> 24) & 0xff) << 16);
    v4u s[8], h[8];
    for (int i = 0; i < 8; ++i) s[i] = splat4(mid[i]);
    compress4(s, w);
    digest4(s, h);
    // cheap filter: a hit needs h[0] <= tw[0] in some lane
    const v4u lo = h[0] ^ splat4(0x80000000u), lt = splat4(tw[0] ^ 0x80000000u);
    const v4u le = (v4u)((__attribute__((vector_size(16))) int)lo <= (__attribute__((vector_size(16))) int)lt);
    if (!(le[0] | le[1] | le[2] | le[3])) continue;
    for (int j = 0; j < 4; ++j) {
      uint32_t hw[8];
      for (int i = 0; i < 8; ++i) hw[i] = h[i][j];
      if (le_target(hw, tw)) return int64_t(uint32_t(start + k + j));
    }
  }
  return -1;
}
}  // namespace

bool sha_ni_supported() { return kHasShaNi; }
bool sha_ni_active() { return g_compress != compress_generic; }
bool set_sha_ni(bool enabled) {
#ifdef BLOOM_X86
  g_compress = enabled && kHasShaNi ? compress_shani : compress_generic;
  g_compress2 = enabled && kHasShaNi ? compress_shani_x2 : compress_generic_x2;
#endif
  return sha_ni_active();
}

void sha256d(const uint8_t* data, size_t len, uint8_t out[32]) {
  const CompressFn compress = g_compress;
  uint32_t st[8], st2[8];
  sha256_words(data, len, st, compress);
  hash_digest_words(st, st2, compress);
  for (int i = 0; i < 8; ++i) store_be32(out + 4 * i, st2[i]);
}

void sha256d_batch(const uint8_t* data, size_t item_size, size_t n, uint8_t* out) {
  size_t i = 0;
  if (!sha_ni_active()) {
    i = n & ~size_t(3);
    batch_x4(data, item_size, i, out);
  }
  const Compress2Fn compress2 = g_compress2;
  const size_t full = item_size / 64;
  alignas(16) uint8_t ta[128], tb[128];
  for (; i + 2 <= n; i += 2) {  // two items per pass, block by block, through the interleaved compressor
    const uint8_t* a = data + i * item_size;
    const uint8_t* b = a + item_size;
    uint32_t sa[8], sb[8];
    std::memcpy(sa, IV, sizeof IV);
    std::memcpy(sb, IV, sizeof IV);
    for (size_t k = 0; k < full; ++k) compress2(sa, sb, a + 64 * k, b + 64 * k);
    const size_t tail_blocks = pad_tail(a, item_size, ta);
    pad_tail(b, item_size, tb);
    for (size_t k = 0; k < tail_blocks; ++k) compress2(sa, sb, ta + 64 * k, tb + 64 * k);
    digest_block(sa, ta);
    digest_block(sb, tb);
    std::memcpy(sa, IV, sizeof IV);
    std::memcpy(sb, IV, sizeof IV);
    compress2(sa, sb, ta, tb);
    for (int w = 0; w < 8; ++w) {
      store_be32(out + 32 * i + 4 * w, sa[w]);
      store_be32(out + 32 * (i + 1) + 4 * w, sb[w]);
    }
  }
  for (; i < n; ++i) sha256d(data + i * item_size, item_size, out + 32 * i);
}

int64_t grind_nonces(const uint8_t header[118], const uint8_t target[32], uint64_t start, uint64_t count) {
  const CompressFn compress = g_compress;
  const Compress2Fn compress2 = g_compress2;
  uint32_t mid[8];
  std::memcpy(mid, IV, sizeof IV);
  compress(mid, header, 1);  // the first 64 bytes never change: their state is computed once
  alignas(16) uint8_t blk[2][64] = {};
  for (auto& b : blk) {
    std::memcpy(b, header + 64, 54);
    b[54] = 0x80;
    b[62] = 0x03;  // 118 * 8 = 944 = 0x03b0 bits
    b[63] = 0xb0;
  }
  alignas(16) uint8_t dig[2][64];
  uint32_t tw[8];
  for (int i = 0; i < 8; ++i) tw[i] = load_be32(target + 4 * i);
  auto set_nonce = [](uint8_t* b, uint32_t nonce) {
    b[50] = uint8_t(nonce);
    b[51] = uint8_t(nonce >> 8);
    b[52] = uint8_t(nonce >> 16);
    b[53] = uint8_t(nonce >> 24);
  };
  uint64_t k = 0;
  if (!sha_ni_active()) {
    k = count & ~uint64_t(3);
    const int64_t hit = grind_x4(mid, blk[0], tw, start, k);
    if (hit >= 0) return hit;
  }
  for (; k + 2 <= count; k += 2) {  // two nonces per pass through the interleaved compressor
    const uint32_t n0 = uint32_t(start + k), n1 = uint32_t(start + k + 1);
    set_nonce(blk[0], n0);
    set_nonce(blk[1], n1);
    uint32_t sa[8], sb[8];
    std::memcpy(sa, mid, sizeof mid);
    std::memcpy(sb, mid, sizeof mid);
    compress2(sa, sb, blk[0], blk[1]);
    digest_block(sa, dig[0]);
    digest_block(sb, dig[1]);
    std::memcpy(sa, IV, sizeof IV);
    std::memcpy(sb, IV, sizeof IV);
    compress2(sa, sb, dig[0], dig[1]);
    if (le_target(sa, tw)) return int64_t(n0);
    if (le_target(sb, tw)) return int64_t(n1);
  }
  for (; k < count; ++k) {
    const uint32_t nonce = uint32_t(start + k);
    set_nonce(blk[0], nonce);
    uint32_t st[8], h[8];
    std::memcpy(st, mid, sizeof mid);
    compress(st, blk[0], 1);
    hash_digest_words(st, h, compress);
    if (le_target(h, tw)) return int64_t(nonce);
  }
  return -1;
}

}  // namespace bloom
