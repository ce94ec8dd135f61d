#include "engine/stats/welch_t.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace vtrial {
namespace {

void expect_rel(double actual, double want, const char* what) {
  EXPECT_NEAR(actual, want, 1e-10 * std::fabs(want)) << what;
}

// References from R 4.2.2. Our estimate is mean(y) - mean(x), which is R's t.test(y, x); R's
// t.test(x, y) prints the negated statistic and the CI negated and swapped (shown too).
//   show <- function(x, y) {
//     r <- t.test(y, x)
//     cat("statistic:", format(unname(r$statistic), digits = 17), "\n")
//     cat("parameter:", format(unname(r$parameter), digits = 17), "\n")
//     cat("p.value:", format(r$p.value, digits = 17), "\n")
//     cat("conf.int:", format(r$conf.int, digits = 17), "\n")
//     cat("estimate:", format(unname(r$estimate[1] - r$estimate[2]), digits = 17), "\n")
//     r2 <- t.test(x, y)
//     cat("t.test(x,y) statistic:", format(unname(r2$statistic), digits = 17),
//         " conf.int:", format(r2$conf.int, digits = 17), "\n")
//   }

TEST(WelchT, UnequalSizesMatchesR) {
  // show(x = c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3),
  //      y = c(6.8, 7.1, 5.9, 6.6, 7.4, 6.0, 6.9, 7.7, 6.3, 7.0))
  // statistic: 4.7558673913566611
  // parameter: 14.483732346795
  // p.value: 0.00028017436499207579
  // conf.int: 0.67545868433639911 1.77882702994931474
  // estimate: 1.2271428571428569
  // t.test(x,y) statistic: -4.7558673913566611  conf.int: -1.77882702994931474 -0.67545868433639911
  const std::vector<double> x{5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3};
  const std::vector<double> y{6.8, 7.1, 5.9, 6.6, 7.4, 6.0, 6.9, 7.7, 6.3, 7.0};
  const WelchResult r = welch_t_test(x, y);
  expect_rel(r.mean_difference, 1.2271428571428569, "mean_difference");
  expect_rel(r.t, 4.7558673913566611, "t");
  expect_rel(r.df, 14.483732346795, "df");
  expect_rel(r.p_value, 0.00028017436499207579, "p_value");
  expect_rel(r.ci_low, 0.67545868433639911, "ci_low");
  expect_rel(r.ci_high, 1.77882702994931474, "ci_high");
}

TEST(WelchT, VeryUnequalVariancesMatchesR) {
  // show(x = c(12.5, 9.8, 15.1, 11.0, 13.7, 10.2), y = c(11.9, 12.1, 12.0, 12.3))
  // statistic: 0.029171343234855217
  // parameter: 5.0999231250646631
  // p.value: 0.9778351754111696
  // conf.int: -2.1650830975949122  2.2150830975949094
  // estimate: 0.024999999999998579
  // t.test(x,y) statistic: -0.029171343234855217  conf.int: -2.2150830975949094  2.1650830975949122
  const std::vector<double> x{12.5, 9.8, 15.1, 11.0, 13.7, 10.2};
  const std::vector<double> y{11.9, 12.1, 12.0, 12.3};
  const WelchResult r = welch_t_test(x, y);
  // The difference itself is 0.025 minus a rounding residue, so compare it absolutely.
  EXPECT_NEAR(r.mean_difference, 0.024999999999998579, 1e-13);
  expect_rel(r.t, 0.029171343234855217, "t");
  expect_rel(r.df, 5.0999231250646631, "df");
  expect_rel(r.p_value, 0.9778351754111696, "p_value");
  expect_rel(r.ci_low, -2.1650830975949122, "ci_low");
  expect_rel(r.ci_high, 2.2150830975949094, "ci_high");
}

TEST(WelchT, OneConstantGroupStillTests) {
  // show(x = c(1, 2, 3), y = c(4, 4, 4))
  // statistic: 3.4641016151377548
  // parameter: 2
  // p.value: 0.074179900227448525
  // conf.int: -0.48413771175032977  4.48413771175032938
  const WelchResult r = welch_t_test(std::vector<double>{1, 2, 3}, std::vector<double>{4, 4, 4});
  expect_rel(r.t, 3.4641016151377548, "t");
  expect_rel(r.df, 2, "df");
  expect_rel(r.p_value, 0.074179900227448525, "p_value");
  expect_rel(r.ci_low, -0.48413771175032977, "ci_low");
  expect_rel(r.ci_high, 4.48413771175032938, "ci_high");
}

TEST(WelchT, DegenerateInputsGivePValueOne) {
  // R errors on all of these ("not enough 'x' observations", "data are essentially constant").
  const WelchResult single = welch_t_test(std::vector<double>{1}, std::vector<double>{2, 3, 4});
  EXPECT_EQ(single.p_value, 1.0);
  EXPECT_EQ(single.t, 0.0);
  EXPECT_EQ(single.mean_difference, 2.0);
  const WelchResult constant = welch_t_test(std::vector<double>{2, 2}, std::vector<double>{5, 5, 5});
  EXPECT_EQ(constant.p_value, 1.0);
  EXPECT_EQ(constant.mean_difference, 3.0);
  EXPECT_EQ(constant.ci_low, 3.0);
  EXPECT_EQ(constant.ci_high, 3.0);
  const WelchResult empty = welch_t_test(std::vector<double>{}, std::vector<double>{});
  EXPECT_EQ(empty.p_value, 1.0);
  EXPECT_FALSE(std::isnan(empty.mean_difference));
}

}  // namespace
}  // namespace vtrial
