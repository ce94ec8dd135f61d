#pragma once
// Gauss-Legendre nodes and weights on [-1, 1] for n points: the n roots of the Legendre
// polynomial P_n, found by Newton's method from Tricomi's initial guess, and the weights
// 2 / ((1 - x^2) P_n'(x)^2). An n-point rule integrates polynomials of degree 2n - 1 exactly;
// for an integrand analytic in a Bernstein ellipse of parameter rho the error falls like
// rho^(-2n). Computed once per n and kept (function-local statics are thread-safe).
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace vtrial {

template <std::size_t N>
struct GaussLegendre {
  std::array<double, N> node{};    // ascending
  std::array<double, N> weight{};  // sums to 2

  GaussLegendre() {
    for (std::size_t i = 0; i < (N + 1) / 2; ++i) {
      // The i-th largest root, refined; its mirror image is the i-th smallest.
      double x = std::cos(std::numbers::pi * (static_cast<double>(i) + 0.75) / (static_cast<double>(N) + 0.5));
      double derivative = 1;
      for (int iteration = 0; iteration < 100; ++iteration) {
        double p0 = 1, p1 = x;  // P_0, P_1; the recurrence climbs to P_N
        for (std::size_t k = 2; k <= N; ++k) {
          const double kk = static_cast<double>(k);
          const double p2 = ((2 * kk - 1) * x * p1 - (kk - 1) * p0) / kk;
          p0 = p1;
          p1 = p2;
        }
        derivative = static_cast<double>(N) * (x * p1 - p0) / (x * x - 1);
        const double dx = p1 / derivative;
        x -= dx;
        if (std::fabs(dx) < 1e-16) break;
      }
      const double w = 2 / ((1 - x * x) * derivative * derivative);
      node[N - 1 - i] = x;
      node[i] = -x;
      weight[N - 1 - i] = weight[i] = w;
    }
    if (N % 2 == 1) node[N / 2] = 0;
  }

  static const GaussLegendre& get() {
    static const GaussLegendre rule;
    return rule;
  }
};

}  // namespace vtrial
