// Multiplicity, worked by hand and checked against R 4.2.2: the three adjustments on one
// vector, then the two-step family of design/family.hpp (across comparisons, then across
// endpoints within each comparison) on a hand-built three-arm trial whose raw p-values are
// Fisher exact tests of chosen counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "design_fixture.hpp"
#include "engine/stats/multiplicity.hpp"

namespace vtrial {
namespace {

const std::vector<double> kP = {0.01, 0.04, 0.03, 0.005};

// By hand: sorted 0.005 (H4), 0.01 (H1), 0.03 (H3), 0.04 (H2); times 4, 3, 2, 1: 0.02, 0.03,
// 0.06, 0.04; running maximum 0.02, 0.03, 0.06, 0.06. In input order (0.03, 0.06, 0.06, 0.02).
// Rscript -e 'p.adjust(c(0.01,0.04,0.03,0.005), "holm")'
// [1] 0.03 0.06 0.06 0.02
TEST(MultiplicityHandWorked, Holm) {
  std::vector<double> adjusted(4);
  holm_adjust(kP, adjusted);
  const std::vector<double> expected = {0.03, 0.06, 0.06, 0.02};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(adjusted[i], expected[i], 1e-15) << i;
  std::vector<double> in_place = kP;  // may alias
  HolmWorkspace ws;
  holm_adjust(in_place, in_place, ws);
  EXPECT_EQ(in_place, adjusted);
}

// By hand: 4 p_i capped at 1: (0.04, 0.16, 0.12, 0.02).
// Rscript -e 'p.adjust(c(0.01,0.04,0.03,0.005), "bonferroni")'
// [1] 0.04 0.16 0.12 0.02
TEST(MultiplicityHandWorked, Bonferroni) {
  std::vector<double> adjusted(4);
  bonferroni_adjust(kP, adjusted);
  const std::vector<double> expected = {0.04, 0.16, 0.12, 0.02};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(adjusted[i], expected[i], 1e-15) << i;
  std::vector<double> big = {0.3, 0.6};
  bonferroni_adjust(big, big);
  EXPECT_EQ(big, (std::vector<double>{0.6, 1.0}));
}

// By hand, in the pre-specified order: the running maximum (0.01, 0.04, 0.04, 0.04). At alpha
// 0.05 all four are rejected; at 0.035 only H1 (H2's 0.04 stops the sequence, so neither
// H3 at 0.03 nor H4 at 0.005 is reached). Rscript -e 'cummax(c(0.01,0.04,0.03,0.005))'
// [1] 0.01 0.04 0.04 0.04
TEST(MultiplicityHandWorked, FixedSequence) {
  std::vector<double> adjusted(4);
  fixed_sequence_adjust(kP, adjusted);
  EXPECT_EQ(adjusted, (std::vector<double>{0.01, 0.04, 0.04, 0.04}));
  EXPECT_EQ(fixed_sequence_rejections(kP, 0.05), 4u);
  EXPECT_EQ(fixed_sequence_rejections(kP, 0.035), 1u);
  EXPECT_EQ(fixed_sequence_rejections(kP, 0.009), 0u);
}

// Arms control, il2_a, il2_b (sizes 20, 20, 24), two binary outcomes, both tested by Fisher:
//   resp  (primary):        control 5/20, il2_a 14/20, il2_b 14/24
//   resp2 (key secondary):  control 6/20, il2_a 17/20, il2_b 15/24
// R: f <- function(x1, n1, x2, n2) fisher.test(matrix(c(x1, n1-x1, x2, n2-x2), 2, byrow=TRUE))$p.value
//   f(14,20,5,20) 0.0103867021988606    f(14,24,5,20) 0.0354231926944281
//   f(17,20,6,20) 0.00106455390103888   f(15,24,6,20) 0.0395705828953964
constexpr double kPa = 0.0103867021988606, kPb = 0.0354231926944281;
constexpr double kSa = 0.00106455390103888, kSb = 0.0395705828953964;

const std::vector<OutcomeSpec> kOutcomes = {{"resp", DataKind::binary, ""}, {"resp2", DataKind::binary, ""}};
const std::vector<Arm> kArms = {{"control", 1, true}, {"il2_a", 1, false}, {"il2_b", 1, false}};

struct FamilyTrial {
  std::vector<std::uint8_t> arm;
  TrialData data;
};

FamilyTrial family_trial() {
  struct Patient {
    std::uint8_t arm, resp, resp2;
  };
  std::vector<Patient> patients;
  // successes per arm: {resp, resp2}; sizes 20, 20, 24
  const int n[3] = {20, 20, 24}, resp[3] = {5, 14, 14}, resp2[3] = {6, 17, 15};
  for (std::uint8_t a = 0; a < 3; ++a)
    for (int i = 0; i < n[a]; ++i)  // the two outcomes not aligned patient by patient
      patients.push_back({a, std::uint8_t(i < resp[a]), std::uint8_t(n[a] - 1 - i < resp2[a])});
  std::mt19937 g(5);  // arms interleaved, as randomization would leave them
  std::shuffle(patients.begin(), patients.end(), g);
  FamilyTrial t;
  t.data.outcomes.resize(2);
  for (const auto& p : patients) {
    t.arm.push_back(p.arm);
    t.data.outcomes[0].flag.push_back(p.resp);
    t.data.outcomes[1].flag.push_back(p.resp2);
  }
  t.data.arm = t.arm;
  return t;
}

EndpointAnalysis family_analysis(EndpointMultiplicity endpoints, ComparisonMultiplicity comparisons,
                                 double alpha = 0.05) {
  const std::vector<Comparison> both = {{1, 0}, {2, 0}};
  std::vector<EndpointSpec> e = {testing::make_endpoint("resp", kOutcomes, 0, "fisher", both),
                                 testing::make_endpoint("resp2", kOutcomes, 1, "fisher", both)};
  return EndpointAnalysis(kArms, kOutcomes, e, FamilySpec{{0, 1}, endpoints, comparisons}, alpha);
}

// The family's adjusted values expected per comparison (q for the primary, max over the family)
// and over comparisons.
struct Expected {
  double primary_a, primary_b, all_a, all_b, any_primary, any_family;
};

void check_family(EndpointAnalysis analysis, const Expected& x, double alpha) {
  const FamilyTrial t = family_trial();
  const testing::AnalysisRow r(analysis, t.data);
  // The raw p-values first: the counts are what the comments say.
  EXPECT_NEAR(r["resp_il2_a_vs_control_p"], kPa, 1e-12 * kPa);
  EXPECT_NEAR(r["resp_il2_b_vs_control_p"], kPb, 1e-12 * kPb);
  EXPECT_NEAR(r["resp2_il2_a_vs_control_p"], kSa, 1e-12 * kSa);
  EXPECT_NEAR(r["resp2_il2_b_vs_control_p"], kSb, 1e-12 * kSb);
  EXPECT_DOUBLE_EQ(r["resp_il2_b_vs_control_estimate"], 14.0 / 24 - 5.0 / 20);
  const auto check = [&](const std::string& name, double q) {
    EXPECT_NEAR(r[name + "_p"], q, 1e-12 * q) << name;
    EXPECT_TRUE(std::isnan(r[name + "_estimate"])) << name;
    EXPECT_EQ(r[name + "_reject"], q < alpha ? 1.0 : 0.0) << name;
  };
  check("primary_wins_il2_a_vs_control", x.primary_a);
  check("primary_wins_il2_b_vs_control", x.primary_b);
  check("all_key_secondaries_win_il2_a_vs_control", x.all_a);
  check("all_key_secondaries_win_il2_b_vs_control", x.all_b);
  check("any_primary_wins", x.any_primary);
  check("any_family_rejection", x.any_family);
  EXPECT_FALSE(r.has("primary_wins_p"));  // three arms: every family value names its comparison
}

// Step 1, Holm across comparisons: resp (a 2 kPa = 0.020773, b max(2 kPa, kPb) = kPb = 0.035423),
// resp2 (a 2 kSa = 0.0021291, b max(2 kSa, kSb) = kSb = 0.039571).
// Step 2, fixed sequence (running max): a (2 kPa, max(2 kPa, 2 kSa) = 2 kPa); b (kPb, kSb).
// Every H rejected at 0.05; any primary = min(2 kPa, kPb) = 2 kPa; any family = 2 kPa.
TEST(DesignFamily, HolmAcrossComparisonsThenFixedSequence) {
  check_family(family_analysis(EndpointMultiplicity::fixed_sequence, ComparisonMultiplicity::holm),
               {2 * kPa, kPb, 2 * kPa, kSb, 2 * kPa, 2 * kPa}, 0.05);
}

// Step 2, Holm across the two endpoints: a: (2 kPa, 2 kSa) -> sorted 2 kSa x 2 = 0.0042582,
// then max(0.0042582, 2 kPa) = 2 kPa: q = (2 kPa, 4 kSa). b: (kPb, kSb) -> 2 kPb = 0.070846,
// max(2 kPb, kSb) = 2 kPb: neither rejected, though fixed sequence rejected both.
// R (p.adjust twice) agrees: a 0.0207734043977213, 0.00425821560415554; b 0.0708463853888561.
TEST(DesignFamily, HolmAcrossComparisonsThenHolm) {
  check_family(family_analysis(EndpointMultiplicity::holm, ComparisonMultiplicity::holm),
               {2 * kPa, 2 * kPb, 2 * kPa, 2 * kPb, 2 * kPa, 4 * kSa}, 0.05);
}

// Step 1, Bonferroni: resp (2 kPa, 2 kPb = 0.070846), resp2 (2 kSa, 2 kSb = 0.079141); il2_b's
// primary now fails. Step 2 fixed sequence: a (2 kPa, 2 kPa); b (2 kPb, max(2 kPb, 2 kSb) = 2 kSb).
TEST(DesignFamily, BonferroniAcrossComparisonsThenFixedSequence) {
  check_family(family_analysis(EndpointMultiplicity::fixed_sequence, ComparisonMultiplicity::bonferroni),
               {2 * kPa, 2 * kPb, 2 * kPa, 2 * kSb, 2 * kPa, 2 * kPa}, 0.05);
}

// Step 2 Holm: a as with Holm/Holm (2 kPa, 4 kSa); b: (2 kPb, 2 kSb) -> 4 kPb = 0.141693, then
// max(4 kPb, 2 kSb) = 4 kPb. R: 0.141692770777712.
TEST(DesignFamily, BonferroniAcrossComparisonsThenHolm) {
  check_family(family_analysis(EndpointMultiplicity::holm, ComparisonMultiplicity::bonferroni),
               {2 * kPa, 4 * kPb, 2 * kPa, 4 * kPb, 2 * kPa, 4 * kSa}, 0.05);
}

// At alpha = 0.02 with Holm in both steps no primary wins (2 kPa = 0.0208 > 0.02) while the
// family still rejects il2_a's secondary (4 kSa = 0.0043): any_family_rejection without
// any_primary_wins. Under fixed sequence the secondary is then never reached.
TEST(DesignFamily, SecondaryCanRejectWithoutThePrimaryOnlyUnderHolm) {
  check_family(family_analysis(EndpointMultiplicity::holm, ComparisonMultiplicity::holm, 0.02),
               {2 * kPa, 2 * kPb, 2 * kPa, 2 * kPb, 2 * kPa, 4 * kSa}, 0.02);
  check_family(family_analysis(EndpointMultiplicity::fixed_sequence, ComparisonMultiplicity::holm, 0.02),
               {2 * kPa, kPb, 2 * kPa, kSb, 2 * kPa, 2 * kPa}, 0.02);
}

// One comparison (two arms): step 1 does nothing, so the family is the fixed sequence of the raw
// p-values; no any_* columns and no suffix.
TEST(DesignFamily, TwoArmsHaveNoComparisonStep) {
  const std::vector<Arm> arms = {{"control", 1, true}, {"il2", 1, false}};
  std::vector<EndpointSpec> e = {testing::make_endpoint("resp", kOutcomes, 0, "fisher", {{1, 0}}),
                                 testing::make_endpoint("resp2", kOutcomes, 1, "fisher", {{1, 0}})};
  EndpointAnalysis analysis(arms, kOutcomes, e, FamilySpec{{1, 0}}, 0.05);  // resp2 is the primary here
  FamilyTrial t = family_trial();
  for (auto& a : t.arm) a = a == 2 ? 1 : a;  // il2_a and il2_b pooled: 28/44 and 32/44 vs 5/20, 6/20
  const testing::AnalysisRow r(analysis, t.data);
  const double p_resp = r["resp_p"], p_resp2 = r["resp2_p"];
  EXPECT_EQ(r["primary_wins_p"], p_resp2);
  EXPECT_EQ(r["all_key_secondaries_win_p"], std::max(p_resp, p_resp2));
  EXPECT_FALSE(r.has("any_primary_wins_p"));
  EXPECT_FALSE(r.has("any_family_rejection_p"));
}

}  // namespace
}  // namespace vtrial

