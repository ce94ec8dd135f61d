// Priors on scenario keys (`uncertainty:`), the null twin (analysis.type1_error) and the
// sensitivity tally, through the same loading and simulation users run. Statistical checks
// state their tolerance in Monte Carlo SEs and use fixed seeds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "app/simulation.hpp"
#include "app/trial_plan.hpp"
#include "engine/uncertainty/sensitivity_tally.hpp"
#include "models/scenario_uncertainty.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

using testing::scenario_from_yaml;

std::string parametric(int trials = 3000, int seed = 11) {
  return "model: parametric\nsimulation: {trials: " + std::to_string(trials) + ", seed: " + std::to_string(seed) +
         "}\n";
}
const std::string kParametric = parametric();

// Bit for bit, NaN included.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

double power_of(const SimulationResult& r, const std::string& name) {
  for (const auto& p : r.power)
    if (p.name == name) return p.power;
  ADD_FAILURE() << "no power value " << name;
  return std::nan("");
}

SimulationResult run(const std::string& yaml, int threads = 2) {
  const Scenario sc = scenario_from_yaml(yaml);
  SimulationOptions options;
  options.threads = threads;
  return simulate_scenario(sc, options);
}

TEST(UncertainScenario, AReplayAtTheScenarioValuesRebuildsTheSamePopulation) {
  const Scenario sc = scenario_from_yaml(
      "model: mechanistic\nuncertainty:\n  priors:\n"
      "    - {key: mechanistic.nk.kill_rate, distribution: lognormal, median: 0.002, gsd: 2, lower: 1e-4, upper: "
      "0.02}\n"
      "    - {key: mechanistic.il2.nk_fold_rise, distribution: uniform, low: 1.2, high: 3}\n");
  UncertainScenario replay(sc);
  const double values[] = {0.002, 2.0};  // the scenario's own values
  const Scenario& same = replay.with_values(values);
  EXPECT_EQ(std::memcmp(&same.mechanistic, &sc.mechanistic, sizeof sc.mechanistic), 0);
  const double other[] = {0.004, 2.5};
  const Scenario& moved = replay.with_values(other);
  EXPECT_EQ(moved.mechanistic.nk.kill_rate, 0.004);
  EXPECT_EQ(moved.mechanistic.il2.nk_fold_rise, 2.5);
  EXPECT_EQ(moved.mechanistic.nk.turnover_per_day, sc.mechanistic.nk.turnover_per_day);
}

// A trial whose draw repeats the previous one's keeps the scenario (and the simulator keeps the
// model built from it): changed() says which trials read it again.
TEST(UncertainScenario, OnlyADrawThatDiffersReadsThePopulationAgain) {
  UncertainScenario point(scenario_from_yaml(
      kParametric + "uncertainty: {priors: [{key: parametric.il2.hazard_ratio, distribution: fixed, value: 1.5}]}\n"));
  point.for_trial(0);
  EXPECT_TRUE(point.changed());  // the first read
  for (std::uint64_t t = 1; t < 20; ++t) {
    EXPECT_EQ(point.for_trial(t).parametric.il2_hazard_ratio, 1.5);
    EXPECT_FALSE(point.changed()) << t;
  }
  UncertainScenario two(scenario_from_yaml(kParametric +
                                           "uncertainty: {priors: [{key: parametric.il2.hazard_ratio, distribution: "
                                           "discrete, values: [1, 2], weights: [0.5, 0.5]}]}\n"));
  double previous = std::nan("");
  int repeats = 0;
  for (std::uint64_t t = 0; t < 200; ++t) {
    const double hr = two.for_trial(t).parametric.il2_hazard_ratio;
    EXPECT_EQ(hr, two.values()[0]);
    EXPECT_EQ(two.changed(), hr != previous) << t;
    repeats += hr == previous ? 1 : 0;
    previous = hr;
  }
  EXPECT_GT(repeats, 50);  // about half of 199: the check above saw both cases
}

TEST(UncertainScenario, APointMassPriorGivesExactlyTheRunWithoutIt) {
  const auto plain = run(kParametric);
  const auto point = run(
      kParametric + "uncertainty: {priors: [{key: parametric.il2.hazard_ratio, distribution: fixed, value: 1.5}]}\n");
  for (std::size_t c = 0; c < plain.trials.columns(); ++c)
    ASSERT_TRUE(same(plain.trials.column(c), point.trials.column(plain.trials.spec(c).name)))
        << plain.trials.spec(c).name;
  for (const auto& v : point.trials.column("parametric.il2.hazard_ratio")) ASSERT_EQ(v, 1.5);
  ASSERT_EQ(plain.power.size(), point.power.size());
  for (std::size_t i = 0; i < plain.power.size(); ++i) EXPECT_EQ(plain.power[i].power, point.power[i].power);
}

