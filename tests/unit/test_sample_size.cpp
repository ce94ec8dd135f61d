// Sample-size sweeps with common random numbers and the sample-size search, against
// Schoenfeld's formula and the properties CRN promises. Fixed seeds; MC-error tolerances.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstring>

#include "app/sample_size.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

TEST(SampleSizeSweep, ParsesRangesAndLists) {
  EXPECT_EQ(parse_sample_sizes("60:140:20"), (std::vector<std::int64_t>{60, 80, 100, 120, 140}));
  EXPECT_EQ(parse_sample_sizes("100,60,80,60"), (std::vector<std::int64_t>{60, 80, 100}));
  EXPECT_EQ(parse_sample_sizes("50"), (std::vector<std::int64_t>{50}));
  EXPECT_THROW(parse_sample_sizes("60:140"), std::invalid_argument);
  EXPECT_THROW(parse_sample_sizes("60:40:20"), std::invalid_argument);
  EXPECT_THROW(parse_sample_sizes("60:140:0"), std::invalid_argument);
  EXPECT_THROW(parse_sample_sizes("1,60"), std::invalid_argument);
  EXPECT_THROW(parse_sample_sizes("sixty"), std::invalid_argument);
}

TEST(SampleSizeSweep, PowerRisesWithNAndPairedDifferencesAreSharper) {
  const Scenario sc = testing::scenario_from_yaml("simulation: {trials: 3000, seed: 31}");
  const SweepResult sweep = sweep_sample_sizes(sc, {60, 80, 100, 120, 140}, {});
  ASSERT_EQ(sweep.points.size(), 5u);
  for (std::size_t e = 0; e < sweep.endpoints.size(); ++e) {
    for (std::size_t i = 1; i < sweep.points.size(); ++i) {
      EXPECT_GE(sweep.points[i].power[e].power, sweep.points[i - 1].power[e].power) << sweep.endpoints[e];
      // Same patients at both N: the paired SE of the difference is well below the independent one.
      EXPECT_LT(sweep.points[i].difference_se_paired[e], 0.75 * sweep.points[i].difference_se_unpaired[e]);
    }
  }
  // Feasibility falls as the target grows.
  for (std::size_t i = 1; i < sweep.points.size(); ++i) {
    EXPECT_LE(sweep.points[i].design.p_enrolled_by_deadline, sweep.points[i - 1].design.p_enrolled_by_deadline);
    EXPECT_GT(sweep.points[i].design.median_enrollment_days, sweep.points[i - 1].design.median_enrollment_days);
  }
}

TEST(SampleSizeSweep, EachNGivesExactlyTheTrialsOfAPlainRunAtThatN) {
  const Scenario base = testing::scenario_from_yaml("simulation: {trials: 500, seed: 8}");
  const auto tables = simulate_sample_sizes(base, {60, 100}, {});
  const Scenario at60 = testing::scenario_from_yaml("simulation: {trials: 500, seed: 8}\ntrial: {patients: 60}");
  const auto plain = simulate_scenario(at60, {});
  for (std::size_t c = 0; c < plain.trials.columns(); ++c) {
    const auto& a = plain.trials.column(c);
    EXPECT_EQ(0, std::memcmp(a.data(), tables[0].column(c).data(), a.size() * sizeof(double)))
        << plain.trials.spec(c).name;
  }
}

// Each sweep point reports a stop probability for every look of a group-sequential design,
// also for looks no trial reached (here every trial stops at the first look, at HR 6).
TEST(SampleSizeSweep, EveryPointHasAStopProbabilityPerLook) {
  const Scenario sc = testing::scenario_from_yaml(R"(
model: parametric
parametric: {il2: {hazard_ratio: 6}}
analysis: {endpoints: [duration_of_viremia], interim: {enabled: true, fractions: [0.5], spending: pocock, futility: false}}
simulation: {trials: 20, seed: 5})");
  const SweepResult sweep = sweep_sample_sizes(sc, {60, 100}, {1, false});
  ASSERT_EQ(sweep.points.size(), 2u);
  for (const auto& point : sweep.points) {
    ASSERT_EQ(point.design.p_stop_at_look.size(), 2u) << point.patients;
    EXPECT_NEAR(point.design.p_stop_at_look[0] + point.design.p_stop_at_look[1], 1.0, 1e-12);
  }
}

TEST(SampleSizeSearch, MatchesSchoenfeldInExponentialMode) {
  // Schoenfeld: events D = 4 (z_{0.975} + z_{0.8})^2 / log(1.7)^2 = 111.5; with follow-up 84 d
  // and control median 21 d, P(event) = (1 - 2^-4 + 1 - 2^-6.8) / 2 = 0.9643, so N = 115.6.
  const boost::math::normal z;
  const double events =
      4 * std::pow(boost::math::quantile(z, 0.975) + boost::math::quantile(z, 0.8), 2) / std::pow(std::log(1.7), 2);
  const double p_event = (2 - std::pow(2.0, -4.0) - std::pow(2.0, -4.0 * 1.7)) / 2;
  const double schoenfeld_n = events / p_event;
  EXPECT_NEAR(schoenfeld_n, 115.6, 0.1);
  const Scenario sc = testing::scenario_from_yaml(R"(
trial: {patients: 100, follow_up_days: 84, visit_interval_days: 0}
parametric: {shape: 1, control: {median_days_to_negative: 21}, il2: {hazard_ratio: 1.7}}
dropout: {rate_per_year: 0}
analysis: {endpoints: [duration_of_viremia]}
simulation: {trials: 10000, seed: 11})");
  SampleSizeSearch search;
  search.endpoint = "duration_of_viremia";
  search.target_power = 0.8;
  search.criterion = PowerCriterion::estimate;
  search.minimum = 20;
  const auto found = find_sample_size(sc, search, {});
  // Near N = 116 power rises ~0.0035 per patient and its MC SE is 0.004, so the crossing is
  // known to about +-1.2 patients (1 SE); allow 4 SE plus one grid step of 2.
  EXPECT_NEAR(static_cast<double>(found.patients), schoenfeld_n, 4 * 1.2 + 2);
  EXPECT_GE(found.power.power, 0.8);
  // The search simulates only what it needs: a handful of N, not the whole grid.
  EXPECT_LE(found.evaluated.points.size(), 10u);
  // With the lower-bound criterion the answer can only be larger.
  search.criterion = PowerCriterion::lower_bound;
  EXPECT_GE(find_sample_size(sc, search, {}).patients, found.patients);
}

TEST(SampleSizeSearch, UnreachableTargetSaysSo) {
  const Scenario sc = testing::scenario_from_yaml(
      "parametric: {il2: {hazard_ratio: 1.0}}\nsimulation: {trials: 200}\nanalysis: {endpoints: "
      "[duration_of_viremia]}");
  SampleSizeSearch search;
  search.endpoint = "duration_of_viremia";
  search.maximum = 80;
  EXPECT_THROW(find_sample_size(sc, search, {}), std::runtime_error);
  search.endpoint = "no_such_endpoint";
  EXPECT_THROW(find_sample_size(sc, search, {}), std::invalid_argument);
}

}  // namespace
}  // namespace vtrial
