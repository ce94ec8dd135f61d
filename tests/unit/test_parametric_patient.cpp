// The parametric patient and its observation by visits, against closed forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "design/randomization.hpp"
#include "models/parametric/parametric_patient.hpp"
#include "models/stream_purpose.hpp"
#include "models/trial_simulator.hpp"
#include "models/visit_schedule.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

TEST(VisitSchedule, NegativityIsSeenAtTheNextVisit) {
  const auto c = observe_course(8.2, INFINITY, 84, 7);
  EXPECT_DOUBLE_EQ(c.time_days, 14);
  EXPECT_TRUE(c.event);
  EXPECT_DOUBLE_EQ(observe_course(14.0, INFINITY, 84, 7).time_days, 14);  // a visit on the day counts
}

TEST(VisitSchedule, DropoutCensorsAtTheLastVisitAttended) {
  const auto c = observe_course(30, 17.5, 84, 7);  // leaves before the day-35 visit
  EXPECT_DOUBLE_EQ(c.time_days, 14);
  EXPECT_FALSE(c.event);
  EXPECT_TRUE(c.dropped_out);
  // Negative at day 20, seen at the day-21 visit only if still in the study then.
  EXPECT_TRUE(observe_course(20, 21, 84, 7).event);
  EXPECT_FALSE(observe_course(20, 20.9, 84, 7).event);
}

TEST(VisitSchedule, EndOfFollowUpCensorsAtTheLastScheduledVisit) {
  const auto c = observe_course(100, INFINITY, 80, 7);
  EXPECT_DOUBLE_EQ(c.time_days, 77);
  EXPECT_FALSE(c.event);
  EXPECT_FALSE(c.dropped_out);
}

TEST(VisitSchedule, ContinuousObservationKeepsExactTimes) {
  EXPECT_DOUBLE_EQ(observe_course(8.2, INFINITY, 84, 0).time_days, 8.2);
  EXPECT_DOUBLE_EQ(observe_course(90, 50.5, 84, 0).time_days, 50.5);
}

TEST(BlockRandomization, EveryBlockOfFourIsBalancedAndArmsDoNotDependOnN) {
  const BlockDesign design({1, 1}, 4);
  BlockRandomization a(design, purpose_id(StreamPurpose::randomization)), b = a;
  a.reset(7, 3);
  b.reset(7, 3);
  std::vector<int> arms;
  for (std::uint64_t k = 0; k < 400; ++k) arms.push_back(a.arm(k));
  for (std::size_t block = 0; block < 100; ++block)
    EXPECT_EQ(arms[4 * block] + arms[4 * block + 1] + arms[4 * block + 2] + arms[4 * block + 3], 2);
  // Random access (a different sample size visits slots differently) gives the same arms.
  for (std::uint64_t k : {399u, 5u, 6u, 200u, 0u}) EXPECT_EQ(b.arm(k), arms[k]);
}

TEST(ParametricPatient, SameSlotIsTheSamePersonInBothArms) {
  // HR 2, Weibull shape 1.5, continuous observation: T_il2 = T_control * HR^(-1/shape) exactly.
  const Scenario sc = testing::scenario_from_yaml(R"(
trial: {visit_interval_days: 0, follow_up_days: 3650}
parametric: {shape: 1.5, il2: {hazard_ratio: 2}}
dropout: {rate_per_year: 0})");
  ParametricPatient model(sc.parametric, sc.trial, sc.dropout);
  for (std::uint64_t slot = 0; slot < 50; ++slot) {
    PatientRecord control, il2;
    control.arm = 0;
    il2.arm = 1;
    model.simulate({11, 2, slot}, control, nullptr);
    model.simulate({11, 2, slot}, il2, nullptr);
    EXPECT_NEAR(il2.time_days, control.time_days * std::pow(2.0, -1 / 1.5), 1e-9 * control.time_days);
    EXPECT_NEAR(il2.nk_change - control.nk_change,
                sc.parametric.il2_nk_change_mean - sc.parametric.control_nk_change_mean, 1e-9);
  }
}

