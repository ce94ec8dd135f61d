// EndpointAnalysis against the statistics called directly on the same data, bit for bit: a
// two-arm trial (every registered test), one comparison of a three-arm trial (only its two
// arms' patients), a control listed second, the horizon and by-day readings, the Cox tests'
// shared fit, and the result names.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "design_fixture.hpp"
#include "engine/stats/cox_ph.hpp"
#include "engine/stats/fisher_exact.hpp"
#include "engine/stats/logrank.hpp"
#include "engine/stats/welch_t.hpp"
#include "engine/stats/wilcoxon.hpp"

namespace vtrial {
namespace {

const std::vector<OutcomeSpec> kOutcomes = {
    {"ttn", DataKind::time_to_event, ""}, {"nk", DataKind::continuous, ""}, {"ae", DataKind::binary, ""}};

// Weekly-visit times (events on multiples of 7 days, many ties, some exactly on day 28), censoring, NaN
// (unmeasured) continuous values, arm-dependent effects so no test sits at p = 1.
struct Trial {
  std::vector<std::uint8_t> arm;
  TrialData data;
};

Trial make_trial(std::size_t n, int arms, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> z(0, 1);
  Trial t;
  t.data.outcomes.resize(3);
  auto& [tv, tf] = t.data.outcomes[0];
  auto& nk = t.data.outcomes[1].value;
  auto& ae = t.data.outcomes[2].flag;
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = static_cast<std::uint8_t>(g() % arms);
    t.arm.push_back(a);
    const double time = 7 * std::ceil(-std::log(u(g)) * 25 / (1 + 0.6 * a) / 7);  // seen at a visit
    const double dropout = std::ceil(-std::log(u(g)) * 150);
    const double observed = std::min({time, dropout, 84.0});
    tv.push_back(observed);
    tf.push_back(time == observed ? 1 : 0);
    nk.push_back(u(g) < 0.1 ? std::nan("") : 20 * a + 60 * z(g));
    ae.push_back(u(g) < 0.2 + 0.15 * a ? 1 : 0);
  }
  t.data.arm = t.arm;
  return t;
}

// One comparison's patients, in patient order, as the design layer extracts them.
struct Pair {
  std::vector<double> time, control, treatment;
  std::vector<std::uint8_t> event, group;
  std::uint32_t xt = 0, nt = 0, xc = 0, nc = 0;  // ae counts
};

Pair pair_of(const Trial& t, std::uint8_t treatment, std::uint8_t control) {
  Pair p;
  const auto& o = t.data.outcomes;
  for (std::size_t i = 0; i < t.arm.size(); ++i) {
    if (t.arm[i] != treatment && t.arm[i] != control) continue;
    const bool tr = t.arm[i] == treatment;
    p.time.push_back(o[0].value[i]);
    p.event.push_back(o[0].flag[i]);
    p.group.push_back(tr ? 1 : 0);
    if (!std::isnan(o[1].value[i])) (tr ? p.treatment : p.control).push_back(o[1].value[i]);
    (tr ? p.xt : p.xc) += o[2].flag[i];
    ++(tr ? p.nt : p.nc);
  }
  return p;
}

std::vector<EndpointSpec> all_tests(std::vector<Comparison> c) {
  return {testing::make_endpoint("os", kOutcomes, 0, "logrank", c),
          testing::make_endpoint("os_cox", kOutcomes, 0, "cox_wald", c),
          testing::make_endpoint("os_cox_lr", kOutcomes, 0, "cox_lr", c),
          testing::make_endpoint("nk_t", kOutcomes, 1, "welch_t", c),
          testing::make_endpoint("nk_w", kOutcomes, 1, "wilcoxon", c),
          testing::make_endpoint("ae", kOutcomes, 2, "fisher", c)};
}

// Every endpoint of all_tests() for one comparison, `suffix` appended to its name, equals the
// direct call on `p` exactly.
void expect_direct(const testing::AnalysisRow& r, const Pair& p, const std::string& suffix) {
  const LogRankResult lr = log_rank_test(p.time, p.event, p.group);
  EXPECT_EQ(r["os" + suffix + "_p"], lr.p_value);
  EXPECT_EQ(r["os" + suffix + "_estimate"], std::exp(lr.log_hazard_ratio));
  EXPECT_EQ(r["os" + suffix + "_reject"], lr.p_value < 0.05 ? 1.0 : 0.0);
  const CoxResult cox = cox_ph(p.time, p.event, p.group);
  ASSERT_FALSE(std::isnan(cox.wald_p));
  EXPECT_EQ(r["os_cox" + suffix + "_p"], cox.wald_p);
  EXPECT_EQ(r["os_cox_lr" + suffix + "_p"], cox.lr_p);
  EXPECT_NE(cox.wald_p, cox.lr_p);  // so the two columns cannot pass by reading the same one
  EXPECT_EQ(r["os_cox" + suffix + "_estimate"], std::exp(cox.log_hazard_ratio));
  EXPECT_EQ(r["os_cox_lr" + suffix + "_estimate"], r["os_cox" + suffix + "_estimate"]);
  // The CI is skipped inside the design layer; the p-value must not depend on that.
  const WelchResult w = welch_t_test(p.control, p.treatment);
  EXPECT_EQ(r["nk_t" + suffix + "_p"], w.p_value);
  EXPECT_EQ(r["nk_t" + suffix + "_estimate"], w.mean_difference);
  const WilcoxonResult x = wilcoxon_test(p.treatment, p.control);
  EXPECT_EQ(r["nk_w" + suffix + "_p"], x.p_value);
  EXPECT_EQ(r["nk_w" + suffix + "_estimate"], x.w / double(p.treatment.size() * p.control.size()));
  EXPECT_EQ(r["ae" + suffix + "_p"], fisher_exact_test(p.xt, p.nt, p.xc, p.nc));
  EXPECT_EQ(r["ae" + suffix + "_estimate"], double(p.xt) / p.nt - double(p.xc) / p.nc);
}

TEST(DesignEndpoints, TwoArmsEqualTheDirectCalls) {
  const std::vector<Arm> arms = {{"control", 1, true}, {"il2", 1, false}};
  EndpointAnalysis analysis(arms, kOutcomes, all_tests({{1, 0}}), FamilySpec{{0}}, 0.05);
  EndpointAnalysis copy = analysis;  // a worker's copy: its own tests and buffers
  // Several trials through one object: nothing (e.g. a cached Cox fit) may leak between them.
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Trial t = make_trial(90, 2, seed);
    const Pair p = pair_of(t, 1, 0);
    SCOPED_TRACE(seed);
    expect_direct(testing::AnalysisRow(analysis, t.data), p, "");
    expect_direct(testing::AnalysisRow(copy, t.data), p, "");
  }
}

