// Reference values from R 4.2.2, options(digits = 12).
#include "engine/stats/fisher_exact.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace {

void expect_rel(double actual, double expected, double rel = 1e-9) {
  EXPECT_NEAR(actual, expected, rel * std::abs(expected)) << "expected " << expected;
}

// ft <- function(x1, n1, x2, n2) {
//   m <- matrix(c(x1, n1-x1, x2, n2-x2), 2, byrow=TRUE); fisher.test(m)$p.value }
//   7 12 2 13    0.0414053035402
//   56 70 48 80  0.0125211297492
//   3 10 7 10    0.178895407998    (symmetric table: equal-probability tails, 1e-7 slack)
//   5 10 5 10    1
//   0 15 6 15    0.0168582375479
//   30 60 18 62  0.0257722555337
TEST(FisherExact, MatchesRFisherTest) {
  expect_rel(vtrial::fisher_exact_test(7, 12, 2, 13), 0.0414053035402);
  expect_rel(vtrial::fisher_exact_test(56, 70, 48, 80), 0.0125211297492);
  expect_rel(vtrial::fisher_exact_test(3, 10, 7, 10), 0.178895407998);
  expect_rel(vtrial::fisher_exact_test(7, 10, 3, 10), 0.178895407998);
  EXPECT_DOUBLE_EQ(vtrial::fisher_exact_test(5, 10, 5, 10), 1.0);
  expect_rel(vtrial::fisher_exact_test(0, 15, 6, 15), 0.0168582375479);
  expect_rel(vtrial::fisher_exact_test(30, 60, 18, 62), 0.0257722555337);
  expect_rel(vtrial::fisher_exact_test(18, 62, 30, 60), 0.0257722555337);
}

TEST(FisherExact, DegenerateMarginsGiveOne) {
  EXPECT_DOUBLE_EQ(vtrial::fisher_exact_test(0, 10, 0, 12), 1.0);
  EXPECT_DOUBLE_EQ(vtrial::fisher_exact_test(10, 10, 12, 12), 1.0);
}

// Published check: Newcombe (1998) Stat Med 17:873, Table II, 56/70 - 48/80, method 10:
// 0.0524 to 0.3339. Full digits from Wilson intervals computed in R:
// newcombe <- function(x1, n1, x2, n2) {
//   w1 <- prop.test(x1, n1, correct=FALSE)$conf.int; w2 <- prop.test(x2, n2, correct=FALSE)$conf.int
//   p1 <- x1/n1; p2 <- x2/n2; d <- p1 - p2
//   c(d, d - sqrt((p1-w1[1])^2 + (w2[2]-p2)^2), d + sqrt((w1[2]-p1)^2 + (p2-w2[1])^2)) }
//   56 70 48 80  0.2  0.0524314724024  0.333872654037
//   9 10 3 10    0.6  0.170522723935   0.809017973535
//   0 15 6 15   -0.4 -0.642531698794  -0.113166431469
//   10 10 0 20   1    0.679086037142   1
//   30 60 18 62  0.209677419355 0.036292253522 0.366725259603
TEST(Newcombe, MatchesPublishedExampleAndR) {
  const auto a = vtrial::newcombe_interval(56, 70, 48, 80);
  EXPECT_NEAR(a.low, 0.0524, 5e-5);
  EXPECT_NEAR(a.high, 0.3339, 5e-5);
  expect_rel(a.difference, 0.2);
  expect_rel(a.low, 0.0524314724024);
  expect_rel(a.high, 0.333872654037);
  const auto b = vtrial::newcombe_interval(9, 10, 3, 10);
  expect_rel(b.low, 0.170522723935);
  expect_rel(b.high, 0.809017973535);
  const auto c = vtrial::newcombe_interval(0, 15, 6, 15);
  expect_rel(c.difference, -0.4);
  expect_rel(c.low, -0.642531698794);
  expect_rel(c.high, -0.113166431469);
  const auto d = vtrial::newcombe_interval(10, 10, 0, 20);
  expect_rel(d.low, 0.679086037142);
  expect_rel(d.high, 1.0);
  const auto e = vtrial::newcombe_interval(30, 60, 18, 62);
  expect_rel(e.difference, 0.209677419355);
  expect_rel(e.low, 0.036292253522);
  expect_rel(e.high, 0.366725259603);
  EXPECT_TRUE(std::isnan(vtrial::newcombe_interval(0, 0, 1, 2).low));
}

TEST(FisherExact, CountsFromPatientSpans) {
  const std::vector<std::uint8_t> outcome = {1, 0, 1, 1, 0, 0, 1};
  const std::vector<std::uint8_t> group = {0, 0, 1, 1, 1, 0, 1};
  const auto c = vtrial::count_binary(outcome, group);
  EXPECT_EQ(c.successes[0], 1u);
  EXPECT_EQ(c.trials[0], 3u);
  EXPECT_EQ(c.successes[1], 3u);
  EXPECT_EQ(c.trials[1], 4u);
}

}  // namespace