TEST(ParametricPatient, WeibullMedianAndNkMomentsMatchTheScenario) {
  // Median 21 d, shape 0.8; the sample median of n = 40000 has SE ~ 1/(2 f(m) sqrt(n)), with
  // f(m) = ln2 * shape / m * 0.5 at the median; test within 4 SE.
  const Scenario sc = testing::scenario_from_yaml(R"(
trial: {visit_interval_days: 0, follow_up_days: 3650}
parametric: {shape: 0.8, control: {median_days_to_negative: 21, nk_change_mean: 10}, nk_change_sd: 50}
dropout: {rate_per_year: 0})");
  ParametricPatient model(sc.parametric, sc.trial, sc.dropout);
  const std::size_t n = 40000;
  std::vector<double> times;
  double nk_sum = 0, nk_sq = 0;
  for (std::uint64_t slot = 0; slot < n; ++slot) {
    PatientRecord r;
    model.simulate({5, 0, slot}, r, nullptr);
    times.push_back(r.time_days);
    nk_sum += r.nk_change;
    nk_sq += r.nk_change * r.nk_change;
  }
  std::nth_element(times.begin(), times.begin() + n / 2, times.end());
  const double density_at_median = std::log(2.0) * 0.8 / 21 * 0.5;
  const double se_median = 1 / (2 * density_at_median * std::sqrt(double(n)));
  EXPECT_NEAR(times[n / 2], 21, 4 * se_median);
  const double mean = nk_sum / n, sd = std::sqrt(nk_sq / n - mean * mean);
  EXPECT_NEAR(mean, 10, 4 * 50 / std::sqrt(double(n)));
  EXPECT_NEAR(sd, 50, 4 * 50 / std::sqrt(2.0 * n));
}

TEST(TrialSimulator, FirstPatientsOfALargerTrialAreTheSmallerTrial) {
  const Scenario sc = testing::scenario_from_yaml("simulation: {seed: 99}");
  TrialSimulator sim(sc);
  const auto big = sim.simulate(4, 140);
  const std::vector<PatientRecord> big_copy(big.begin(), big.end());
  const auto small = sim.simulate(4, 60);
  for (std::size_t k = 0; k < 60; ++k) {
    EXPECT_EQ(small[k].arm, big_copy[k].arm);
    EXPECT_EQ(small[k].time_days, big_copy[k].time_days);
    EXPECT_EQ(small[k].nk_change, big_copy[k].nk_change);
  }
}

}  // namespace
}  // namespace vtrial

namespace vtrial {
namespace {

// The batched path (simulate_slots, what every trial uses) gives exactly what simulating the
// slots one by one gives (the path used when trajectories are recorded), with dropout and
// screening drawn too, across trials that reuse the model's scratch.
TEST(ParametricPatient, BatchedSlotsEqualOneByOne) {
  const Scenario sc = testing::scenario_from_yaml(
      "model: parametric\ndropout: {rate_per_year: 3}\nparametric: {screen_failure_probability: 0.3}\n");
  ParametricPatient batched(sc.parametric, sc.trial, sc.dropout), single(sc.parametric, sc.trial, sc.dropout);
  for (std::uint64_t trial : {0ull, 1ull, 12345ull}) {
    std::vector<PatientRecord> a(137), b(137);
    for (std::size_t k = 0; k < a.size(); ++k) a[k].arm = b[k].arm = static_cast<std::uint8_t>((k * 7 + trial) % 2);
    batched.simulate_slots(99, trial, a);
    for (std::size_t k = 0; k < b.size(); ++k) single.simulate({99, trial, k}, b[k], nullptr);
    for (std::size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(std::memcmp(&a[k].time_days, &b[k].time_days, sizeof(double)), 0) << trial << " " << k;
      EXPECT_EQ(std::memcmp(&a[k].nk_change, &b[k].nk_change, sizeof(double)), 0) << trial << " " << k;
      EXPECT_EQ(a[k].event, b[k].event);
      EXPECT_EQ(a[k].dropped_out, b[k].dropped_out);
      EXPECT_EQ(a[k].screened, b[k].screened);
    }
  }
}

}  // namespace
}  // namespace vtrial
