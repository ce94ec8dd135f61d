#include "engine/stats/wilcoxon.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace vtrial {
namespace {

// Counts reach C(98, 49) ~ 2.5e28 which exceeds any exact integer of double or 64 bits.
__extension__ typedef unsigned __int128 Count;

using ExactDistribution = WilcoxonWorkspace::ExactDistribution;

// The generating function of U is the Gaussian binomial [m + n choose m]_q
// = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i). Multiplying and dividing by those factors in
// modular integer arithmetic is exact (wrap-around cancels because the final coefficients fit),
// unlike floating point, where the subtractions would lose the small tail counts.
void build_exact(int m, int n, ExactDistribution& out) {
  const std::size_t max_u = static_cast<std::size_t>(m) * static_cast<std::size_t>(n);
  std::vector<Count> c(max_u + static_cast<std::size_t>(m) + 1, 0);
  c[0] = 1;
  std::size_t degree = 0;
  for (int i = 1; i <= m; ++i) {
    const std::size_t up = static_cast<std::size_t>(n + i);
    const std::size_t down = static_cast<std::size_t>(i);
    for (std::size_t k = degree + up; k >= up; --k) c[k] -= c[k - up];
    degree += up;
    for (std::size_t k = down; k <= degree; ++k) c[k] += c[k - down];
    degree -= down;
  }
  Count total = 0;
  for (std::size_t u = 0; u <= max_u; ++u) total += c[u];
  out.small = m;
  out.large = n;
  out.cdf.resize(max_u + 1);
  Count cumulative = 0;
  for (std::size_t u = 0; u <= max_u; ++u) {
    cumulative += c[u];
    out.cdf[u] = static_cast<double>(static_cast<long double>(cumulative) / static_cast<long double>(total));
  }
}

const ExactDistribution& exact_distribution(int nx, int ny, WilcoxonWorkspace& ws) {
  const int small = std::min(nx, ny), large = std::max(nx, ny);
  for (const auto& d : ws.exact)
    if (d.small == small && d.large == large) return d;
  ws.exact.emplace_back();
  build_exact(small, large, ws.exact.back());
  return ws.exact.back();
}

// Pooled sample is addressed by index: [0, nx) are x, [nx, nx + ny) are y.
template <class ValueAt, class IsX>
WilcoxonResult rank_sum_test(std::size_t nx, std::size_t ny, ValueAt value_at, IsX is_x, WilcoxonWorkspace& ws) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (nx == 0 || ny == 0) return {nan, nan, false};
  const std::size_t n = nx + ny;
  ws.items.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::uint32_t>(i);
    ws.items[i] = {value_at(k), is_x(k) ? 1u : 0u};
  }
  sort_by_key(ws.items, ws.sort);
  // Every member of a tied block adds the same mid-rank, so the order inside a block does not
  // change the sum, not even in its last bit.
  double rank_sum_x = 0, tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && ws.items[j].key == ws.items[i].key) ++j;
    const double mid_rank = 0.5 * static_cast<double>(i + 1 + j);
    const double ties = static_cast<double>(j - i);
    tie_term += ties * ties * ties - ties;
    for (; i < j; ++i)
      if (ws.items[i].payload != 0) rank_sum_x += mid_rank;
  }
  const double dx = static_cast<double>(nx), dy = static_cast<double>(ny);
  WilcoxonResult r;
  r.w = rank_sum_x - dx * (dx + 1) / 2;
  if (nx < 50 && ny < 50 && tie_term == 0) {
    const auto& dist = exact_distribution(static_cast<int>(nx), static_cast<int>(ny), ws);
    // Symmetry of U about nx ny / 2: the upper tail P(U >= w) equals P(U <= nx ny - w), which
    // avoids the cancellation of 1 - cdf.
    const double tail_u = std::min(r.w, dx * dy - r.w);
    r.p_value = std::min(1.0, 2 * dist.cdf[static_cast<std::size_t>(tail_u)]);
    r.exact = true;
    return r;
  }
  const double centered = r.w - dx * dy / 2;
  const double sigma = std::sqrt(dx * dy / 12 * ((dx + dy + 1) - tie_term / ((dx + dy) * (dx + dy - 1))));
  if (!(sigma > 0)) {
    r.p_value = nan;
    return r;
  }
  const double correction = centered > 0 ? 0.5 : (centered < 0 ? -0.5 : 0.0);
  const double z = (centered - correction) / sigma;
  const boost::math::normal_distribution<double> normal;
  r.p_value = 2 * std::min(boost::math::cdf(normal, z), boost::math::cdf(boost::math::complement(normal, z)));
  return r;
}

}  // namespace

WilcoxonResult wilcoxon_test(std::span<const double> x, std::span<const double> y, WilcoxonWorkspace& workspace) {
  const std::size_t nx = x.size();
  return rank_sum_test(
      nx, y.size(), [&](std::uint32_t i) { return i < nx ? x[i] : y[i - nx]; }, [&](std::uint32_t i) { return i < nx; },
      workspace);
}

WilcoxonResult wilcoxon_test(std::span<const double> x, std::span<const double> y) {
  WilcoxonWorkspace workspace;
  return wilcoxon_test(x, y, workspace);
}

WilcoxonResult wilcoxon_test(std::span<const double> value, std::span<const std::uint8_t> group,
                             WilcoxonWorkspace& workspace) {
  if (group.size() != value.size()) throw std::invalid_argument("wilcoxon_test: value and group differ in length");
  std::size_t ny = 0;
  for (std::uint8_t g : group) ny += g != 0 ? 1 : 0;
  return rank_sum_test(
      value.size() - ny, ny, [&](std::uint32_t i) { return value[i]; }, [&](std::uint32_t i) { return group[i] == 0; },
      workspace);
}

}  // namespace vtrial
