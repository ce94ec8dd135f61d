#pragma once
// Welch's two-sample t-test (unequal variances, Satterthwaite df), as R's t.test(y, x):
// the sign convention is y minus x, so R's t.test(x, y) gives -t and a negated, swapped CI.
// With fewer than 2 values in a group, or zero variance in both, no test is possible (R
// errors): p_value = 1, t = 0, df = 0 and the CI collapses to mean_difference (an empty group
// counts as mean 0).
#include <span>

namespace vtrial {

struct WelchResult {
  double mean_difference = 0;  // mean(y) - mean(x)
  double t = 0;                // statistic for mean(y) - mean(x)
  double df = 0;
  double p_value = 1;          // two-sided
  double ci_low = 0, ci_high = 0;  // 95% CI of mean(y) - mean(x)
};

// With confidence_interval = false the CI is not computed (ci_low = ci_high = mean_difference):
// the t quantile costs as much as the p-value, and the per-trial analysis needs only the latter.
WelchResult welch_t_test(std::span<const double> x, std::span<const double> y, bool confidence_interval = true);

}  // namespace vtrial
