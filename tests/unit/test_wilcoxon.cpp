// Reference values from R 4.2.2, options(digits = 12); each case prints
//   r <- wilcox.test(x, y); cat(r$statistic, r$p.value, "\n")
#include "engine/stats/wilcoxon.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace {

void expect_rel(double actual, double expected, double rel = 1e-9) {
  EXPECT_NEAR(actual, expected, rel * std::abs(expected)) << "expected " << expected;
}

// Ties within and across samples -> normal approximation, tie and continuity correction.
//   x <- c(1.5, 2, 2, 3.5, 4, 4, 4, 6, 7.5, 9)
//   y <- c(2, 3.5, 4, 5, 6, 6, 8, 10, 11, 12, 12, 14)
//   "Wilcoxon rank sum test with continuity correction"; W = 28, p-value = 0.0367188074
//   cat: 28 0.0367188074353
TEST(Wilcoxon, TiesUseCorrectedNormalApproximation) {
  const std::vector<double> x = {1.5, 2, 2, 3.5, 4, 4, 4, 6, 7.5, 9};
  const std::vector<double> y = {2, 3.5, 4, 5, 6, 6, 8, 10, 11, 12, 12, 14};
  const auto r = vtrial::wilcoxon_test(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.w, 28);
  expect_rel(r.p_value, 0.0367188074353);
  // Same data as value/group spans (x = group 0).
  std::vector<double> value = y;
  value.insert(value.end(), x.begin(), x.end());
  std::vector<std::uint8_t> group(y.size(), 1);
  group.insert(group.end(), x.size(), 0);
  vtrial::WilcoxonWorkspace ws;
  const auto g = vtrial::wilcoxon_test(value, group, ws);
  EXPECT_EQ(g.w, 28);
  expect_rel(g.p_value, 0.0367188074353);
}

// No ties, small samples -> exact distribution, both tails.
//   x2 <- c(0.8, 1.9, 3.1, 4.4, 5.2, 7.7, 8.6)
//   y2 <- c(2.5, 6.1, 6.9, 9.3, 10.4, 11.8, 12.2, 13.5, 15.0)
//   "Wilcoxon rank sum exact test"; wilcox.test(x2, y2): 9 0.0164335664336
//   wilcox.test(y2, x2): 54 0.0164335664336
//   x5 <- c(1, 2, 3); y5 <- c(4, 5, 6, 7): 0 0.0571428571429
TEST(Wilcoxon, SmallSamplesWithoutTiesAreExact) {
  const std::vector<double> x = {0.8, 1.9, 3.1, 4.4, 5.2, 7.7, 8.6};
  const std::vector<double> y = {2.5, 6.1, 6.9, 9.3, 10.4, 11.8, 12.2, 13.5, 15.0};
  vtrial::WilcoxonWorkspace ws;
  const auto r = vtrial::wilcoxon_test(x, y, ws);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.w, 9);
  expect_rel(r.p_value, 0.0164335664336);
  const auto s = vtrial::wilcoxon_test(y, x, ws);
  EXPECT_EQ(s.w, 54);
  expect_rel(s.p_value, 0.0164335664336);
  EXPECT_EQ(ws.exact.size(), 1u);  // (7, 9) and (9, 7) share one cached distribution
  const std::vector<double> x5 = {1, 2, 3}, y5 = {4, 5, 6, 7};
  const auto t = vtrial::wilcoxon_test(x5, y5, ws);
  EXPECT_EQ(t.w, 0);
  expect_rel(t.p_value, 0.0571428571429);
}

// Largest exact case used here, 49 x 45 (counts ~1e27, beyond 64-bit integers).
//   x4 <- sqrt(1:49) * 3; y4 <- log(1:45) * 5 + 1.01   # no duplicates
//   "Wilcoxon rank sum exact test"; 952 0.257565269905
TEST(Wilcoxon, LargestExactCase) {
  std::vector<double> x, y;
  for (int i = 1; i <= 49; ++i) x.push_back(std::sqrt(static_cast<double>(i)) * 3);
  for (int i = 1; i <= 45; ++i) y.push_back(std::log(static_cast<double>(i)) * 5 + 1.01);
  const auto r = vtrial::wilcoxon_test(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.w, 952);
  expect_rel(r.p_value, 0.257565269905);
}

// n_x >= 50 -> normal approximation even without ties.
//   x3 <- sqrt(1:55) * 3; y3 <- log(1:52) * 5 + 1.01
//   "Wilcoxon rank sum test with continuity correction"; 1284 0.364460431992
TEST(Wilcoxon, LargeSamplesUseNormalApproximation) {
  std::vector<double> x, y;
  for (int i = 1; i <= 55; ++i) x.push_back(std::sqrt(static_cast<double>(i)) * 3);
  for (int i = 1; i <= 52; ++i) y.push_back(std::log(static_cast<double>(i)) * 5 + 1.01);
  const auto r = vtrial::wilcoxon_test(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.w, 1284);
  expect_rel(r.p_value, 0.364460431992);
}

// All values equal: zero variance, R returns p = NaN.
TEST(Wilcoxon, AllTiedGivesNaN) {
  const std::vector<double> x = {3, 3, 3}, y = {3, 3};
  const auto r = vtrial::wilcoxon_test(x, y);
  EXPECT_EQ(r.w, 3);
  EXPECT_TRUE(std::isnan(r.p_value));
}

}  // namespace