TEST(DesignEndpoints, ThreeArmComparisonUsesOnlyItsTwoArms) {
  const std::vector<Arm> arms = {{"control", 1, true}, {"il2_a", 1, false}, {"il2_b", 1, false}};
  EndpointAnalysis analysis(arms, kOutcomes, all_tests({{1, 0}, {2, 0}}), FamilySpec{{0}}, 0.05);
  for (std::uint64_t seed : {4u, 5u}) {
    const Trial t = make_trial(150, 3, seed);
    const testing::AnalysisRow r(analysis, t.data);
    SCOPED_TRACE(seed);
    expect_direct(r, pair_of(t, 2, 0), "_il2_b_vs_control");
    expect_direct(r, pair_of(t, 1, 0), "_il2_a_vs_control");
  }
}

TEST(DesignEndpoints, ControlListedSecondIsStillTheReference) {
  // Two arms, control numbered 1: the treatment is arm 0, so group = (arm == 0), not the raw arm.
  const std::vector<Arm> arms = {{"il2", 1, false}, {"control", 1, true}};
  EndpointAnalysis analysis(arms, kOutcomes, all_tests(default_comparisons(arms)), FamilySpec{{0}}, 0.05);
  const Trial t = make_trial(90, 2, 6);
  const testing::AnalysisRow r(analysis, t.data);
  expect_direct(r, pair_of(t, 0, 1), "");  // the default comparison: no suffix
}

