#pragma once
// Two-sample Wilcoxon rank-sum (Mann-Whitney) test, as R's wilcox.test(x, y) with its
// defaults: W = (sum of the ranks of x) - n_x (n_x + 1) / 2; exact null distribution when
// n_x < 50, n_y < 50 and no value occurs twice in the pooled sample; otherwise the normal
// approximation with tie-corrected variance and continuity correction (correct = TRUE).
// When every pooled value is equal the variance is 0 and, as in R, p is NaN.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/key_sort.hpp"

namespace vtrial {

struct WilcoxonResult {
  double w = 0;        // R's W statistic (Mann-Whitney U of x)
  double p_value = 1;  // two-sided
  bool exact = false;  // p from the exact null distribution
};

struct WilcoxonWorkspace {
  std::vector<KeyedItem> items;  // (value, 1 if in x), sorted by value
  KeySortWorkspace sort;
  // Exact null distributions are cached per unordered pair of sample sizes: a simulation
  // sees few distinct pairs, and building one costs O(n_x^2 n_y), far more than the test.
  struct ExactDistribution {
    int small = 0, large = 0;
    std::vector<double> cdf;  // cdf[u] = P(U <= u)
  };
  std::vector<ExactDistribution> exact;
};

WilcoxonResult wilcoxon_test(std::span<const double> x, std::span<const double> y, WilcoxonWorkspace& workspace);
WilcoxonResult wilcoxon_test(std::span<const double> x, std::span<const double> y);
// x = values with group 0, y = values with group 1.
WilcoxonResult wilcoxon_test(std::span<const double> value, std::span<const std::uint8_t> group,
                             WilcoxonWorkspace& workspace);

}  // namespace vtrial
