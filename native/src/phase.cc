// Kuramoto kernels. One fused pass per step: update θ with the frozen mean field, wrap, and compute
// the new θ's sin/cos for the next step's field, so each oscillator-step costs a single sincos.
// sin/cos are fdlibm's kernel polynomials after Cody-Waite reduction by π/2 (|error| < 2 ulp for
// |x| < 2^20, far below what the Euler step itself changes), written with vector extensions so GCC
// emits AVX2 (or SSE2 pairs) without -ffast-math.
#include "phase.h"

#include <cmath>
#include <cstring>
#include <vector>

#ifdef __AVX__
#include <immintrin.h>
#endif

namespace bloom {
namespace {

constexpr double TWO_PI = 6.283185307179586;  // same double as JS 2 * Math.PI
constexpr double TWO_OVER_PI = 6.36619772367581382433e-01;
constexpr double PIO2_1 = 1.57079632673412561417e+00;   // first 33 bits of π/2
constexpr double PIO2_1T = 6.07710050650619224932e-11;  // π/2 − PIO2_1
constexpr double ROUNDER = 6755399441055744.0;          // 1.5 · 2^52: x + R − R rounds to an integer
constexpr double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                 S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                 S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
constexpr double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                 C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                 C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));
typedef double v4du __attribute__((vector_size(32), aligned(8)));  // unaligned loads/stores

inline v4d splat(double x) { return v4d{x, x, x, x}; }

template <typename D, typename I>
inline void sincos_core(D x, D& s, D& c, I& q) {
  D kd = x * TWO_OVER_PI + ROUNDER;
  std::memcpy(&q, &kd, sizeof q);  // low mantissa bits = the quadrant count k (two's complement)
  kd = kd - ROUNDER;
  D r = (x - kd * PIO2_1) - kd * PIO2_1T;
  // Estrin's scheme: the same polynomials with a shorter dependency chain than Horner's
  D z = r * r, z2 = z * z, z4 = z2 * z2;
  D ps = (S1 + S2 * z) + z2 * (S3 + S4 * z) + z4 * (S5 + S6 * z);
  D pc = (C1 + C2 * z) + z2 * (C3 + C4 * z) + z4 * (C5 + C6 * z);
  s = r + (r * z) * ps;
  c = (1.0 - 0.5 * z) + z2 * pc;
}

inline void sincos4(v4d x, v4d& s, v4d& c) {
  v4d sp, cp;
  v4l q;
  sincos_core(x, sp, cp, q);
  const v4l swap = (q & 1) != 0;
  const v4d sv = swap ? cp : sp, cv = swap ? sp : cp;
  s = ((q & 2) != 0) ? -sv : sv;
  c = (((q + 1) & 2) != 0) ? -cv : cv;
}

inline void sincos1(double x, double& s, double& c) {
  double sp, cp;
  long long q;
  sincos_core(x, sp, cp, q);
  const double sv = (q & 1) ? cp : sp, cv = (q & 1) ? sp : cp;
  s = (q & 2) ? -sv : sv;
  c = ((q + 1) & 2) ? -cv : cv;
}

// The reference's wrapAngle: Python's x % 2π, and never exactly 2π.
inline double wrap_exact(double x) {
  double y = std::fmod(x, TWO_PI);
  if (y < 0) y += TWO_PI;
  return y >= TWO_PI ? 0 : y;
}

constexpr double INV_TWO_PI = 0.15915494309189535;
constexpr double WRAP_LIMIT = 1125899906842624.0;  // 2^50: beyond it (or NaN/inf) the scalar path wraps

// Wraps into [0, 2π). For x in [−2π, 4π) (every step that moves a phase by less than a turn) this is
// bit-identical to wrap_exact: fmod there is one exact subtraction (Sterbenz). Larger finite |x| take
// x − 2π·round(x/2π) with an FMA, within an ulp of x of fmod. No libm call, so the loop keeps its
// constants in registers; `bad` flags NaN/inf/|x| ≥ 2^50 for the scalar path.
inline v4d wrap4(v4d x, bool& bad) {
  v4d y = x >= TWO_PI ? x - TWO_PI : x;
  y = y < 0 ? y + TWO_PI : y;
  const v4l far = (x < -TWO_PI) | (x >= 2 * TWO_PI);
  const v4d q = (x * INV_TWO_PI + ROUNDER) - ROUNDER;
  v4d f = x - q * TWO_PI;
  f = f < 0 ? f + TWO_PI : f;
  y = far ? f : y;
  y = y >= TWO_PI ? splat(0) : y;
  const v4d ax = x < 0 ? -x : x;
  const v4l huge = !(ax < WRAP_LIMIT);
#ifdef __AVX__
  bad = !_mm256_testz_si256(reinterpret_cast<__m256i>(huge), reinterpret_cast<__m256i>(huge));
#else
  bad = (huge[0] | huge[1] | huge[2] | huge[3]) != 0;
#endif
  return y;
}

