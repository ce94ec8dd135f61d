// Reference values from R 4.2.2, survival 3.5.3, options(digits = 12):
//   fit <- survfit(Surv(time, event) ~ 1); print(fit)
//   summary(fit)$table[c("median","0.95LCL","0.95UCL")]
//   s <- summary(fit, times = ...); cbind(s$surv, s$lower, s$upper)
#include "engine/stats/kaplan_meier.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace {

void expect_rel(double actual, double expected, double rel = 1e-9) {
  EXPECT_NEAR(actual, expected, rel * std::abs(expected)) << "expected " << expected;
}

// Data set A: ties between events, and censorings tied with events (times 1, 3, 5, 12).
//   time  <- c(1,1,2,3,3,3,4,5,5,6,7,8,8,9,10,12,12,14,15,20)
//   event <- c(1,0,1,1,1,0,1,1,0,1,0,1,1,0,1,1,0,0,1,0)
//         n events median 0.95LCL 0.95UCL
//   [1,] 20     12      8       5      NA
//   s <- summary(fit, times=c(0.5, 3, 7.5, 12, 20)); cbind(s$surv, s$lower, s$upper)
//   [1,] 1.000000000000 1.0000000000000 1.000000000000
//   [2,] 0.791666666667 0.6291535712671 0.996157599247
//   [3,] 0.616883116883 0.4281086320122 0.888897703620
//   [4,] 0.319865319865 0.1497954344361 0.683023639790
//   [5,] 0.159932659933 0.0329437295827 0.776428656900
const std::vector<double> kTimeA = {1, 1, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 12, 12, 14, 15, 20};
const std::vector<std::uint8_t> kEventA = {1, 0, 1, 1, 1, 0, 1, 1, 0, 1,
                                           0, 1, 1, 0, 1, 1, 0, 0, 1, 0};

TEST(KaplanMeier, MedianWithUpperLimitNotReached) {
  const auto m = vtrial::km_median(kTimeA, kEventA);
  EXPECT_EQ(m.median, 8);
  EXPECT_EQ(m.lower, 5);
  EXPECT_TRUE(std::isnan(m.upper));
}

TEST(KaplanMeier, SurvivalAtTimesMatchesSummarySurvfit) {
  const double at[] = {0.5, 3, 7.5, 12, 20};
  const double surv[] = {1.0, 0.791666666667, 0.616883116883, 0.319865319865, 0.159932659933};
  const double lower[] = {1.0, 0.6291535712671, 0.4281086320122, 0.1497954344361, 0.0329437295827};
  const double upper[] = {1.0, 0.996157599247, 0.888897703620, 0.683023639790, 0.776428656900};
  vtrial::KaplanMeierWorkspace ws;
  for (int i = 0; i < 5; ++i) {
    const auto s = vtrial::km_survival_at(kTimeA, kEventA, at[i], ws);
    expect_rel(s.survival, surv[i]);
    expect_rel(s.lower, lower[i]);
    expect_rel(s.upper, upper[i]);
  }
  // Beyond the last follow-up (20, censored) S is unknown.
  EXPECT_TRUE(std::isnan(vtrial::km_survival_at(kTimeA, kEventA, 21.0, ws).survival));
}

// Data set B: S is exactly 0.5 from t = 5 (censoring at 6) until the drop at 7, so R reports
// the midpoint 6, not 5.
//   time <- c(1,2,3,4,5,6,7,8,9,10); event <- c(1,1,1,1,1,0,1,0,1,0)
//         n events median 0.95LCL 0.95UCL
//   [1,] 10      7      6       3      NA
TEST(KaplanMeier, FlatStretchAtExactlyHalfTakesMidpoint) {
  const std::vector<double> time = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<std::uint8_t> event = {1, 1, 1, 1, 1, 0, 1, 0, 1, 0};
  const auto m = vtrial::km_median(time, event);
  EXPECT_EQ(m.median, 6);
  EXPECT_EQ(m.lower, 3);
  EXPECT_TRUE(std::isnan(m.upper));
}

