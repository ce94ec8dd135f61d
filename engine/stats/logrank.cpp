#include "engine/stats/logrank.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace vtrial {
namespace {

// O/E ratio on the log scale; a group with events but none expected cannot occur (an event
// implies being at risk), so only O == 0 needs a value, and -inf is the honest limit.
double log_ratio(double observed, double expected) {
  if (observed == 0) return -std::numeric_limits<double>::infinity();
  return std::log(observed / expected);
}

}  // namespace

LogRankResult log_rank_test(std::span<const double> time, std::span<const std::uint8_t> event,
                            std::span<const std::uint8_t> group, LogRankWorkspace& workspace) {
  const std::size_t n = time.size();
  if (event.size() != n || group.size() != n) {
    throw std::invalid_argument("log_rank_test: time, event and group differ in length");
  }
  // The workspace stores 32-bit indices to halve the memory the sort moves.
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("log_rank_test: more subjects than 32-bit indices can address");
  }
  LogRankResult result;

  // resize() keeps capacity, so once the largest n has been seen nothing is allocated.
  auto& order = workspace.order;
  order.resize(n);
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  std::sort(order.begin(), order.end(),
            [time](std::uint32_t a, std::uint32_t b) { return time[a] < time[b]; });

  // Walking from the largest time down, the at-risk set at time t is everything already seen
  // plus the whole tied block at t, censorings included (survdiff's convention).
  double at_risk = 0, at_risk_1 = 0;
  double observed_1 = 0, observed_total = 0, expected_0 = 0, expected_1 = 0, variance = 0;
  std::size_t hi = n;
  while (hi > 0) {
    const double t = time[order[hi - 1]];
    double deaths = 0, deaths_1 = 0;
    std::size_t lo = hi;
    for (; lo > 0 && time[order[lo - 1]] == t; --lo) {
      const std::uint32_t i = order[lo - 1];
      const bool in_1 = group[i] != 0;
      at_risk += 1;
      at_risk_1 += in_1 ? 1 : 0;
      if (event[i] != 0) {
        deaths += 1;
        deaths_1 += in_1 ? 1 : 0;
      }
    }
    hi = lo;
    if (deaths == 0) continue;
    observed_total += deaths;
    observed_1 += deaths_1;
    const double share_1 = at_risk_1 / at_risk;
    // Both expectations summed directly, as survdiff does, rather than one as a difference.
    expected_0 += deaths * ((at_risk - at_risk_1) / at_risk);
    expected_1 += deaths * share_1;
    // With a single subject at risk the hypergeometric variance is 0 (and 0/0 as written).
    if (at_risk > 1) {
      variance += deaths * share_1 * (1 - share_1) * (at_risk - deaths) / (at_risk - 1);
    }
  }

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
  result.log_hazard_ratio = log_ratio(result.observed[1], result.expected[1]) -
                            log_ratio(result.observed[0], result.expected[0]);
  return result;
}

LogRankResult log_rank_test(std::span<const double> time, std::span<const std::uint8_t> event,
                            std::span<const std::uint8_t> group) {
  LogRankWorkspace workspace;
  return log_rank_test(time, event, group, workspace);
}

}  // namespace vtrial
