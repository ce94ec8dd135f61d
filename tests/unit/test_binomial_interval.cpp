#include "engine/stats/binomial_interval.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>

namespace vtrial {
namespace {

struct Case {
  std::uint64_t x, n;
  double wilson_low, wilson_high, cp_low, cp_high;
};

// R 4.2.2:
//   for (xn in list(c(0, 10), c(1, 10), c(7, 10), c(10, 10), c(0, 1), c(1, 1), c(37, 200),
//                   c(812, 1000), c(1000, 1000), c(0, 1000))) {
//     x <- xn[1]; n <- xn[2]
//     w <- prop.test(x, n, correct = FALSE)$conf.int
//     b <- binom.test(x, n)$conf.int
//     cat(sprintf("x=%d n=%d wilson: %s  cp: %s\n", x, n,
//                 paste(format(w, digits = 17), collapse = " "),
//                 paste(format(b, digits = 17), collapse = " ")))
//   }
// printed (prop.test also warns "Chi-squared approximation may be incorrect" for n = 1):
//   x=0 n=10 wilson: 0.00000000000000000 0.27753279986288915  cp: 0.00000000000000000 0.30849710781876083
//   x=1 n=10 wilson: 0.017876213095072892 0.404150026795238371  cp: 0.0025285785444617865 0.4450161170281954348
//   x=7 n=10 wilson: 0.39677814746114537 0.89220873259369904  cp: 0.34754714994000269 0.93326048882226553
//   x=10 n=10 wilson: 0.72246720013711085 1.00000000000000000  cp: 0.69150289218123917 1.00000000000000000
//   x=0 n=1 wilson: 0.00000000000000000 0.79345068562276255  cp: 0.00000000000000000 0.97499999999999998
//   x=1 n=1 wilson: 0.2065493143772375 1.0000000000000000  cp: 0.025000000000000022 1.000000000000000000
//   x=37 n=200 wilson: 0.13730192800616045 0.24457062761151746  cp: 0.13372866017976162 0.24586346244867840
//   x=812 n=1000 wilson: 0.78660681258878218 0.83500529011623159  cp: 0.78637845983687105 0.83576927659868128
//   x=1000 n=1000 wilson: 0.99617324151444486 1.00000000000000000  cp: 0.99631791610313436 1.00000000000000000
//   x=0 n=1000 wilson: 0.0000000000000000000 0.0038267584855551221  cp: 0.0000000000000000000 0.0036820838968656712
constexpr Case kCases[] = {
    {0, 10, 0.0, 0.27753279986288915, 0.0, 0.30849710781876083},
    {1, 10, 0.017876213095072892, 0.404150026795238371, 0.0025285785444617865, 0.4450161170281954348},
    {7, 10, 0.39677814746114537, 0.89220873259369904, 0.34754714994000269, 0.93326048882226553},
    {10, 10, 0.72246720013711085, 1.0, 0.69150289218123917, 1.0},
    {0, 1, 0.0, 0.79345068562276255, 0.0, 0.97499999999999998},
    {1, 1, 0.2065493143772375, 1.0, 0.025000000000000022, 1.0},
    {37, 200, 0.13730192800616045, 0.24457062761151746, 0.13372866017976162, 0.24586346244867840},
    {812, 1000, 0.78660681258878218, 0.83500529011623159, 0.78637845983687105, 0.83576927659868128},
    {1000, 1000, 0.99617324151444486, 1.0, 0.99631791610313436, 1.0},
    {0, 1000, 0.0, 0.0038267584855551221, 0.0, 0.0036820838968656712},
};

TEST(BinomialInterval, WilsonMatchesPropTest) {
  for (const Case& c : kCases) {
    const Interval w = wilson_interval(c.x, c.n);
    EXPECT_NEAR(w.low, c.wilson_low, 1e-8) << c.x << "/" << c.n;
    EXPECT_NEAR(w.high, c.wilson_high, 1e-8) << c.x << "/" << c.n;
  }
}

TEST(BinomialInterval, ClopperPearsonMatchesBinomTest) {
  for (const Case& c : kCases) {
    const Interval cp = clopper_pearson_interval(c.x, c.n);
    EXPECT_NEAR(cp.low, c.cp_low, 1e-8) << c.x << "/" << c.n;
    EXPECT_NEAR(cp.high, c.cp_high, 1e-8) << c.x << "/" << c.n;
  }
}

TEST(BinomialInterval, EndsAreExactlyZeroAndOne) {
  for (const Case& c : kCases) {
    if (c.x == 0) {
      EXPECT_EQ(wilson_interval(c.x, c.n).low, 0.0);
      EXPECT_EQ(clopper_pearson_interval(c.x, c.n).low, 0.0);
    }
    if (c.x == c.n) {
      EXPECT_EQ(wilson_interval(c.x, c.n).high, 1.0);
      EXPECT_EQ(clopper_pearson_interval(c.x, c.n).high, 1.0);
    }
  }
}

TEST(BinomialInterval, OtherLevelsMatchR) {
  // x <- 37; n <- 200
  // cat("level 0.9:", format(prop.test(x, n, correct = FALSE, conf.level = 0.9)$conf.int, digits = 17),
  //     " | ", format(binom.test(x, n, conf.level = 0.9)$conf.int, digits = 17), "\n")
  // (and the same with 0.99) printed:
  //   level 0.9: 0.14414778279176216 0.23426092842074650  |  0.14107325969090551 0.23608044750353063
  //   level 0.99: 0.12480384348632116 0.26542499940227499  |  0.12003614826512814 0.26546828326787131
  Interval w = wilson_interval(37, 200, 0.9);
  Interval cp = clopper_pearson_interval(37, 200, 0.9);
  EXPECT_NEAR(w.low, 0.14414778279176216, 1e-8);
  EXPECT_NEAR(w.high, 0.23426092842074650, 1e-8);
  EXPECT_NEAR(cp.low, 0.14107325969090551, 1e-8);
  EXPECT_NEAR(cp.high, 0.23608044750353063, 1e-8);
  w = wilson_interval(37, 200, 0.99);
  cp = clopper_pearson_interval(37, 200, 0.99);
  EXPECT_NEAR(w.low, 0.12480384348632116, 1e-8);
  EXPECT_NEAR(w.high, 0.26542499940227499, 1e-8);
  EXPECT_NEAR(cp.low, 0.12003614826512814, 1e-8);
  EXPECT_NEAR(cp.high, 0.26546828326787131, 1e-8);
}

TEST(BinomialInterval, InvalidInputs) {
  EXPECT_THROW(wilson_interval(3, 2), std::invalid_argument);
  EXPECT_THROW(clopper_pearson_interval(3, 2), std::invalid_argument);
  EXPECT_THROW(wilson_interval(1, 2, 1.0), std::invalid_argument);
  EXPECT_THROW(clopper_pearson_interval(1, 2, 0.0), std::invalid_argument);
  const Interval none = wilson_interval(0, 0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
  EXPECT_EQ(clopper_pearson_interval(0, 0).high, 1.0);
}

}  // namespace
}  // namespace vtrial
