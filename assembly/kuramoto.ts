// Kuramoto kernels: order parameter, mean-field integration, phase incorporation (seed 2.4).
// Sums run in two interleaved accumulators (even / odd index) in both builds, so the SIMD and
// scalar builds give bit-identical results.
import { sincos, sincos2, getSin, getCos, wrap, wrap2, TWO_PI } from './trig';

// 16-byte scratch for the scalar tail of the SIMD loops.
const PAIR: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline function wrapAtan(y: f64, x: f64): f64 {
  let a = Math.atan2(y, x);
  if (a < 0) a += TWO_PI;
  return a >= TWO_PI ? 0 : a;
}

// @ts-ignore: decorator
@inline function finish(c: f64, s: f64, n: i32, out: usize): void {
  if (n == 0) {
    store<f64>(out, 0, 0);
    store<f64>(out, 0, 8);
    return;
  }
  const cm = c / <f64>n;
  const sm = s / <f64>n;
  store<f64>(out, min(1.0, sqrt(cm * cm + sm * sm)), 0);
  store<f64>(out, wrapAtan(sm, cm), 8);
}

/** Order parameter of n f64 phases at p: writes r (f64) at out and psi ∈ [0, 2π) at out + 8. */
export function orderParameter(p: usize, n: i32, out: usize): void {
  let c0: f64 = 0, c1: f64 = 0, s0: f64 = 0, s1: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let cv = f64x2.splat(0), sv = f64x2.splat(0);
    for (; i + 1 < n; i += 2) {
      sincos2(v128.load(p + (<usize>i << 3)), PAIR, PAIR + 16);
      sv = f64x2.add(sv, v128.load(PAIR));
      cv = f64x2.add(cv, v128.load(PAIR + 16));
    }
    c0 = f64x2.extract_lane(cv, 0);
    c1 = f64x2.extract_lane(cv, 1);
    s0 = f64x2.extract_lane(sv, 0);
    s1 = f64x2.extract_lane(sv, 1);
  } else {
    for (; i + 1 < n; i += 2) {
      sincos(load<f64>(p + (<usize>i << 3)));
      c0 += getCos();
      s0 += getSin();
      sincos(load<f64>(p + (<usize>i << 3), 8));
      c1 += getCos();
      s1 += getSin();
    }
  }
  if (i < n) {
    sincos(load<f64>(p + (<usize>i << 3)));
    c0 += getCos();
    s0 += getSin();
  }
  finish(c0 + c1, s0 + s1, n, out);
}

/**
 * Mean-field Kuramoto, explicit Euler: per step θᵢ += dt·(ωᵢ + K·(S·cos θᵢ − C·sin θᵢ)), where
 * C + iS = mean e^{iθ} = r·e^{iψ} (so the term equals K·r·sin(ψ − θᵢ)); θ wrapped into [0, 2π).
 * One sincos per oscillator-step: cos/sin of the phases live in scratch (16·n bytes).
 * phases at pp (updated in place), omegas at wp, n each; writes r, psi at out as orderParameter.
 */
export function kuramotoIntegrate(pp: usize, wp: usize, n: i32, k: f64, dt: f64, steps: i32, scratch: usize, out: usize): void {
  const cs = scratch;
  const ss = scratch + (<usize>n << 3);
  let c0: f64 = 0, c1: f64 = 0, s0: f64 = 0, s1: f64 = 0;
  let i = 0;
  // initial mean field (phases untouched, so steps = 0 leaves them as they are); in lanes too, lane 0
  // summing the even oscillators and lane 1 the odd, so the sums are the scalar build's bit for bit
  if (ASC_FEATURE_SIMD) {
    let cv = f64x2.splat(0), sv = f64x2.splat(0);
    for (; i + 1 < n; i += 2) {
      const off = <usize>i << 3;
      sincos2(v128.load(pp + off), ss + off, cs + off);
      cv = f64x2.add(cv, v128.load(cs + off));
      sv = f64x2.add(sv, v128.load(ss + off));
    }
    c0 = f64x2.extract_lane(cv, 0);
    c1 = f64x2.extract_lane(cv, 1);
    s0 = f64x2.extract_lane(sv, 0);
    s1 = f64x2.extract_lane(sv, 1);
  }
  for (; i < n; i++) {
    const off = <usize>i << 3;
    sincos(load<f64>(pp + off));
    store<f64>(cs + off, getCos());
    store<f64>(ss + off, getSin());
    if (i & 1) {
      c1 += getCos();
      s1 += getSin();
    } else {
      c0 += getCos();
      s0 += getSin();
    }
  }
  for (let step = 0; step < steps; step++) {
    const kc = k * ((c0 + c1) / <f64>n);
    const ks = k * ((s0 + s1) / <f64>n);
    c0 = 0; c1 = 0; s0 = 0; s1 = 0;
    i = 0;
    if (ASC_FEATURE_SIMD) {
      const vkc = f64x2.splat(kc), vks = f64x2.splat(ks), vdt = f64x2.splat(dt);
      let cv = f64x2.splat(0), sv = f64x2.splat(0);
      for (; i + 1 < n; i += 2) {
        const off = <usize>i << 3;
        const th = v128.load(pp + off);
        const drive = f64x2.sub(f64x2.mul(vks, v128.load(cs + off)), f64x2.mul(vkc, v128.load(ss + off)));
        const nt = wrap2(f64x2.add(th, f64x2.mul(vdt, f64x2.add(v128.load(wp + off), drive))));
        v128.store(pp + off, nt);
        sincos2(nt, ss + off, cs + off);
        cv = f64x2.add(cv, v128.load(cs + off));
        sv = f64x2.add(sv, v128.load(ss + off));
      }
      c0 = f64x2.extract_lane(cv, 0);
      c1 = f64x2.extract_lane(cv, 1);
      s0 = f64x2.extract_lane(sv, 0);
      s1 = f64x2.extract_lane(sv, 1);
    }
    for (; i < n; i++) {
      const off = <usize>i << 3;
      const drive = ks * load<f64>(cs + off) - kc * load<f64>(ss + off);
      const nt = wrap(load<f64>(pp + off) + dt * (load<f64>(wp + off) + drive));
      store<f64>(pp + off, nt);
      sincos(nt);
      store<f64>(cs + off, getCos());
      store<f64>(ss + off, getSin());
      if (i & 1) {
        c1 += getCos();
        s1 += getSin();
      } else {
        c0 += getCos();
        s0 += getSin();
      }
    }
  }
  finish(c0 + c1, s0 + s1, n, out);
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
