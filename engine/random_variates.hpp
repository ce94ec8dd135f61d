#pragma once
// Continuous variates drawn from one stream (RandomStream, FirstDrawStream or any other
// UniformRandomBitGenerator with outputs 0 to 2^64 - 1), chosen for speed in the per-trial hot
// loop: each is an exact method for its distribution (no approximation beyond floating point),
// but not an inversion, so a variate is not a fixed function of the first uniform of its stream.
// Distributional checks: tests/unit/test_random_variates.cpp.
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "engine/random_stream.hpp"

namespace vtrial {

// Standard exponential (rate 1) by Boost.Random's 256-layer ziggurat (Marsaglia & Tsang 2000):
// one 64-bit draw (8 bits pick the layer, 56 the abscissa), a multiply and a compare in ~99 %
// of calls; the rest take a second draw (wedges) or restart shifted (the tail, which for the
// exponential is the body again). Replaces -log(U), whose libm log dominated the draw.
template <class Generator>
double standard_exponential(Generator& generator) {
  boost::random::exponential_distribution<double> unit(1.0);  // x / 1.0 folds away
  return unit(generator);
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
