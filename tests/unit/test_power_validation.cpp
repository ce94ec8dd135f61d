// The whole parametric pipeline (patients -> log-rank / Welch -> power) against independent
// references. Fixed seeds; tolerances in Monte Carlo standard errors (SE), so these never flake.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstring>

#include "app/simulation.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

double mc_se(double p, double n) { return std::sqrt(p * (1 - p) / n); }

const EndpointPower& endpoint(const SimulationResult& r, const std::string& name) {
  for (const auto& e : r.power)
    if (e.name == name) return e;
  throw std::runtime_error("no endpoint " + name);
}

TEST(PowerValidation, LogRankKeepsAlphaUnderTheNullWithWeeklyTies) {
  // HR = 1 with weekly visits: heavy ties, dropout and end-of-follow-up censoring. The
  // rejection rate must lie within 4 SE of alpha. (R's survdiff on the same design with
  // continuous times gave 0.05525 +- 0.0016 in 20000 trials: the test is slightly liberal at
  // n = 100, which the 4-SE band at 10000 trials, +-0.0087, accommodates.)
  const Scenario sc = testing::scenario_from_yaml(R"(
parametric: {il2: {hazard_ratio: 1, nk_change_mean: 0}}
simulation: {trials: 10000, seed: 101}
dropout: {rate_per_year: 0.5})");
  const auto r = simulate_scenario(sc, {});
  const double n = 10000;
  EXPECT_NEAR(endpoint(r, "duration_of_viremia").power, 0.05, 4 * mc_se(0.05, n));
  EXPECT_NEAR(endpoint(r, "nk_change").power, 0.05, 4 * mc_se(0.05, n));
}

// Exponential, continuous observation, 100 patients 1:1, control median 21 d, HR 1.7,
// follow-up 84 d, no dropout.
constexpr const char* kExponentialDesign = R"(
trial: {patients: 100, follow_up_days: 84, visit_interval_days: 0}
parametric: {shape: 1, control: {median_days_to_negative: 21}, il2: {hazard_ratio: 1.7}}
dropout: {rate_per_year: 0}
simulation: {trials: 20000, seed: 2024})";

TEST(PowerValidation, ExponentialPowerMatchesSchoenfeld) {
  // Schoenfeld (1981): power = Phi(sqrt(D)/2 * |log HR| - z_{1-alpha/2}), D = expected events
  // = 50 * (1 - 2^-(84/21)) + 50 * (1 - 2^-(1.7 * 84/21)) = 96.426 -> power 0.7406.
  const Scenario sc = testing::scenario_from_yaml(kExponentialDesign);
  const double p0 = 1 - std::pow(2.0, -84.0 / 21), p1 = 1 - std::pow(2.0, -1.7 * 84.0 / 21);
  const double events = 50 * (p0 + p1);
  const boost::math::normal z;
  const double schoenfeld =
      boost::math::cdf(z, std::sqrt(events) / 2 * std::log(1.7) - boost::math::quantile(z, 0.975));
  EXPECT_NEAR(schoenfeld, 0.7406, 5e-4);
  const auto r = simulate_scenario(sc, {});
  // "Within a few points": the approximation itself is off by about 1 point at 96 events.
  EXPECT_NEAR(endpoint(r, "duration_of_viremia").power, schoenfeld, 0.03);
}

TEST(PowerValidation, ExponentialPowerMatchesRSimulation) {
  // R 4.2.2, survival 3.5-3 (run once, 2026-11-25):
  //   library(survival); set.seed(20251125)
  //   sim <- function(hr, n = 100, median0 = 21, fu = 84) {
  //     arm <- rep(0:1, each = n / 2)
  //     rate <- log(2) / median0 * ifelse(arm == 1, hr, 1)
  //     t <- rexp(n, rate); time <- pmin(t, fu); status <- as.integer(t <= fu)
  //     pchisq(survdiff(Surv(time, status) ~ arm)$chisq, 1, lower.tail = FALSE) < 0.05 }
  //   r <- replicate(20000, sim(1.7)); mean(r)
  // printed: hr=1.7 power=0.73155 se=0.00313
  const double r_power = 0.73155, r_se = 0.00313;
  const Scenario sc = testing::scenario_from_yaml(kExponentialDesign);
  const auto r = simulate_scenario(sc, {});
  const auto& e = endpoint(r, "duration_of_viremia");
  EXPECT_NEAR(e.power, r_power, 4 * std::hypot(e.mc_se, r_se));
}

