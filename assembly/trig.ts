// Fast sin/cos: Cody–Waite reduction by π/2 and fdlibm's minimax kernels on [−π/4, π/4].
// Error bound: the kernels are within 2^-58 relative of sin/cos on [−π/4, π/4]; with the two-part
// reduction (exact k·PIO2_HI for |k| < 2^20) the result is within ~2 ulp (≤ 4.5e-16 absolute) for
// |x| ≤ 1e5 (test/core.test.ts checks 1e-15 against Math.sin/cos). The SIMD and scalar forms
// perform the same operations in the same order, so both builds return bit-identical results.

// @ts-ignore: decorator
@inline export const TWO_PI: f64 = 6.283185307179586;
// @ts-ignore: decorator
@inline export const INV_TWO_PI: f64 = 0.15915494309189535;
// @ts-ignore: decorator
@inline const INV_PIO2: f64 = 6.36619772367581382433e-01;
// @ts-ignore: decorator
@inline const PIO2_HI: f64 = 1.57079632673412561417e+00;
// @ts-ignore: decorator
@inline const PIO2_LO: f64 = 6.07710050650619224932e-11;
// @ts-ignore: decorator
@inline const S1: f64 = -1.66666666666666324348e-01;
// @ts-ignore: decorator
@inline const S2: f64 = 8.33333333332248946124e-03;
// @ts-ignore: decorator
@inline const S3: f64 = -1.98412698298579493134e-04;
// @ts-ignore: decorator
@inline const S4: f64 = 2.75573137070700676789e-06;
// @ts-ignore: decorator
@inline const S5: f64 = -2.50507602534068634195e-08;
// @ts-ignore: decorator
@inline const S6: f64 = 1.58969099521155010221e-10;
// @ts-ignore: decorator
@inline const C1: f64 = 4.16666666666666019037e-02;
// @ts-ignore: decorator
@inline const C2: f64 = -1.38888888888741095749e-03;
// @ts-ignore: decorator
@inline const C3: f64 = 2.48015872894767294178e-05;
// @ts-ignore: decorator
@inline const C4: f64 = -2.75573143513906633035e-07;
// @ts-ignore: decorator
@inline const C5: f64 = 2.08757232129817482790e-09;
// @ts-ignore: decorator
@inline const C6: f64 = -1.13596475577881948265e-11;

/** Results of the scalar sincos (AssemblyScript has no tuples). */
let sinOut: f64 = 0;
let cosOut: f64 = 0;
// @ts-ignore: decorator
@inline export function getSin(): f64 { return sinOut; }
// @ts-ignore: decorator
@inline export function getCos(): f64 { return cosOut; }

// @ts-ignore: decorator
@inline export function sincos(x: f64): void {
  const k = nearest(x * INV_PIO2);
  const r = x - k * PIO2_HI - k * PIO2_LO;
  const z = r * r;
  const sp = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
  const cp = 1.0 - 0.5 * z + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const q = <i32>k & 3;
  let s = q & 1 ? cp : sp;
  let c = q & 1 ? sp : cp;
  if (q & 2) s = -s;
  if ((q + 1) & 2) c = -c;
  sinOut = s;
  cosOut = c;
}

/** Scalar fast sine (exported for the error-bound test). */
export function fastSin(x: f64): f64 {
  sincos(x);
  return getSin();
}

/** Scalar fast cosine (exported for the error-bound test). */
export function fastCos(x: f64): f64 {
  sincos(x);
  return getCos();
}

/** x mod 2π into [0, 2π); exact (equal to fmod) when |x| < 4π. */
// @ts-ignore: decorator
@inline export function wrap(x: f64): f64 {
  let y = x - TWO_PI * floor(x * INV_TWO_PI);
  if (y < 0) y += TWO_PI;
  if (y >= TWO_PI) y -= TWO_PI;
  return y;
}

// ---- SIMD (f64x2) forms; only referenced when compiled with --enable simd ----

/** sin and cos of both lanes of x, stored (unaligned) at sp and cp. */
// @ts-ignore: decorator
@inline export function sincos2(x: v128, sp: usize, cp: usize): void {
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_PIO2)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(PIO2_HI))), f64x2.mul(k, f64x2.splat(PIO2_LO)));
  const z = f64x2.mul(r, r);
  let ps = f64x2.add(f64x2.splat(S5), f64x2.mul(z, f64x2.splat(S6)));
  ps = f64x2.add(f64x2.splat(S4), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S3), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S2), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S1), f64x2.mul(z, ps));
  const psin = f64x2.add(r, f64x2.mul(f64x2.mul(r, z), ps));
  let pc = f64x2.add(f64x2.splat(C5), f64x2.mul(z, f64x2.splat(C6)));
  pc = f64x2.add(f64x2.splat(C4), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C3), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C2), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C1), f64x2.mul(z, pc));
  const pcos = f64x2.add(
    f64x2.sub(f64x2.splat(1.0), f64x2.mul(f64x2.splat(0.5), z)),
    f64x2.mul(f64x2.mul(z, z), pc),
  );
  const q = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const swap = i64x2.ne(v128.and(q, i64x2.splat(1)), i64x2.splat(0));
  const sSign = i64x2.shl(v128.and(q, i64x2.splat(2)), 62);
  const cSign = i64x2.shl(v128.and(i64x2.add(q, i64x2.splat(1)), i64x2.splat(2)), 62);
  v128.store(sp, v128.xor(v128.bitselect(pcos, psin, swap), sSign));
  v128.store(cp, v128.xor(v128.bitselect(psin, pcos, swap), cSign));
}

// @ts-ignore: decorator
@inline export function wrap2(x: v128): v128 {
  const tp = f64x2.splat(TWO_PI);
  let y = f64x2.sub(x, f64x2.mul(tp, f64x2.floor(f64x2.mul(x, f64x2.splat(INV_TWO_PI)))));
  y = v128.bitselect(f64x2.add(y, tp), y, f64x2.lt(y, f64x2.splat(0)));
  y = v128.bitselect(f64x2.sub(y, tp), y, f64x2.ge(y, tp));
  return y;
}
