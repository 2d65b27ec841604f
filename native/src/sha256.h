// SHA-256 kernels: one portable C++ compressor and one SHA-NI compressor picked at run time.
#pragma once
#include <cstddef>
#include <cstdint>

namespace bloom {

/** True when the CPU has SHA-NI (and SSE4.1/SSSE3) and it has not been switched off. */
bool sha_ni_active();
/** Switches SHA-NI use on/off (for tests and benchmarks of the portable path); returns the state. */
bool set_sha_ni(bool enabled);
/** True when the CPU supports SHA-NI at all. */
bool sha_ni_supported();

/** out = SHA256(SHA256(data)). */
void sha256d(const uint8_t* data, size_t len, uint8_t out[32]);
/** n items of itemSize bytes, 32 bytes out per item. */
void sha256d_batch(const uint8_t* data, size_t item_size, size_t n, uint8_t* out);
/**
 * 118-byte header, nonce u32 LE at 114; tries start .. start+count-1; returns the first nonce whose
 * sha256d read big-endian is <= target (32 bytes big-endian), or -1.
 */
int64_t grind_nonces(const uint8_t header[118], const uint8_t target[32], uint64_t start, uint64_t count);

}  // namespace bloom
