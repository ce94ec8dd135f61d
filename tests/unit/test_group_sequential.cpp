// Reference boundaries from R 4.2.2 with rpact 3.3.4 (gsDesign and ldbounds are not
// packaged for this Debian), options(digits = 12):
//   d <- getDesignGroupSequential(kMax=5, alpha=0.05, sided=2, typeOfDesign="asOF",
//                                 informationRates=(1:5)/5)
//   format(d$criticalValues, digits=10)
//     asOF K=5: 4.876884949 3.357011922 2.680280067 2.289816774 2.031032048
//     alphaSpent: 1.077742526e-06 7.883035152e-04 7.616126566e-03 2.442358031e-02 4.999999000e-02
//     asP  K=5: 2.437976688 2.426813863 2.410193838 2.396645404 2.385984562
//     alphaSpent: 0.01476972646 0.02615685800 0.03542565327 0.04324198607 0.05000000000
//   typeOfDesign="asOF", kMax=2, informationRates=c(0.5,1): 2.962588043 1.968595646
//   informationRates=c(0.3,0.65,1): asOF 3.928572543 2.547899552 1.989697553
//                                   asP  2.311835304 2.288140573 2.288409986
// These agree with the published Lan-DeMets values (OBF-type 4.877, 3.357, 2.680, 2.290,
// 2.031; Pocock-type 2.438, 2.427, 2.410, 2.397, 2.386; K = 2: 2.963, 1.969).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/stats/group_sequential.hpp"