TEST(PowerValidation, WelchPowerMatchesTheNormalApproximation) {
  // Two-sample t power with 50 per arm, difference 30, SD 60: effect 0.5; R's
  // power.t.test(n = 50, delta = 30, sd = 60) prints "power = 0.6968888" (equal-variance t, which
  // Welch matches closely at equal n and SD).
  const Scenario sc = testing::scenario_from_yaml(R"(
parametric: {control: {nk_change_mean: 0}, il2: {nk_change_mean: 30}, nk_change_sd: 60}
simulation: {trials: 20000, seed: 77})");
  const auto r = simulate_scenario(sc, {});
  EXPECT_NEAR(endpoint(r, "nk_change").power, 0.6968888, 4 * mc_se(0.6968888, 20000));
}

TEST(PowerValidation, GroupSequentialDesignKeepsAlphaEndToEnd) {
  // One interim at half the patients completed, O'Brien-Fleming-type spending, no futility,
  // HR = 1: the design's rejection rate (any look) stays within 4 SE of alpha (the fixed
  // log-rank itself runs ~0.054 at n = 100, see above), stop probabilities sum to 1 and the
  // expected sample size is below N only through early stops.
  const Scenario sc = testing::scenario_from_yaml(R"(
parametric: {il2: {hazard_ratio: 1}}
analysis: {endpoints: [duration_of_viremia], interim: {enabled: true, fractions: [0.5], futility: false}}
simulation: {trials: 8000, seed: 303})");
  const auto r = simulate_scenario(sc, {});
  EXPECT_NEAR(endpoint(r, "group_sequential").power, 0.05, 4 * mc_se(0.05, 8000));
  ASSERT_EQ(r.design.p_stop_at_look.size(), 2u);
  EXPECT_NEAR(r.design.p_stop_at_look[0] + r.design.p_stop_at_look[1], 1.0, 1e-12);
  // Under H0 an OBF interim at t = 0.5 stops with probability ~0.003 (boundary 2.963).
  EXPECT_LT(r.design.p_stop_at_look[0], 0.003 + 4 * mc_se(0.003, 8000));
  EXPECT_LE(r.design.mean_patients, 100.0);
}

// /design reports every look's stop probability, also for looks no trial reached: at a
// hazard ratio of 6 a Pocock interim at half the information stops essentially every trial
// (a fixed seed, 20 trials: all of them), and the final look's entry must still be there.
TEST(PowerValidation, StopProbabilityHasAnEntryForEveryLook) {
  const Scenario sc = testing::scenario_from_yaml(R"(
model: parametric
parametric: {il2: {hazard_ratio: 6}}
analysis: {endpoints: [duration_of_viremia], interim: {enabled: true, fractions: [0.5], spending: pocock, futility: false}}
simulation: {trials: 20, seed: 5})");
  const auto r = simulate_scenario(sc, {1, false});
  ASSERT_EQ(r.design.p_stop_at_look.size(), 2u);
  EXPECT_GT(r.design.p_stop_at_look[0], 0.9);
  EXPECT_NEAR(r.design.p_stop_at_look[0] + r.design.p_stop_at_look[1], 1.0, 1e-12);
}

TEST(PowerValidation, ResultsDoNotDependOnTheThreadCount) {
  const Scenario sc = testing::scenario_from_yaml("simulation: {trials: 3000, seed: 5}\noutput: {patient_trials: 3}");
  const auto one = simulate_scenario(sc, {1, false});
  const auto two = simulate_scenario(sc, {2, false});
  const auto four = simulate_scenario(sc, {4, false});
  for (std::size_t c = 0; c < one.trials.columns(); ++c) {
    const auto& a = one.trials.column(c);
    EXPECT_EQ(0, std::memcmp(a.data(), two.trials.column(c).data(), a.size() * sizeof(double)));
    EXPECT_EQ(0, std::memcmp(a.data(), four.trials.column(c).data(), a.size() * sizeof(double)));
  }
}

}  // namespace
}  // namespace vtrial
