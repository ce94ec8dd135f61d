#include "engine/stats/binomial_interval.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <stdexcept>

namespace vtrial {
namespace {

void check(std::uint64_t successes, std::uint64_t trials, double level) {
  if (successes > trials) throw std::invalid_argument("binomial interval: successes > trials");
  if (!(level > 0 && level < 1)) throw std::invalid_argument("binomial interval: level not in (0, 1)");
}

}  // namespace

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level) {
  check(successes, trials, level);
  if (trials == 0) return {};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z = boost::math::quantile(boost::math::normal(), (1 + level) / 2);
  // Written as R's prop.test writes it, so the x = 0 and x = n ends are exactly 0 and 1
  // instead of the formula's rounding-level neighbours.
  const double z22n = z * z / (2 * n);
  const double centre = p + z22n;
  const double half = z * std::sqrt(p * (1 - p) / n + z22n / (2 * n));
  const double scale = 1 + 2 * z22n;
  return {successes == 0 ? 0.0 : (centre - half) / scale,
          successes == trials ? 1.0 : (centre + half) / scale};
}

Interval wilson_interval_of_rate(double p, double n, double level) {
  if (!(level > 0 && level < 1)) throw std::invalid_argument("binomial interval: level not in (0, 1)");
  if (!(n > 0) || !std::isfinite(p)) return {std::nan(""), std::nan("")};
  const double z = boost::math::quantile(boost::math::normal(), (1 + level) / 2);
  const double z22n = z * z / (2 * n);
  const double centre = p + z22n;
  const double half = z * std::sqrt(std::max(0.0, p * (1 - p)) / n + z22n / (2 * n));
  const double scale = 1 + 2 * z22n;
  return {p <= 0 ? 0.0 : (centre - half) / scale, p >= 1 ? 1.0 : (centre + half) / scale};
}

Interval clopper_pearson_interval(std::uint64_t successes, std::uint64_t trials, double level) {
  check(successes, trials, level);
  if (trials == 0) return {};
  const double x = static_cast<double>(successes);
  const double n = static_cast<double>(trials);
  // Like binom.test, each tail gets alpha / 2 even at x = 0 or x = n, where one side is fixed.
  // The upper limit inverts the upper tail directly, avoiding 1 - tail's lost digits.
  const double tail = (1 - level) / 2;
  return {successes == 0 ? 0.0 : boost::math::ibeta_inv(x, n - x + 1, tail),
          successes == trials ? 1.0 : boost::math::ibetac_inv(x + 1, n - x, tail)};
}

}  // namespace vtrial
