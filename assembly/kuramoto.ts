// Kuramoto kernels: order parameter, mean-field integration, phase incorporation (seed 2.4).
// Sums run in two interleaved accumulators (even / odd index) in both builds, so the SIMD and
// scalar builds give bit-identical results.
import { sincos, sincos2, sincosT, sincosT2, getSin, getCos, initSinCosTable, wrap, wrap2, TWO_PI } from './trig';

// 16-byte scratch for the SIMD sincos of orderParameter.
const PAIR: usize = memory.data(32, 16);
// The running sums: cos of even / odd oscillators at SUMS, sin of even / odd at SUMS + 16 (f64x2 lanes).
const SUMS: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline function wrapAtan(y: f64, x: f64): f64 {
  let a = Math.atan2(y, x);
  if (a < 0) a += TWO_PI;
  return a >= TWO_PI ? 0 : a;
}

/** Adds cos/sin of oscillator i to its (even or odd) accumulator lane. */
// @ts-ignore: decorator
@inline function accumulate(i: i32, c: f64, s: f64): void {
  const lane = SUMS + ((<usize>i & 1) << 3);
  store<f64>(lane, load<f64>(lane) + c);
  store<f64>(lane, load<f64>(lane, 16) + s, 16);
}

/** Adds the cos/sin pairs just stored at cp and sp (oscillators i, i + 1, i even) to the lane sums. */
// @ts-ignore: decorator
@inline function accumulate2(cp: usize, sp: usize): void {
  v128.store(SUMS, f64x2.add(v128.load(SUMS), v128.load(cp)));
  v128.store(SUMS + 16, f64x2.add(v128.load(SUMS + 16), v128.load(sp)));
}

/** Keeps getCos()/getSin() of oscillator i in the scratch arrays and adds them to the lane sums. */
// @ts-ignore: decorator
@inline function keep(i: i32, cs: usize, ss: usize): void {
  const off = <usize>i << 3;
  store<f64>(cs + off, getCos());
  store<f64>(ss + off, getSin());
  accumulate(i, getCos(), getSin());
}

/** Writes r (f64) at out and psi ∈ [0, 2π) at out + 8 from the SUMS of n oscillators. */
// @ts-ignore: decorator
@inline function finish(n: i32, out: usize): void {
  if (n == 0) {
    store<f64>(out, 0, 0);
    store<f64>(out, 0, 8);
    return;
  }
  const cm = (load<f64>(SUMS) + load<f64>(SUMS, 8)) / <f64>n;
  const sm = (load<f64>(SUMS, 16) + load<f64>(SUMS, 24)) / <f64>n;
  store<f64>(out, min(1.0, sqrt(cm * cm + sm * sm)), 0);
  store<f64>(out, wrapAtan(sm, cm), 8);
}

/** Order parameter of n f64 phases at p: writes r (f64) at out and psi ∈ [0, 2π) at out + 8. */
export function orderParameter(p: usize, n: i32, out: usize): void {
  memory.fill(SUMS, 0, 32);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 1 < n; i += 2) {
      sincos2(v128.load(p + (<usize>i << 3)), PAIR, PAIR + 16);
      accumulate2(PAIR + 16, PAIR);
    }
  }
  for (; i < n; i++) {
    sincos(load<f64>(p + (<usize>i << 3)));
    accumulate(i, getCos(), getSin());
  }
  finish(n, out);
}

/**
 * Mean-field Kuramoto, explicit Euler: per step θᵢ += dt·(ωᵢ + K·(S·cos θᵢ − C·sin θᵢ)), where
 * C + iS = mean e^{iθ} = r·e^{iψ} (so the term equals K·r·sin(ψ − θᵢ)); θ wrapped into [0, 2π).
 * One sincos per oscillator-step: cos/sin of the phases live in scratch (16·n bytes). The input
 * phases take the general sincos; the wrapped ones of every step the table sincos (trig.ts).
 * phases at pp (updated in place), omegas at wp, n each; writes r, psi at out as orderParameter.
 */
export function kuramotoIntegrate(pp: usize, wp: usize, n: i32, k: f64, dt: f64, steps: i32, scratch: usize, out: usize): void {
  initSinCosTable();
  const cs = scratch;
  const ss = scratch + (<usize>n << 3);
  // initial mean field (phases untouched, so steps = 0 leaves them as they are)
  memory.fill(SUMS, 0, 32);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 1 < n; i += 2) {
      const off = <usize>i << 3;
      sincos2(v128.load(pp + off), ss + off, cs + off);
      accumulate2(cs + off, ss + off);
    }
  }
  for (; i < n; i++) {
    sincos(load<f64>(pp + (<usize>i << 3)));
    keep(i, cs, ss);
  }
  for (let step = 0; step < steps; step++) {
    const kc = k * ((load<f64>(SUMS) + load<f64>(SUMS, 8)) / <f64>n);
    const ks = k * ((load<f64>(SUMS, 16) + load<f64>(SUMS, 24)) / <f64>n);
    memory.fill(SUMS, 0, 32);
    i = 0;
    if (ASC_FEATURE_SIMD) {
      const vkc = f64x2.splat(kc), vks = f64x2.splat(ks), vdt = f64x2.splat(dt);
      for (; i + 1 < n; i += 2) {
        const off = <usize>i << 3;
        const th = v128.load(pp + off);
        const drive = f64x2.sub(f64x2.mul(vks, v128.load(cs + off)), f64x2.mul(vkc, v128.load(ss + off)));
        const nt = wrap2(f64x2.add(th, f64x2.mul(vdt, f64x2.add(v128.load(wp + off), drive))));
        v128.store(pp + off, nt);
        sincosT2(nt, ss + off, cs + off);
        accumulate2(cs + off, ss + off);
      }
    }
    for (; i < n; i++) {
      const off = <usize>i << 3;
      const drive = ks * load<f64>(cs + off) - kc * load<f64>(ss + off);
      const nt = wrap(load<f64>(pp + off) + dt * (load<f64>(wp + off) + drive));
      store<f64>(pp + off, nt);
      sincosT(nt);
      keep(i, cs, ss);
    }
  }
  finish(n, out);
}

/**
 * Seed 2.4: out[i] = angle((1−w)·e^{i·local[i]} + w·e^{i·peer[j(i)]}) mod 2π, with j(i) numpy's
 * truncated linspace(0, np−1, nl). out may alias local. Returns 0, or -1 when peer is empty.
 */
export function incorporatePeerPhases(lp: usize, nl: i32, pp: usize, np: i32, weight: f64, out: usize): i32 {
  if (nl == 0) return 0;
  if (np == 0) return -1;
  const w0 = 1.0 - weight;
  const step: f64 = nl > 1 ? <f64>(np - 1) / <f64>(nl - 1) : 0;
  for (let i = 0; i < nl; i++) {
    let j = i;
    if (np != nl) {
      j = i == nl - 1 && nl > 1 ? np - 1 : <i32>Math.floor(<f64>i * step);
      if (j > np - 1) j = np - 1;
    }
    sincos(load<f64>(pp + (<usize>j << 3)));
    const ps = getSin(), pc = getCos();
    sincos(load<f64>(lp + (<usize>i << 3)));
    store<f64>(out + (<usize>i << 3), wrapAtan(w0 * getSin() + weight * ps, w0 * getCos() + weight * pc));
  }
  return 0;
}
