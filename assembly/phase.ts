// Phase state wire format (seed 2.1, decisions.md): `<ffI{n}f` = r f32, psi f32, n u32, n × f32.

// @ts-ignore: decorator
@inline const MAX_PHASES: u32 = 10000;

/** Number of phases encodePhaseState keeps for n inputs (n > 256 → phases[::n // 64]). */
export function encodedCount(n: i32): i32 {
  if (n <= 256) return n;
  const stride = n / 64;
  return (n + stride - 1) / stride;
}

/**
 * Encodes n f64 phases at pp with r and psi into out (12 + 4·encodedCount(n) bytes).
 * Returns the byte length, or -7 when r (as f32) is outside [0, 1] / NaN, or psi or a kept
 * phase is not finite as f32 (the encoder never emits what decodePhaseState rejects).
 */
export function encodePhaseState(pp: usize, n: i32, r: f64, psi: f64, out: usize): i32 {
  const count = encodedCount(n);
  const stride = n <= 256 ? 1 : n / 64;
  const rf = <f32>r;
  const pf = <f32>psi;
  if (!(rf >= 0 && rf <= 1)) return -7;
  if (!isFinite<f32>(pf)) return -7;
  store<f32>(out, rf, 0);
  store<f32>(out, pf, 4);
  store<u32>(out, <u32>count, 8);
  for (let i = 0; i < count; i++) {
    const v = <f32>load<f64>(pp + (<usize>(i * stride) << 3));
    if (!isFinite<f32>(v)) return -7;
    store<f32>(out + 12 + (<usize>i << 2), v);
  }
  return 12 + 4 * count;
}

/**
 * Decodes len bytes at p. On success writes r (f64) at out, psi (f64) at out + 8 and the n
 * phases as f64 from out + 16, and returns n. On failure returns a negative code:
 * -1 shorter than 12 bytes, -2 n > 10000, -3 len ≠ 12 + 4n, -4 r outside [0, 1] or NaN,
 * -5 psi not finite, -6 a phase not finite. Checks run in this order; nothing is written
 * past out + 16 + 8n, and n is checked before it sizes anything.
 */
export function decodePhaseState(p: usize, len: usize, out: usize): i32 {
  if (len < 12) return -1;
  const r = load<f32>(p, 0);
  const psi = load<f32>(p, 4);
  const n = load<u32>(p, 8);
  if (n > MAX_PHASES) return -2;
  if (len != 12 + (<usize>n << 2)) return -3;
  if (!(r >= 0 && r <= 1)) return -4;
  if (!isFinite<f32>(psi)) return -5;
  for (let i: u32 = 0; i < n; i++) {
    const v = load<f32>(p + 12 + (<usize>i << 2));
    if (!isFinite<f32>(v)) return -6;
    store<f64>(out + 16 + (<usize>i << 3), <f64>v);
  }
  store<f64>(out, <f64>r, 0);
  store<f64>(out, <f64>psi, 8);
  return <i32>n;
}