TEST(UncertainScenario, ATwoPointPriorAveragesTheFixedRunsPowers) {
  // Assurance = 0.3 power(HR 1.2) + 0.7 power(HR 2); its SE and the fixed runs' combine.
  const auto mixed = run(parametric(20000, 11) +
                         "uncertainty: {priors: [{key: parametric.il2.hazard_ratio, distribution: discrete, "
                         "values: [1.2, 2], weights: [0.3, 0.7]}]}\n");
  const auto low = run(parametric(20000, 12) + "parametric: {il2: {hazard_ratio: 1.2}}\n");
  const auto high = run(parametric(20000, 13) + "parametric: {il2: {hazard_ratio: 2}}\n");
  const double p = power_of(mixed, "duration_of_viremia");
  const double pl = power_of(low, "duration_of_viremia"), ph = power_of(high, "duration_of_viremia");
  const double expected = 0.3 * pl + 0.7 * ph;
  const double se = std::sqrt(p * (1 - p) / 20000 + 0.09 * pl * (1 - pl) / 20000 + 0.49 * ph * (1 - ph) / 20000);
  EXPECT_NEAR(p, expected, 4 * se);
  // The conditional power of each bin is the fixed run's, within MC error.
  const auto& c = mixed.uncertainty.sensitivity.conditional;
  for (const auto& bin : c) {
    if (bin.outcome != "duration_of_viremia") continue;
    const double fixed = bin.low == 1.2 ? pl : ph;
    const double n = static_cast<double>(bin.trials);
    EXPECT_NEAR(bin.power, fixed, 4 * std::sqrt(fixed * (1 - fixed) / n + fixed * (1 - fixed) / 20000))
        << "bin " << bin.bin;
  }
}

TEST(UncertainScenario, DrawsAreTheSameForAnyThreadCount) {
  const std::string yaml = kParametric +
                           "uncertainty:\n  priors:\n"
                           "    - {key: parametric.il2.hazard_ratio, distribution: gamma, shape: 9, scale: 0.18, "
                           "lower: 0.5, upper: 4}\n"
                           "    - {key: dropout.rate_per_year, distribution: beta, alpha: 2, beta: 10}\n"
                           "  correlations: [{keys: [parametric.il2.hazard_ratio, dropout.rate_per_year], rho: 0.4}]\n";
  const auto one = run(yaml, 1), two = run(yaml, 2);
  for (std::size_t c = 0; c < one.trials.columns(); ++c) ASSERT_TRUE(same(one.trials.column(c), two.trials.column(c)));
}

TEST(UncertainScenario, TheNullTwinIsTheRunWithoutAnEffect) {
  // Every arm given the control's treatment is, for the two-arm shorthand, HR 1 and the control's
  // NK mean: the same patients, so the same rejections exactly.
  const auto twin = run(kParametric + "analysis: {type1_error: true}\n");
  const auto null = run(kParametric + "parametric: {il2: {hazard_ratio: 1, nk_change_mean: 0}}\n");
  for (const auto& p : twin.power) {
    ASSERT_GT(p.type1.trials, 0u) << p.name;
    EXPECT_EQ(p.type1.power, power_of(null, p.name)) << p.name;
    EXPECT_EQ(p.power, power_of(run(kParametric), p.name)) << p.name;
  }
}

TEST(UncertainScenario, TheMechanisticNullTwinGivesNoIl2) {
  const std::string base = "model: mechanistic\nsimulation: {trials: 40, seed: 5}\n";
  const auto twin = run(base + "analysis: {type1_error: true}\n");
  const auto null = run(base + "mechanistic: {il2: {dose_miu: 0}}\n");
  for (const auto& p : twin.power) EXPECT_EQ(p.type1.power, power_of(null, p.name)) << p.name;
}

