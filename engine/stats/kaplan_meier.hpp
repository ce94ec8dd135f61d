#pragma once
// Kaplan-Meier estimates for one group, matching R's survival::survfit(Surv(time, status) ~ 1)
// with its defaults: Greenwood variance, conf.type = "log" (CI exp(log S +- z se), upper
// bound capped at 1, no bound where S = 0), 95% level. Censorings tied with events at the
// same time are still at risk at that time.
//
// Median and its CI follow print.survfit (survival:::survmean): the median is the first
// time where S(t) < 0.5 + 1.5e-8; if S there equals 0.5 (within that tolerance) and the
// curve later drops below it, the median is the midpoint between that time and the time of
// the next drop (R's convention for a flat stretch at exactly 0.5, e.g. 10 patients, 5
// events, then censoring). The CI limits apply the same rule to the lower and upper
// confidence curves. Any of the three is NaN when its curve never reaches 0.5 ("not
// reached", R's NA); in particular the upper limit is NaN when the upper curve only reaches
// 0.5 where S = 0, because R has no confidence bound there.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/key_sort.hpp"

namespace vtrial {

struct MedianSurvival {
  double median = 0;  // NaN if not reached
  double lower = 0;   // 95% CI (or `level`), NaN if not reached
  double upper = 0;
};

struct SurvivalEstimate {
  double survival = 1;  // S(t); NaN when t is beyond the last follow-up and S > 0 there
  double lower = 1;     // CI as survfit's summary(fit, times = t); NaN where S = 0
  double upper = 1;
};

struct KaplanMeierWorkspace {
  std::vector<KeyedItem> items;  // (time, event) of the selected subjects, sorted by time
  KeySortWorkspace sort;
};

// All subjects form one group.
MedianSurvival km_median(std::span<const double> time, std::span<const std::uint8_t> event,
                         KaplanMeierWorkspace& workspace, double level = 0.95);
// Only subjects with group[i] == which_group.
MedianSurvival km_median(std::span<const double> time, std::span<const std::uint8_t> event,
                         std::span<const std::uint8_t> group, std::uint8_t which_group, KaplanMeierWorkspace& workspace,
                         double level = 0.95);
MedianSurvival km_median(std::span<const double> time, std::span<const std::uint8_t> event, double level = 0.95);

// S(at) = product over event times <= at. Beyond the largest observed time the curve is
// unknown unless it already reached 0: R's summary(fit, times) drops such times, here the
// result is NaN (and 0 if S reached 0). Before the first time S = 1.
SurvivalEstimate km_survival_at(std::span<const double> time, std::span<const std::uint8_t> event, double at,
                                KaplanMeierWorkspace& workspace, double level = 0.95);
SurvivalEstimate km_survival_at(std::span<const double> time, std::span<const std::uint8_t> event,
                                std::span<const std::uint8_t> group, std::uint8_t which_group, double at,
                                KaplanMeierWorkspace& workspace, double level = 0.95);
SurvivalEstimate km_survival_at(std::span<const double> time, std::span<const std::uint8_t> event, double at,
                                double level = 0.95);

}  // namespace vtrial
