#include "engine/stats/fisher_exact.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>

namespace vtrial {
namespace {

struct Interval {
  double low, high;
};

// Wilson score interval, as R's prop.test(x, n, correct = FALSE)$conf.int.
Interval wilson(double x, double n, double z) {
  const double p = x / n, z2 = z * z;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

}  // namespace

double fisher_exact_test(std::uint32_t x1, std::uint32_t n1, std::uint32_t x2, std::uint32_t n2) {
  if (x1 > n1 || x2 > n2) throw std::invalid_argument("fisher_exact_test: successes > trials");
  // X = x1 is hypergeometric: k = n1 draws from m = x1 + x2 successes and n = rest.
  const double m = double(x1) + double(x2);
  const double n = double(n1) + double(n2) - m;
  const double k = double(n1);
  const double lo = std::max(0.0, k - n), hi = std::min(k, m);
  // Probabilities relative to the mode by the ratio recursion
  //   P(x + 1) / P(x) = (m - x)(k - x) / ((x + 1)(n - k + x + 1)),
  // which costs a few flops per table instead of a log-gamma per support point, and whose
  // relative error (~1e-14) is far inside the 1e-7 slack used for the comparison.
  const double mode = std::clamp(std::floor((k + 1) * (m + 1) / (m + n + 2)), lo, hi);
  const double observed_x = double(x1);
  double total = 0, observed = 0;
  auto visit_support = [&](auto&& visit) {
    double d = 1;
    for (double x = mode; x <= hi; ++x) {
      visit(x, d);
      d *= (m - x) * (k - x) / ((x + 1) * (n - k + x + 1));
    }
    d = 1;
    for (double x = mode; x > lo; --x) {
      d *= x * (n - k + x) / ((m - x + 1) * (k - x + 1));
      visit(x - 1, d);
    }
  };
  visit_support([&](double x, double d) {
    total += d;
    if (x == observed_x) observed = d;
  });
  const double threshold = observed * (1 + 1e-7);
  double tail = 0;
  visit_support([&](double, double d) {
    if (d <= threshold) tail += d;
  });
  return std::min(1.0, tail / total);
}

DifferenceInterval newcombe_interval(std::uint32_t x1, std::uint32_t n1, std::uint32_t x2,
                                     std::uint32_t n2, double level) {
  if (x1 > n1 || x2 > n2) throw std::invalid_argument("newcombe_interval: successes > trials");
  if (n1 == 0 || n2 == 0) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan};
  }
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + level / 2);
  const double p1 = double(x1) / double(n1), p2 = double(x2) / double(n2);
  const Interval w1 = wilson(x1, n1, z), w2 = wilson(x2, n2, z);
  const double d = p1 - p2;
  return {d, d - std::hypot(p1 - w1.low, w2.high - p2), d + std::hypot(w1.high - p1, p2 - w2.low)};
}

BinaryCounts count_binary(std::span<const std::uint8_t> outcome,
                          std::span<const std::uint8_t> group) {
  if (outcome.size() != group.size())
    throw std::invalid_argument("count_binary: outcome and group differ in length");
  BinaryCounts c;
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    const int g = group[i] != 0 ? 1 : 0;
    ++c.trials[g];
    if (outcome[i] != 0) ++c.successes[g];
  }
  return c;
}

}  // namespace vtrial
