#include "engine/uncertainty/tabulated_quantile.hpp"

#include <cmath>
#include <exception>
#include <limits>
#include <utility>

namespace vtrial {

TabulatedQuantile::TabulatedQuantile(std::function<double(double)> cdf, std::function<double(double)> upper_tail,
                                     std::function<double(double)> pdf, std::function<double(double)> exact_inverse)
    : cdf_(std::move(cdf)), upper_tail_(std::move(upper_tail)), pdf_(std::move(pdf)), exact_(std::move(exact_inverse)) {
  for (int i = 1; i < kCells; ++i) {
    // A cell with a zero or infinite density at an end, or an end the distribution's functions
    // refuse (Boost throws where a density overflows, as beta(2, 0.1) near 1), has no usable
    // slope: its draws use the exact inverse.
    slope_[i] = std::numeric_limits<double>::quiet_NaN();
    try {
      x_[i] = exact_(static_cast<double>(i) / kCells);
      const double density = pdf_(x_[i]);
      if (std::isfinite(x_[i]) && density > 0 && std::isfinite(density)) slope_[i] = 1 / density;
    } catch (const std::exception&) {
    }
  }
}

double TabulatedQuantile::operator()(double u) const {
  const double position = u * kCells;
  const int i = static_cast<int>(position);
  if (!(i >= 1 && i <= kCells - 2) || !std::isfinite(slope_[i]) || !std::isfinite(slope_[i + 1])) return exact_(u);
  double lo = x_[i], hi = x_[i + 1];
  // Cubic Hermite on the cell, in the cell's own coordinate s in [0, 1].
  const double s = position - i, h = 1.0 / kCells;
  const double s2 = s * s, s3 = s2 * s;
  double x = (2 * s3 - 3 * s2 + 1) * lo + (s3 - 2 * s2 + s) * h * slope_[i] + (-2 * s3 + 3 * s2) * hi +
             (s3 - s2) * h * slope_[i + 1];
  if (!(x > lo && x < hi)) x = lo + s * (hi - lo);
  // F(x) - u; above the median as (1 - u) - (1 - F(x)), where 1 - u is exact.
  const bool upper = u > 0.5;
  const double v = 1 - u;
  try {
    for (int step = 0; step < 8; ++step) {
      const double f = upper ? v - upper_tail_(x) : cdf_(x) - u;
      if (f == 0) return x;
      (f < 0 ? lo : hi) = x;
      double next = x - f / pdf_(x);
      if (!(next >= lo && next <= hi)) next = 0.5 * (lo + hi);
      if (std::fabs(next - x) <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(x)) return next;
      x = next;
    }
  } catch (const std::exception&) {  // a function refusing a point inside the cell: the exact inverse decides
  }
  return exact_(u);
}

}  // namespace vtrial