namespace {

using vtrial::SpendingFunction;

void expect_boundaries(const std::vector<double>& t, SpendingFunction f, const std::vector<double>& expected,
                       double tolerance = 5e-7) {
  const auto b = vtrial::efficacy_boundaries(t, 0.05, f);
  ASSERT_EQ(b.z.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(b.z[k], expected[k], tolerance) << "look " << k;
}

TEST(GroupSequential, OBrienFlemingTypeFiveLooks) {
  expect_boundaries({0.2, 0.4, 0.6, 0.8, 1.0}, SpendingFunction::obrien_fleming,
                    {4.876884949, 3.357011922, 2.680280067, 2.289816774, 2.031032048});
}

TEST(GroupSequential, PocockTypeFiveLooks) {
  expect_boundaries({0.2, 0.4, 0.6, 0.8, 1.0}, SpendingFunction::pocock,
                    {2.437976688, 2.426813863, 2.410193838, 2.396645404, 2.385984562});
}

TEST(GroupSequential, TwoLooksAndUnequalSpacing) {
  expect_boundaries({0.5, 1.0}, SpendingFunction::obrien_fleming, {2.962588043, 1.968595646});
  expect_boundaries({0.3, 0.65, 1.0}, SpendingFunction::obrien_fleming, {3.928572543, 2.547899552, 1.989697553});
  expect_boundaries({0.3, 0.65, 1.0}, SpendingFunction::pocock, {2.311835304, 2.288140573, 2.288409986});
}

// The four designs whose boundaries `vtrial run` reports as design.looks (tests/e2e/
// test_group_sequential_output.py checks the same numbers end to end). R 4.2.2, rpact 3.3.4:
//   library(rpact); options(digits = 12)
//   d <- getDesignGroupSequential(kMax = K, alpha = 0.05, sided = 2, typeOfDesign = TOD,
//                                 informationRates = IR)
//   format(d$criticalValues, digits = 10); format(2 * d$stageLevels, digits = 10)
// (rpact's stageLevels are one-sided, so 2 * stageLevels = 2 * (1 - pnorm(criticalValues)) is
// the nominal two-sided level of each look.)
//   (a) K=2, IR=c(0.5, 1),       "asOF": 2.962588043 1.968595646
//                                 2*stageLevels 0.003050645516 0.048999542926
//   (b) K=3, IR=c(1/3, 2/3, 1),  "asOF": 3.710302873 2.511427484 1.993047483
//                                 2*stageLevels 0.0002070114363 0.0120243987538 0.0462562478338
//   (c) K=3, IR=c(0.3, 0.6, 1),  "asP":  2.311835304 2.320967220 2.268911697
//                                 2*stageLevels 0.02078676109 0.02028861309 0.02327369627
//   (d) K=2, IR=c(0.25, 1),      "asP":  2.368327704 2.100878157
//                                 2*stageLevels 0.01786870098 0.03565166334
// rpact's own achieved alpha is 0.04999999 (its alphaSpent at the last look), which moves its
// final boundary by ~5e-8; the tolerance 1e-6 in z leaves room for that.
TEST(GroupSequential, MatchesRpactForReportedDesigns) {
  expect_boundaries({0.5, 1.0}, SpendingFunction::obrien_fleming, {2.962588043, 1.968595646}, 1e-6);
  expect_boundaries({1.0 / 3.0, 2.0 / 3.0, 1.0}, SpendingFunction::obrien_fleming,
                    {3.710302873, 2.511427484, 1.993047483}, 1e-6);
  expect_boundaries({0.3, 0.6, 1.0}, SpendingFunction::pocock, {2.311835304, 2.320967220, 2.268911697}, 1e-6);
  expect_boundaries({0.25, 1.0}, SpendingFunction::pocock, {2.368327704, 2.100878157}, 1e-6);
}

// The nominal two-sided p-value of each boundary, 2 (1 - Phi(z_k)) = erfc(z_k / sqrt 2), against
// rpact's 2 * stageLevels (above), relative tolerance 1e-6.
TEST(GroupSequential, NominalLevelsMatchRpactStageLevels) {
  struct Design {
    std::vector<double> t;
    SpendingFunction f;
    std::vector<double> two_sided_level;
  };
  const Design designs[] = {
      {{0.5, 1.0}, SpendingFunction::obrien_fleming, {0.003050645516, 0.048999542926}},
      {{1.0 / 3.0, 2.0 / 3.0, 1.0},
       SpendingFunction::obrien_fleming,
       {0.0002070114363, 0.0120243987538, 0.0462562478338}},
      {{0.3, 0.6, 1.0}, SpendingFunction::pocock, {0.02078676109, 0.02028861309, 0.02327369627}},
      {{0.25, 1.0}, SpendingFunction::pocock, {0.01786870098, 0.03565166334}},
  };
  for (const auto& d : designs) {
    const auto b = vtrial::efficacy_boundaries(d.t, 0.05, d.f);
    ASSERT_EQ(b.z.size(), d.two_sided_level.size());
    for (std::size_t k = 0; k < b.z.size(); ++k) {
      const double p = std::erfc(b.z[k] / std::sqrt(2.0));
      EXPECT_NEAR(p, d.two_sided_level[k], 1e-6 * d.two_sided_level[k]) << "look " << k << " of " << d.t.size();
    }
  }
}

// rpact's alphaSpent is the probability its numerical integration achieved (off by ~2e-10),
// so the spending functions themselves are checked against their closed forms in R:
//   t <- (1:4)/5; options(digits=13)
//   4 - 4*pnorm(qnorm(1-0.05/4)/sqrt(t))
//   [1] 1.077742525890e-06 7.883035133824e-04 7.616126621979e-03 2.442358069290e-02
//   0.05*log(1+(exp(1)-1)*t)
//   [1] 0.01476972645602 0.02615685818058 0.03542565334312 0.04324198625816
TEST(GroupSequential, SpendingFunctions) {
  const double obf[] = {1.077742525890e-06, 7.883035133824e-04, 7.616126621979e-03, 2.442358069290e-02};
  const double poc[] = {0.01476972645602, 0.02615685818058, 0.03542565334312, 0.04324198625816};
  for (int k = 0; k < 4; ++k) {
    const double t = 0.2 * (k + 1);
    EXPECT_NEAR(vtrial::alpha_spent(SpendingFunction::obrien_fleming, 0.05, t), obf[k], 1e-9 * obf[k] + 1e-15);
    EXPECT_NEAR(vtrial::alpha_spent(SpendingFunction::pocock, 0.05, t), poc[k], 1e-9 * poc[k]);
  }
  EXPECT_EQ(vtrial::alpha_spent(SpendingFunction::pocock, 0.05, 1.0), 0.05);
  EXPECT_EQ(vtrial::alpha_spent(SpendingFunction::obrien_fleming, 0.05, 0.0), 0.0);
}

TEST(GroupSequential, SingleLookIsFixedDesignAndCrossingLookup) {
  const std::vector<double> t = {1.0};
  const auto single = vtrial::efficacy_boundaries(t, 0.05, SpendingFunction::obrien_fleming);
  EXPECT_NEAR(single.z[0], 1.959963984540, 1e-10);  // qnorm(0.975)

  const std::vector<double> t2 = {0.5, 1.0};
  const auto b = vtrial::efficacy_boundaries(t2, 0.05, SpendingFunction::obrien_fleming);
  EXPECT_EQ(vtrial::first_efficacy_crossing(std::vector<double>{-3.1, 0.0}, b), 0);
  EXPECT_EQ(vtrial::first_efficacy_crossing(std::vector<double>{2.5, 2.0}, b), 1);
  EXPECT_EQ(vtrial::first_efficacy_crossing(std::vector<double>{2.5}, b), -1);
  EXPECT_EQ(vtrial::first_efficacy_crossing(std::vector<double>{1.0, -1.9}, b), -1);
}

}  // namespace
