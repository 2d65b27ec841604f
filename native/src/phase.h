// Kuramoto mean-field kernels on double phases.
#pragma once
#include <cstddef>

namespace bloom {

struct Order {
  double r;
  double psi;
};

/** |mean(e^{iθ})| clamped to 1 and the mean angle in [0, 2π); (0, 0) for no phases. */
Order order_parameter(const double* phases, size_t n);
/** Explicit Euler on the mean-field form, phases updated in place and kept in [0, 2π). */
Order kuramoto_integrate(double* phases, const double* omegas, size_t n, double coupling, double dt,
                         unsigned long long steps);
/** sin and cos as the kernels compute them (exposed so the tests can bound the polynomial error). */
void sincos_poly(double x, double* s, double* c);

}  // namespace bloom