TEST(DesignEndpoints, HorizonCensorsAtTheHorizon) {
  const std::vector<Arm> arms = {{"control", 1, true}, {"il2", 1, false}};
  const double h = 28;
  std::vector<EndpointSpec> e = {testing::make_endpoint("os", kOutcomes, 0, "logrank", {{1, 0}}),
                                 testing::make_endpoint("os28", kOutcomes, 0, "logrank", {{1, 0}}, h),
                                 testing::make_endpoint("os28_cox", kOutcomes, 0, "cox_lr", {{1, 0}}, h)};
  EndpointAnalysis analysis(arms, kOutcomes, e, FamilySpec{{0}}, 0.05);
  const Trial t = make_trial(120, 2, 7);
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  int events_at_h = 0;
  for (std::size_t i = 0; i < t.arm.size(); ++i) {
    const double v = t.data.outcomes[0].value[i];
    time.push_back(std::min(v, h));
    event.push_back(t.data.outcomes[0].flag[i] && v <= h);
    events_at_h += t.data.outcomes[0].flag[i] && v == h;
  }
  ASSERT_GT(events_at_h, 0);  // the boundary (an event on day h counts) is exercised
  const testing::AnalysisRow r(analysis, t.data);
  const LogRankResult direct = log_rank_test(time, event, t.arm);
  EXPECT_EQ(r["os28_p"], direct.p_value);
  EXPECT_EQ(r["os28_estimate"], std::exp(direct.log_hazard_ratio));
  EXPECT_EQ(r["os28_cox_p"], cox_ph(time, event, t.arm).lr_p);
  EXPECT_NE(r["os28_p"], r["os_p"]);  // the horizon changed something
  EXPECT_EQ(r["os_p"], log_rank_test(t.data.outcomes[0].value, t.data.outcomes[0].flag, t.arm).p_value);
}

TEST(DesignEndpoints, ByDayIsFisherOnEventsByThatDay) {
  const std::vector<Arm> arms = {{"control", 1, true}, {"il2_a", 1, false}, {"il2_b", 1, false}};
  const double d = 14;
  std::vector<EndpointSpec> e = {
      testing::make_endpoint("neg14", kOutcomes, 0, "fisher", {{2, 0}, {1, 0}}, INFINITY, d)};
  EndpointAnalysis analysis(arms, kOutcomes, e, FamilySpec{{0}}, 0.05);
  const Trial t = make_trial(150, 3, 8);
  const testing::AnalysisRow r(analysis, t.data);
  for (const std::uint8_t tr : {std::uint8_t{1}, std::uint8_t{2}}) {
    std::uint32_t x[2] = {0, 0}, n[2] = {0, 0};  // [control, treatment]
    for (std::size_t i = 0; i < t.arm.size(); ++i) {
      if (t.arm[i] != tr && t.arm[i] != 0) continue;
      const int k = t.arm[i] == tr;
      n[k] += 1;
      x[k] += t.data.outcomes[0].flag[i] && t.data.outcomes[0].value[i] <= d;
    }
    const std::string name = "neg14_" + arms[tr].name + "_vs_control";
    EXPECT_EQ(r[name + "_p"], fisher_exact_test(x[1], n[1], x[0], n[0])) << name;
    EXPECT_EQ(r[name + "_estimate"], double(x[1]) / n[1] - double(x[0]) / n[0]) << name;
  }
}