// Data set C: median not reached, but the lower confidence curve crosses 0.5.
//   time <- c(2,3,3,5,8,8,9,10,11,12,12,12); event <- c(1,0,1,1,0,0,1,0,0,0,0,0)
//         n events median 0.95LCL 0.95UCL
//   [1,] 12      4     NA       9      NA
//   s <- summary(fit, times=c(9, 12)); cbind(s$surv, s$lower, s$upper)
//   [1,] 0.617283950617 0.376125815867    1
//   [2,] 0.617283950617 0.376125815867    1
TEST(KaplanMeier, MedianNotReached) {
  const std::vector<double> time = {2, 3, 3, 5, 8, 8, 9, 10, 11, 12, 12, 12};
  const std::vector<std::uint8_t> event = {1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0};
  const auto m = vtrial::km_median(time, event);
  EXPECT_TRUE(std::isnan(m.median));
  EXPECT_EQ(m.lower, 9);
  EXPECT_TRUE(std::isnan(m.upper));
  const auto s = vtrial::km_survival_at(time, event, 12.0);
  expect_rel(s.survival, 0.617283950617);
  expect_rel(s.lower, 0.376125815867);
  EXPECT_EQ(s.upper, 1.0);
}

// Data set D: the curve ends at 0, where R has no confidence bounds, so the UCL is NA
// although S itself reaches 0.
//   time <- c(1,2,2,3,4,4,5,6); event <- c(1,1,0,1,1,1,0,1)
//        n events median 0.95LCL 0.95UCL
//   [1,] 8      6      4       3      NA
//   summary(fit): time 6: survival 0.000 std.err NaN lower NA upper NA
TEST(KaplanMeier, CurveReachingZeroHasNoUpperLimit) {
  const std::vector<double> time = {1, 2, 2, 3, 4, 4, 5, 6};
  const std::vector<std::uint8_t> event = {1, 1, 0, 1, 1, 1, 0, 1};
  vtrial::KaplanMeierWorkspace ws;
  const auto m = vtrial::km_median(time, event, ws);
  EXPECT_EQ(m.median, 4);
  EXPECT_EQ(m.lower, 3);
  EXPECT_TRUE(std::isnan(m.upper));
  const auto s = vtrial::km_survival_at(time, event, 100.0, ws);
  EXPECT_EQ(s.survival, 0.0);
  EXPECT_TRUE(std::isnan(s.lower));
}

// Data set E, all three limits reached, selected as one group out of two.
//   time  <- c(1,2,2,2,3,4,4,5,6,6,7,8,9,9,9,10,11,12,13,15,16,18,20,22,25,30)
//   event <- c(1,1,1,0,1,1,1,1,1,0,1,1,1,1,0,1,0,1,1,1,0,1,1,0,1,0)
//         n events median 0.95LCL 0.95UCL
//   [1,] 26     19     10       7      20
//   s <- summary(fit, times=c(7, 28)); cbind(s$surv, s$lower, s$upper)
//   [1,] 0.6408435314685 0.4774449013706 0.860162985605
//   [2,] 0.0932136045772 0.0173234840155 0.501560544663
TEST(KaplanMeier, OneGroupOfTwo) {
  const std::vector<double> e_time = {1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 9,
                                      9, 9, 10, 11, 12, 13, 15, 16, 18, 20, 22, 25, 30};
  const std::vector<std::uint8_t> e_event = {1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1,
                                             1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0};
  // Interleave data set A as group 0 and E as group 1.
  std::vector<double> time;
  std::vector<std::uint8_t> event, group;
  for (std::size_t i = 0; i < e_time.size(); ++i) {
    if (i < kTimeA.size()) {
      time.push_back(kTimeA[i]);
      event.push_back(kEventA[i]);
      group.push_back(0);
    }
    time.push_back(e_time[i]);
    event.push_back(e_event[i]);
    group.push_back(1);
  }
  vtrial::KaplanMeierWorkspace ws;
  const auto m = vtrial::km_median(time, event, group, 1, ws);
  EXPECT_EQ(m.median, 10);
  EXPECT_EQ(m.lower, 7);
  EXPECT_EQ(m.upper, 20);
  const auto s7 = vtrial::km_survival_at(time, event, group, 1, 7.0, ws);
  expect_rel(s7.survival, 0.6408435314685);
  expect_rel(s7.lower, 0.4774449013706);
  expect_rel(s7.upper, 0.860162985605);
  const auto s28 = vtrial::km_survival_at(time, event, group, 1, 28.0, ws);
  expect_rel(s28.survival, 0.0932136045772);
  expect_rel(s28.lower, 0.0173234840155);
  expect_rel(s28.upper, 0.501560544663);
  const auto a = vtrial::km_median(time, event, group, 0, ws);
  EXPECT_EQ(a.median, 8);
}

}  // namespace