Order finish(double sum_c, double sum_s, size_t n) {
  if (n == 0) return {0, 0};
  const double c = sum_c / double(n), s = sum_s / double(n);
  const double r = std::hypot(c, s);
  return {r < 1 ? r : 1, wrap_exact(std::atan2(s, c))};
}

// Fills c[], s[] with cos/sin of the phases and returns their sums.
void sincos_all(const double* th, double* cs, double* sn, size_t n, double& sum_c, double& sum_s) {
  v4d acc_c = splat(0), acc_s = splat(0);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v4d s, c;
    sincos4(*reinterpret_cast<const v4du*>(th + i), s, c);
    *reinterpret_cast<v4du*>(cs + i) = c;
    *reinterpret_cast<v4du*>(sn + i) = s;
    acc_c += c;
    acc_s += s;
  }
  sum_c = (acc_c[0] + acc_c[1]) + (acc_c[2] + acc_c[3]);
  sum_s = (acc_s[0] + acc_s[1]) + (acc_s[2] + acc_s[3]);
  for (; i < n; ++i) {
    sincos1(th[i], sn[i], cs[i]);
    sum_c += cs[i];
    sum_s += sn[i];
  }
}

thread_local std::vector<double> scratch;  // cos and sin of the current phases, reused across calls

}  // namespace

void sincos_poly(double x, double* s, double* c) { sincos1(x, *s, *c); }

Order order_parameter(const double* phases, size_t n) {
  v4d acc_c = splat(0), acc_s = splat(0);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v4d s, c;
    sincos4(*reinterpret_cast<const v4du*>(phases + i), s, c);
    acc_c += c;
    acc_s += s;
  }
  double sum_c = (acc_c[0] + acc_c[1]) + (acc_c[2] + acc_c[3]);
  double sum_s = (acc_s[0] + acc_s[1]) + (acc_s[2] + acc_s[3]);
  for (; i < n; ++i) {
    double s, c;
    sincos1(phases[i], s, c);
    sum_c += c;
    sum_s += s;
  }
  return finish(sum_c, sum_s, n);
}

Order kuramoto_integrate(double* th, const double* om, size_t n, double coupling, double dt,
                         unsigned long long steps) {
  if (scratch.size() < 2 * n) scratch.resize(2 * n);
  double* cs = scratch.data();
  double* sn = cs + n;
  double sum_c, sum_s;
  sincos_all(th, cs, sn, n, sum_c, sum_s);
  for (unsigned long long step = 0; step < steps && n > 0; ++step) {
    // K·r·sin(ψ − θ) = K·(r sinψ · cosθ − r cosψ · sinθ), with r·e^{iψ} the mean of e^{iθ}
    const double inv_n = 1.0 / double(n);
    double mc = sum_c * inv_n, ms = sum_s * inv_n;
    const double r = std::hypot(mc, ms);
    if (r > 1) {  // the reference clamps r to 1
      mc /= r;
      ms /= r;
    }
    const double a = coupling * ms, b = coupling * mc;
    const v4d va = splat(a), vb = splat(b), vdt = splat(dt);
    v4d acc_c = splat(0), acc_s = splat(0);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      const v4d c = *reinterpret_cast<const v4du*>(cs + i), s = *reinterpret_cast<const v4du*>(sn + i);
      const v4d x = *reinterpret_cast<const v4du*>(th + i) +
                    vdt * (*reinterpret_cast<const v4du*>(om + i) + (va * c - vb * s));
      bool bad;
      const v4d y = wrap4(x, bad);
      if (__builtin_expect(bad, 0)) break;  // NaN/inf/huge: this block and the rest go the scalar way
      *reinterpret_cast<v4du*>(th + i) = y;
      v4d ns, nc;
      sincos4(y, ns, nc);
      *reinterpret_cast<v4du*>(cs + i) = nc;
      *reinterpret_cast<v4du*>(sn + i) = ns;
      acc_c += nc;
      acc_s += ns;
    }
    sum_c = (acc_c[0] + acc_c[1]) + (acc_c[2] + acc_c[3]);
    sum_s = (acc_s[0] + acc_s[1]) + (acc_s[2] + acc_s[3]);
    for (; i < n; ++i) {
      const double y = wrap_exact(th[i] + dt * (om[i] + (a * cs[i] - b * sn[i])));
      th[i] = y;
      sincos1(y, sn[i], cs[i]);
      sum_c += cs[i];
      sum_s += sn[i];
    }
  }
  return finish(sum_c, sum_s, n);
}

}  // namespace bloom
