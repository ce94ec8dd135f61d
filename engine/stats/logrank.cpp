#include "engine/stats/logrank.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace vtrial {
namespace {

// O/E ratio on the log scale; a group with events but none expected cannot occur (an event
// implies being at risk), so only O == 0 needs a value, and -inf is the honest limit.
double log_ratio(double observed, double expected) {
  if (observed == 0) return -std::numeric_limits<double>::infinity();
  return std::log(observed / expected);
}

// The statistic from the sums over event times.
LogRankResult finish(LogRankResult& result, double observed_total, double observed_1, double expected_0,
                     double expected_1, double variance) {
  result.observed[0] = observed_total - observed_1;
  result.observed[1] = observed_1;
  result.expected[0] = expected_0;
  result.expected[1] = expected_1;
  result.variance = variance;

  // Zero variance means one group had nobody at risk at every event time (or there were no
  // events): no information, so report the null rather than 0/0.
  if (variance <= 0) return result;
  const double diff = observed_1 - expected_1;
  result.chi_square = diff * diff / variance;
  // Upper tail of chi-square(1) equals P(|Z| > sqrt(chi2)) = erfc(sqrt(chi2 / 2)).
  result.p_value = std::erfc(std::sqrt(result.chi_square / 2));
  result.log_hazard_ratio =
      log_ratio(result.observed[1], result.expected[1]) - log_ratio(result.observed[0], result.expected[0]);
  return result;
}

}  // namespace

LogRankResult log_rank_test(std::span<const double> time, std::span<const std::uint8_t> event,
                            std::span<const std::uint8_t> group, LogRankWorkspace& workspace) {
  const std::size_t n = time.size();
  if (event.size() != n || group.size() != n) {
    throw std::invalid_argument("log_rank_test: time, event and group differ in length");
  }
  LogRankResult result;

  // Each time carries its event and group bits, so the walk below reads one array in order.
  // resize() keeps capacity, so once the largest n has been seen nothing is allocated.
  auto& items = workspace.items;
  items.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto flags = static_cast<std::uint32_t>((event[i] != 0 ? 1u : 0u) | (group[i] != 0 ? 2u : 0u));
    items[i] = {time[i], flags};
  }
  sort_by_key(items, workspace.sort);

  // At-risk counts are integers 1..n: dividing by one is multiplying by its tabulated
  // reciprocal (within an ulp of the quotient), which keeps the three divisions an event time
  // would cost off the walk's critical path.
  auto& reciprocal = workspace.reciprocal;
  if (reciprocal.size() < n + 1) {
    const std::size_t known = reciprocal.empty() ? 1 : reciprocal.size();
    reciprocal.resize(n + 1);
    reciprocal[0] = 0;  // never read: an event time has at least one subject at risk
    for (std::size_t k = known; k <= n; ++k) reciprocal[k] = 1.0 / static_cast<double>(k);
  }
  const double* inverse = reciprocal.data();

  // Without ties every event time has one subject leaving, d = 1, whose term is
  // V_j = n_1 (n - n_1) / n^2 = p (1 - p) with p = n_1 / n (also 0 when n = 1), and the walk
  // needs no blocks or branches: a censored subject's terms are multiplied by 0. Continuous
  // times (every parametric run without visits) are the common case; ties take the walk below.
  bool tied = false;
  for (std::size_t i = 1; i < n; ++i) tied |= items[i - 1].key == items[i].key;
  if (!tied) {
    double observed_1 = 0, observed_total = 0, expected_0 = 0, expected_1 = 0, variance = 0;
    std::int64_t at_risk_1_n = 0;
    for (std::size_t i = n; i-- > 0;) {
      const std::uint32_t flags = items[i].payload;
      const auto in_1 = static_cast<std::int64_t>(flags >> 1), died_n = static_cast<std::int64_t>(flags & 1u);
      at_risk_1_n += in_1;
      const auto at_risk_n = static_cast<std::int64_t>(n - i);
      const double died = static_cast<double>(died_n);
      const double share_1 = static_cast<double>(at_risk_1_n) * inverse[at_risk_n];
      observed_total += died;
      observed_1 += static_cast<double>(died_n & in_1);
      expected_0 += died * (static_cast<double>(at_risk_n - at_risk_1_n) * inverse[at_risk_n]);
      expected_1 += died * share_1;
      variance += died * (share_1 * (1 - share_1));
    }
    return finish(result, observed_total, observed_1, expected_0, expected_1, variance);
  }

  // Walking from the largest time down, the at-risk set at time t is everything already seen
  // plus the whole tied block at t, censorings included (survdiff's convention). Counts are
  // integers (exact, like the doubles they become), so the order inside a block is immaterial.
  // Signed counters convert to double in one instruction.
  std::int64_t at_risk_n = 0, at_risk_1_n = 0;
  double observed_1 = 0, observed_total = 0, expected_0 = 0, expected_1 = 0, variance = 0;
  std::size_t hi = n;
  while (hi > 0) {
    const double t = items[hi - 1].key;
    std::int64_t deaths_n = 0, deaths_1_n = 0;
    std::size_t lo = hi;
    for (; lo > 0 && items[lo - 1].key == t; --lo) {
      const std::uint32_t flags = items[lo - 1].payload;
      const auto in_1 = static_cast<std::int64_t>(flags >> 1), died = static_cast<std::int64_t>(flags & 1u);
      at_risk_n += 1;
      at_risk_1_n += in_1;
      deaths_n += died;
      deaths_1_n += died & in_1;
    }
    hi = lo;
    if (deaths_n == 0) continue;
    const auto deaths = static_cast<double>(deaths_n), deaths_1 = static_cast<double>(deaths_1_n);
    const auto at_risk = static_cast<double>(at_risk_n), at_risk_1 = static_cast<double>(at_risk_1_n);
    observed_total += deaths;
    observed_1 += deaths_1;
    const double share_1 = at_risk_1 * inverse[at_risk_n];
    // Both expectations summed directly, as survdiff does, rather than one as a difference.
    expected_0 += deaths * ((at_risk - at_risk_1) * inverse[at_risk_n]);
    expected_1 += deaths * share_1;
    // With a single subject at risk the hypergeometric variance is 0 (and 0/0 as written).
    if (at_risk_n > 1) {
      variance += deaths * share_1 * (1 - share_1) * (at_risk - deaths) * inverse[at_risk_n - 1];
    }
  }

  return finish(result, observed_total, observed_1, expected_0, expected_1, variance);
}

LogRankResult log_rank_test(std::span<const double> time, std::span<const std::uint8_t> event,
                            std::span<const std::uint8_t> group) {
  LogRankWorkspace workspace;
  return log_rank_test(time, event, group, workspace);
}

}  // namespace vtrial
