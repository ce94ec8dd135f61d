#pragma once
// Continuous variates drawn from one stream (RandomStream, FirstDrawStream or any other
// UniformRandomBitGenerator with outputs 0 to 2^64 - 1), chosen for speed in the per-trial hot
// loop: each is an exact method for its distribution (no approximation beyond floating point),
// but not an inversion, so a variate is not a fixed function of the first uniform of its stream.
// Distributional checks: tests/unit/test_random_variates.cpp.
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdint>

#include "engine/random_stream.hpp"

namespace vtrial {

namespace detail {

// Boost.Random's 256-layer exponential ziggurat tables: layer i spans abscissae [0, x[i]) with
// x[i + 1] the start of its wedge; x[0] is the base layer's width (area / f(r)), x[256] = 0;
// y[i] = exp(-x[i]) for i >= 1 (y[0] is 0 and never read).
inline const double* const kExpX = boost::random::detail::exponential_table<double>::table_x;
inline const double* const kExpY = boost::random::detail::exponential_table<double>::table_y;

// The ~1 % of draws outside a layer's rectangle, out of line so the inlined fast path keeps
// its caller's registers: the base layer's tail (the exponential's tail is the body again,
// shifted by x[1]) or a wedge (a second uniform decides against exp(-x)). Either way it may
// start over with fresh draws.
template <class Generator>
[[gnu::noinline]] double standard_exponential_outside(Generator& generator, std::uint64_t layer, double x) {
  double shift = 0;
  for (;;) {
    if (layer == 0) {
      shift += kExpX[1];
    } else {
      const double y01 = static_cast<double>(generator() >> 11) * 0x1p-53;
      const double y = kExpY[layer] + y01 * (kExpY[layer + 1] - kExpY[layer]);
      // exp(-x) is convex, so within the wedge it lies below the chord and above the tangent
      // at x[layer + 1]: above the chord rejects and below the tangent accepts without exp
      // (Boost's squeeze); only the sliver between needs exp.
      const double above_chord = (kExpX[layer] - kExpX[layer + 1]) * y01 - (kExpX[layer] - x);
      const double above_tangent = y - (kExpY[layer + 1] + (kExpX[layer + 1] - x) * kExpY[layer + 1]);
      if (above_chord < 0 && (above_tangent < 0 || y < std::exp(-x))) return shift + x;
    }
    const std::uint64_t bits = generator();
    layer = bits & 0xff;
    x = static_cast<double>(bits >> 11) * 0x1p-53 * kExpX[layer];
    if (x < kExpX[layer + 1]) return shift + x;
  }
}

}  // namespace detail

// Standard exponential (rate 1) by the 256-layer ziggurat of Marsaglia & Tsang (2000), on
// Boost.Random's tables: one 64-bit draw (the low 8 bits pick the layer, the top 53 the
// abscissa), a multiply and a compare in ~99 % of calls; the rest continue out of line.
// Replaces -log(U), whose libm log dominated the draw.
template <class Generator>
inline double standard_exponential(Generator& generator) {
  const std::uint64_t bits = generator();
  const std::uint64_t layer = bits & 0xff;
  const double x = static_cast<double>(bits >> 11) * 0x1p-53 * detail::kExpX[layer];
  if (x < detail::kExpX[layer + 1]) [[likely]]
    return x;
  return detail::standard_exponential_outside(generator, layer, x);
}

// Standard normal by Boost.Random's ziggurat.
template <class Generator>
double standard_normal(Generator& generator) {
  boost::random::normal_distribution<double> unit(0.0, 1.0);
  return unit(generator);
}

// Gamma(shape, scale 1) by Marsaglia & Tsang (ACM TOMS 26(3), 2000): for shape a >= 1,
// d = a - 1/3, c = 1/sqrt(9d); accept d * (1 + c Z)^3 with a squeeze that avoids the log in
// ~98 % of candidates (acceptance > 95 % for a >= 1). For a < 1, Gamma(a) = Gamma(a + 1) *
// U^(1/a), with U^(1/a) = exp(-E / a) from a standard exponential E.
template <class Generator>
double standard_gamma(Generator& generator, double shape) {
  const double a = shape < 1 ? shape + 1 : shape;
  const double d = a - 1.0 / 3.0;
  const double c = 1 / std::sqrt(9 * d);
  double x = 0, v = 0;
  for (;;) {
    do {
      x = standard_normal(generator);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = RandomStream::to_open01(generator());
    const double x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) break;
    if (std::log(u) < 0.5 * x2 + d * (1 - v + std::log(v))) break;
  }
  const double g = d * v;
  return shape < 1 ? g * std::exp(-standard_exponential(generator) / shape) : g;
}

}  // namespace vtrial
