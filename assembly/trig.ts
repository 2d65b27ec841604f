// Fast sin/cos: Cody–Waite reduction by π/2 and fdlibm's minimax kernels on [−π/4, π/4].
// Error bound: the kernels are within 2^-58 relative of sin/cos on [−π/4, π/4]; with the two-part
// reduction (exact k·PIO2_HI for |k| < 2^20) the result is within ~2 ulp (≤ 4.5e-16 absolute) for
// |x| ≤ 1e5 (test/backends.test.ts checks 1e-15 against Math.sin/cos). The SIMD and scalar forms
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

// ---- Table sin/cos for phases already in [0, 2π] (the Kuramoto step loop) ----
// x = j·h + d with h = 2π/256, j = nearest(x/h) ∈ [0, 256], |d| ≤ h/2 ≈ 0.0123; sin/cos(j·h) from a
// 256-row table, sin/cos(d) from short Taylor kernels (first dropped terms d⁹/9! ≈ 2e-23, d⁸/8! ≈ 6e-21),
// then the angle-addition formulas: about 40 % fewer operations than the reduction by π/2, within 3 ulp.
// The scalar and f64x2 forms perform the same operations in the same order (bit-identical builds).
// NaN in gives NaN out (the index is masked, so any input reads inside the table).

/** Rows (sin jh, cos jh), 16 bytes each, filled by initSinCosTable() from the ≤ 2 ulp sincos above. */
const SC_TABLE: usize = memory.data(256 * 16, 16);
let tableReady = false;
// @ts-ignore: decorator
@inline const INV_H: f64 = 40.74366543152521; // 256 / 2π
// @ts-ignore: decorator
@inline const H_HI: f64 = PIO2_HI / 64; // 2π/256 in two parts (exact: a power-of-two scaling of π/2's)
// @ts-ignore: decorator
@inline const H_LO: f64 = PIO2_LO / 64;
// @ts-ignore: decorator
@inline const ROUND_MAGIC: f64 = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer in the low bits
// @ts-ignore: decorator
@inline const T3: f64 = -1.66666666666666666667e-01; // −1/3!
// @ts-ignore: decorator
@inline const T5: f64 = 8.33333333333333333333e-03; // 1/5!
// @ts-ignore: decorator
@inline const T7: f64 = -1.98412698412698412698e-04; // −1/7!
// @ts-ignore: decorator
@inline const T4: f64 = 4.16666666666666666667e-02; // 1/4!
// @ts-ignore: decorator
@inline const T6: f64 = -1.38888888888888888889e-03; // −1/6!

/** Fills the table once per instance (the kernels call it; the data is the same on every engine). */
export function initSinCosTable(): void {
  if (tableReady) return;
  for (let j = 0; j < 256; j++) {
    sincos(<f64>j * H_HI + <f64>j * H_LO); // the angle d is measured from
    store<f64>(SC_TABLE + (<usize>j << 4), sinOut);
    store<f64>(SC_TABLE + (<usize>j << 4), cosOut, 8);
  }
  tableReady = true;
}

/** Table sincos of x ∈ [0, 2π] (or NaN) into getSin()/getCos(); initSinCosTable() must have run. */
// @ts-ignore: decorator
@inline export function sincosT(x: f64): void {
  const t = x * INV_H + ROUND_MAGIC;
  const j = t - ROUND_MAGIC;
  const d = x - j * H_HI - j * H_LO;
  const row = SC_TABLE + ((<usize>reinterpret<u64>(t) & 255) << 4);
  const sj = load<f64>(row);
  const cj = load<f64>(row, 8);
  const z = d * d;
  const sd = d + d * z * (T3 + z * (T5 + z * T7));
  const cd = 1.0 - 0.5 * z + z * z * (T4 + z * T6);
  sinOut = sj * cd + cj * sd;
  cosOut = cj * cd - sj * sd;
}

/** sincosT of both lanes of x, stored at sp and cp. */
// @ts-ignore: decorator
@inline export function sincosT2(x: v128, sp: usize, cp: usize): void {
  const magic = f64x2.splat(ROUND_MAGIC);
  const t = f64x2.add(f64x2.mul(x, f64x2.splat(INV_H)), magic);
  const j = f64x2.sub(t, magic);
  const d = f64x2.sub(f64x2.sub(x, f64x2.mul(j, f64x2.splat(H_HI))), f64x2.mul(j, f64x2.splat(H_LO)));
  const e0 = v128.load(SC_TABLE + ((<usize>i64x2.extract_lane(t, 0) & 255) << 4));
  const e1 = v128.load(SC_TABLE + ((<usize>i64x2.extract_lane(t, 1) & 255) << 4));
  const sj = v128.shuffle<f64>(e0, e1, 0, 2);
  const cj = v128.shuffle<f64>(e0, e1, 1, 3);
  const z = f64x2.mul(d, d);
  let ps = f64x2.add(f64x2.splat(T5), f64x2.mul(z, f64x2.splat(T7)));
  ps = f64x2.add(f64x2.splat(T3), f64x2.mul(z, ps));
  const sd = f64x2.add(d, f64x2.mul(f64x2.mul(d, z), ps));
  const pc = f64x2.add(f64x2.splat(T4), f64x2.mul(z, f64x2.splat(T6)));
  const cd = f64x2.add(f64x2.sub(f64x2.splat(1.0), f64x2.mul(f64x2.splat(0.5), z)), f64x2.mul(f64x2.mul(z, z), pc));
  v128.store(sp, f64x2.add(f64x2.mul(sj, cd), f64x2.mul(cj, sd)));
  v128.store(cp, f64x2.sub(f64x2.mul(cj, cd), f64x2.mul(sj, sd)));
}

/** Table sine for x ∈ [0, 2π] (exported for the error-bound test). */
export function tableSin(x: f64): f64 {
  initSinCosTable();
  sincosT(x);
  return getSin();
}

/** Table cosine for x ∈ [0, 2π] (exported for the error-bound test). */
export function tableCos(x: f64): f64 {
  initSinCosTable();
  sincosT(x);
  return getCos();
}