// The Cox tests read the fit a dataset's SharedFits holds: once one test fitted it, the other
// does not fit again (a planted fit shows which one is read).
TEST(DesignEndpoints, CoxWaldAndLikelihoodRatioShareOneFit) {
  const Trial t = make_trial(60, 2, 9);
  SharedFits fits;
  TwoSampleData d;
  d.time = t.data.outcomes[0].value;
  d.event = t.data.outcomes[0].flag;
  d.group = t.arm;
  d.fits = &fits;
  auto wald = make_hypothesis_test("cox_wald"), lr = make_hypothesis_test("cox_lr");
  const TestResult first = lr->run(d);
  ASSERT_TRUE(fits.cox_valid);
  EXPECT_EQ(first.p_value, fits.cox.lr_p);
  fits.cox.wald_p = 0.123;  // planted: a fresh fit would not give this
  fits.cox.log_hazard_ratio = std::log(2.5);
  const TestResult second = wald->run(d);
  EXPECT_EQ(second.p_value, 0.123);
  EXPECT_EQ(second.estimate, std::exp(std::log(2.5)));
  // Without shared fits each test fits on its own, to the same numbers.
  d.fits = nullptr;
  const CoxResult cox = cox_ph(d.time, d.event, d.group);
  EXPECT_EQ(wald->run(d).p_value, cox.wald_p);
  EXPECT_EQ(lr->run(d).estimate, std::exp(cox.log_hazard_ratio));
}

TEST(DesignEndpoints, ResultNamesSayTheComparisonUnlessTwoArmDefault) {
  const std::vector<Arm> two = {{"control", 1, true}, {"il2", 1, false}};
  const std::vector<Arm> three = {{"control", 1, true}, {"il2_a", 1, false}, {"il2_b", 1, false}};
  const auto names = [](const std::vector<Arm>& arms, std::vector<Comparison> c) {
    EndpointAnalysis a(arms, kOutcomes, {testing::make_endpoint("os", kOutcomes, 0, "logrank", c)}, FamilySpec{{0}},
                       0.05);
    return testing::column_names(a.schema());
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(two, {{1, 0}}),
            (V{"os_p", "os_estimate", "os_reject", "primary_wins_p", "primary_wins_estimate", "primary_wins_reject",
               "all_key_secondaries_win_p", "all_key_secondaries_win_estimate", "all_key_secondaries_win_reject"}));
  // Two arms, but not the default comparison (the control as "treatment"): named.
  EXPECT_EQ(names(two, {{0, 1}})[0], "os_control_vs_il2_p");
  EXPECT_EQ(names(two, {{0, 1}})[3], "primary_wins_control_vs_il2_p");
  const V n3 = names(three, {{2, 0}});  // three arms, one comparison: still named
  EXPECT_EQ(n3[0], "os_il2_b_vs_control_p");
  EXPECT_EQ(n3[3], "primary_wins_il2_b_vs_control_p");
  EXPECT_EQ(n3.size(), 9u);  // one comparison: no any_* values
  const V both = names(three, {{1, 0}, {2, 0}});
  EXPECT_EQ(both.size(), 3u * (2 + 2 + 2 + 2));
  EXPECT_EQ(both.back(), "any_family_rejection_reject");

  EndpointAnalysis a(three, kOutcomes, all_tests({{2, 0}}), FamilySpec{{0}}, 0.05);
  const PowerSpec& p = a.schema().power[1];
  EXPECT_EQ(p.name, "os_cox_il2_b_vs_control");
  EXPECT_EQ(p.endpoint, "os_cox");
  EXPECT_EQ(p.comparison, "il2_b vs control");
  EXPECT_EQ(p.test, "cox_wald");
  EXPECT_EQ(p.outcome, "ttn");
  EXPECT_EQ(p.estimate, "hazard_ratio");
  EXPECT_EQ(a.schema().columns[5].role, ValueRole::reject);
  EXPECT_EQ(a.schema().columns[5].type, ColumnType::integer);
  EXPECT_EQ(a.outcomes_read(), (std::vector<bool>{true, true, true}));
}

}  // namespace
}  // namespace vtrial
