#pragma once
// Confidence intervals for a binomial proportion: power is the share of simulated trials that
// reject, so every power figure is reported with one of these.
// Both throw std::invalid_argument if successes > trials or level is outside (0, 1); with
// trials == 0 there is no information and both return [0, 1] (R errors instead).
#include <cstdint>

namespace vtrial {

struct Interval {
  double low = 0;
  double high = 1;
};

// Wilson score interval (no continuity correction), as R's prop.test(x, n, correct = FALSE).
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level = 0.95);
// The same for a rate p estimated with the precision of n (not necessarily whole) independent
// trials, as a weighted mean at its effective sample size (Kish). With p = x / n for whole x
// and n it equals the interval above.
Interval wilson_interval_of_rate(double p, double n, double level = 0.95);
// Exact Clopper-Pearson interval from beta quantiles, as R's binom.test(x, n)$conf.int.
Interval clopper_pearson_interval(std::uint64_t successes, std::uint64_t trials, double level = 0.95);

}  // namespace vtrial
