#pragma once
// Two-group log-rank test, handling tied event times exactly as R's survival::survdiff
// (rho = 0): at each distinct event time the hypergeometric variance
//   V_j = d_j (n_j - d_j) n_1j (n_j - n_1j) / (n_j^2 (n_j - 1)).
// Censorings tied with events at the same time are still at risk at that time.
// Degenerate input (n < 2, no events, everyone in one group, or any other case giving zero
// variance) yields chi_square = 0, p_value = 1, log_hazard_ratio = 0, never NaN; R's survdiff
// instead errors (one group) or returns a NaN p-value (no events).
// Times must not be NaN (they are sorted).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/key_sort.hpp"

namespace vtrial {

struct LogRankResult {
  double observed[2] = {0, 0};  // events per group
  double expected[2] = {0, 0};  // expected events per group under H0
  double variance = 0;          // variance of O_1 - E_1
  double chi_square = 0;        // (O_1 - E_1)^2 / V, 1 df
  double p_value = 1;           // two-sided
  // Log of the (O/E) ratio, group 1 vs group 0: exp(.) approximates the hazard ratio
  // (group 1 vs 0), the usual companion estimate to the test. When variance > 0 both groups
  // were at risk at some event, so E > 0; a group with no events then gives -inf (O_1 = 0) or
  // +inf (O_0 = 0), the true limit. When variance == 0 it is 0, like the p-value a null value.
  double log_hazard_ratio = 0;
};

// Scratch space so repeated calls do not allocate.
struct LogRankWorkspace {
  std::vector<KeyedItem> items;  // (time, event | group << 1), sorted by time
  KeySortWorkspace sort;
  std::vector<double> reciprocal;  // reciprocal[k] = 1 / k for the at-risk counts seen so far
};

// group[i] is 0 or 1; event[i] is 1 for an observed event, 0 for censored.
LogRankResult log_rank_test(std::span<const double> time, std::span<const std::uint8_t> event,
                            std::span<const std::uint8_t> group, LogRankWorkspace& workspace);
LogRankResult log_rank_test(std::span<const double> time, std::span<const std::uint8_t> event,
                            std::span<const std::uint8_t> group);

}  // namespace vtrial