void expect_refused(const std::string& yaml, const std::string& words) {
  try {
    scenario_from_yaml(yaml);
    ADD_FAILURE() << "accepted:\n" << yaml;
  } catch (const SettingsError& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(UncertainScenario, BadPriorsAreRefusedNamingTheKey) {
  const std::string p = kParametric + "uncertainty: {priors: [";
  expect_refused(p + "{key: parametric.il2.hazard_ratoi, distribution: fixed, value: 1}]}\n",
                 "'parametric.il2.hazard_ratoi' is not a key of the patient population");
  expect_refused(p + "{key: analysis.alpha, distribution: fixed, value: 0.05}]}\n", "'analysis.alpha' is not a key");
  expect_refused(p + "{key: enrollment.sites, distribution: fixed, value: 3}]}\n", "not a real number");
  expect_refused(p + "{key: parametric.il2.hazard_ratio, distribution: normal, mean: 1.5, sd: 0.5}]}\n",
                 "can reach -inf, outside what the key accepts");
  expect_refused(p + "{key: parametric.il2.hazard_ratio, distribution: uniform, low: 50, high: 200}]}\n",
                 "can reach 200");
  expect_refused(
      p + "{key: parametric.il2.hazard_ratio, distribution: discrete, values: [1, 2], weights: [0.5, 0.6]}]}\n",
      "must sum to 1");
  expect_refused(p + "{key: parametric.il2.hazard_ratio, distribution: lognormal, median: 1.5}]}\n",
                 "a lognormal prior needs 'gsd'");
  expect_refused(p + "{key: parametric.il2.hazard_ratio, distribution: uniform, low: 1, high: 2, sd: 3}]}\n",
                 "unknown key 'uncertainty.priors[0].sd'");
  expect_refused(p + "{key: parametric.il2.hazard_ratio, distribution: cauchy}]}\n", "expected one of: fixed, normal");
  expect_refused(p + "{key: parametric.il2.hazard_ratio, distribution: uniform, low: 1, high: 2}, "
                     "{key: parametric.il2.hazard_ratio, distribution: fixed, value: 1}]}\n",
                 "has a prior already");
  // Draws that break a cross-key constraint together (an infusion as long as the dosing
  // interval), though neither does at its own end with the other at its median.
  expect_refused(
      "model: mechanistic\nuncertainty: {priors: ["
      "{key: mechanistic.gcv.interval_hours, distribution: discrete, values: [6, 12], weights: [0.3, 0.7]}, "
      "{key: mechanistic.gcv.infusion_hours, distribution: discrete, values: [1, 6], weights: [0.7, 0.3]}]}\n",
      "together, where the scenario is refused: test.yaml");
  expect_refused(
      "model: mechanistic\nuncertainty: {priors: ["
      "{key: mechanistic.gcv.infusion_hours, distribution: discrete, values: [1, 24], weights: [0.7, 0.3]}]}\n",
      "outside what the key accepts");
  expect_refused(
      "model: mechanistic\nmechanistic: {gcv: {interval_hours: 6}}\nuncertainty: {priors: ["
      "{key: mechanistic.gcv.infusion_hours, distribution: discrete, values: [1, 6], weights: [0.7, 0.3]}]}\n",
      "where the scenario is refused: test.yaml");
}

TEST(UncertainScenario, BadCalibrationTargetsAreRefused) {
  const std::string u = kParametric +
                        "uncertainty: {priors: [{key: parametric.control.median_days_to_negative, "
                        "distribution: uniform, low: 10, high: 40}]}\n";
  expect_refused(kParametric + "calibration: {targets: [{statistic: median_days_to_negative, value: 21, sd: 2}]}\n",
                 "the scenario has none");
  expect_refused(u + "calibration: {targets: [{statistic: share_negative_by_day, day: 200, value: 0.5, sd: 0.1}]}\n",
                 "calibration.targets[0].day");
  expect_refused(u + "calibration: {targets: [{statistic: median_viral_load, value: 3, sd: 1}]}\n",
                 "expected one of: median_days_to_negative, share_negative_by_day");
  expect_refused(u + "calibration: {targets: [{statistic: share_negative_by_day, value: 0.5, sd: 0.1}]}\n",
                 "needs 'day'");
  expect_refused(u + "calibration: {targets: [{statistic: median_days_to_negative, value: 21}]}\n", "needs 'sd'");
  // The posterior keeps 8 bytes per trial for the key, each target and the weight: 6 x 10^8 x 8.
  expect_refused(std::string("model: parametric\nsimulation: {trials: 100000000}\n") +
                     "uncertainty: {priors: [{key: parametric.control.median_days_to_negative, "
                     "distribution: uniform, low: 10, high: 40}]}\ncalibration: {targets: ["
                     "{statistic: median_days_to_negative, value: 21, sd: 2, name: a}, "
                     "{statistic: median_days_to_negative, value: 21, sd: 2, name: b}, "
                     "{statistic: median_days_to_negative, value: 21, sd: 2, name: c}, "
                     "{statistic: median_days_to_negative, value: 21, sd: 2, name: d}]}\n",
                 "simulation.trials: a calibrated run keeps 6 values per trial");
}

TEST(UncertainScenario, TheNullTwinsColumnsMayNotMeetAResultsColumns) {
  expect_refused(kParametric +
                     "analysis: {type1_error: true}\nendpoints:\n"
                     "  - {name: x, outcome: time_to_negative, test: logrank}\n"
                     "  - {name: x_null, outcome: time_to_negative, test: cox_wald}\n",
                 "would write the column 'x_null_reject'");
}

// Y ~ Bernoulli(X), X ~ U(0, 1) in 10 bins: E[Y | bin b] = (b + 0.5) / 10, so the binned share is
// Var_b((b + 0.5) / 10) / Var(Y) = (1/12)(1 - 1/100) / (1/4) = 0.33. An input Y ignores: 0.
TEST(SensitivityTally, BinnedSharesMatchTheirClosedForm) {
  constexpr std::size_t n = 200000;
  ResultTable t({{"x", ColumnType::real}, {"z", ColumnType::real}, {"y_reject", ColumnType::integer}}, n);
  RandomStream stream({1, 2, 3, 4});
  for (std::size_t i = 0; i < n; ++i) {
    const double x = (static_cast<double>(stream() >> 11) + 0.5) * 0x1p-53;
    const double z = (static_cast<double>(stream() >> 11) + 0.5) * 0x1p-53;
    const double u = (static_cast<double>(stream() >> 11) + 0.5) * 0x1p-53;
    t.at(0, i) = x;
    t.at(1, i) = z;
    t.at(2, i) = u < x ? 1 : 0;
  }
  std::vector<double> edges;
  for (int b = 0; b <= 10; ++b) edges.push_back(b / 10.0);
  SensitivityTally tally(t.specs(), {{"x", edges}, {"z", edges}}, {"y"});
  tally.add(t, 0, n / 2);
  ResultTable rest(t.specs(), n - n / 2);
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t i = n / 2; i < n; ++i) rest.at(c, i - n / 2) = t.at(c, i);
  tally.add(rest, n / 2, n - n / 2);
  const auto r = tally.result();
  ASSERT_EQ(r.shares.size(), 2u);
  EXPECT_NEAR(r.shares[0].share, 0.33, 4 * r.shares[0].mc_se);
  EXPECT_NEAR(r.shares[1].share, 0.0, 4 * r.shares[1].mc_se);
  EXPECT_LT(r.shares[0].mc_se, 0.01);
  for (const auto& c : r.conditional) {
    if (c.input != "x") continue;
    EXPECT_NEAR(c.power, (static_cast<double>(c.bin) + 0.5) / 10, 4 * std::sqrt(0.25 / static_cast<double>(c.trials)));
  }
}

// Self-normalized importance sampling by hand: weights 1, 3 on rejections 1, 0.
TEST(PowerTally, WeightedRateAndItsStandardError) {
  ResultTable t({{"a_reject", ColumnType::integer}, {"w", ColumnType::real}}, 2);
  t.at(0, 0) = 1, t.at(1, 0) = 1;
  t.at(0, 1) = 0, t.at(1, 1) = 3;
  PowerTally tally(t.specs(), {"a"}, "w");
  tally.add(t, 2);
  const auto p = tally.result().front();
  EXPECT_DOUBLE_EQ(p.power, 0.25);
  // sqrt(sum w^2 (R - p)^2) / sum w = sqrt(0.75^2 + 9 * 0.25^2) / 4
  EXPECT_DOUBLE_EQ(p.mc_se, std::sqrt(0.5625 + 9 * 0.0625) / 4);
  EXPECT_DOUBLE_EQ(p.effective_trials, 16.0 / 10);
  EXPECT_DOUBLE_EQ(p.prior_power, 0.5);
}

}  // namespace
}  // namespace vtrial