namespace vtrial {
namespace {

// A test that cannot be computed gives a NaN p-value (none of today's six does, but a new test
// may); the family reads it as 1, "not rejected", under every method, never as 0. Hand-worked:
// grid (endpoints x comparisons) = {{NaN, 0.01}, {0.02, NaN}}.
TEST(DesignFamily, NaNPValueRejectsNothing) {
  const double nan = std::nan("");
  for (const auto across : {ComparisonMultiplicity::holm, ComparisonMultiplicity::bonferroni})
    for (const auto within : {EndpointMultiplicity::fixed_sequence, EndpointMultiplicity::holm}) {
      std::vector<double> grid = {nan, 0.01, 0.02, nan};
      FamilyWorkspace ws;
      adjust_family(grid, 2, {{0, 1}, within, across}, ws);
      for (double q : grid) EXPECT_FALSE(std::isnan(q));
      // Step 1 (either method, two comparisons): {1, 0.02}, {0.04, 1}.
      // Step 2, comparison 0: {1, 0.04} -> fixed sequence {1, 1}, Holm {1, 0.08}; comparison 1:
      // {0.02, 1} -> fixed sequence {0.02, 1}, Holm {0.04, 1}.
      const bool fixed = within == EndpointMultiplicity::fixed_sequence;
      EXPECT_EQ(grid[0], 1.0);
      EXPECT_DOUBLE_EQ(grid[1], fixed ? 0.02 : 0.04);
      EXPECT_DOUBLE_EQ(grid[2], fixed ? 1.0 : 0.08);
      EXPECT_EQ(grid[3], 1.0);
    }
}

}  // namespace
}  // namespace vtrial
