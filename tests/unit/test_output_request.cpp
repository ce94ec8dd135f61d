// Record fields no analysis reads may be skipped (OutputRequest), and skipping them must
// change nothing that is read: every purpose has its own stream. Kept trials (written patient
// by patient to /patients) are always complete.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "app/simulation.hpp"
#include "models/parametric/parametric_patient.hpp"
#include "models/trial_analysis.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(OutputRequest, ParametricPatientSkipsOnlyTheNkDraw) {
  const Scenario sc = testing::scenario_from_yaml(
      "model: parametric\ndropout: {rate_per_year: 2}\nparametric: {screen_failure_probability: 0.4}\n");
  ParametricPatient full(sc.parametric, sc.trial, sc.dropout), lean(sc.parametric, sc.trial, sc.dropout);
  lean.request({.nk_change = false});
  for (std::uint64_t slot = 0; slot < 2000; ++slot) {
    PatientRecord a, b;
    a.arm = b.arm = static_cast<std::uint8_t>(slot % 2);
    full.simulate({5, 3, slot}, a, nullptr);
    lean.simulate({5, 3, slot}, b, nullptr);
    ASSERT_TRUE(std::isfinite(a.nk_change));
    EXPECT_TRUE(std::isnan(b.nk_change));
    EXPECT_TRUE(same_bits(a.time_days, b.time_days)) << slot;
    EXPECT_EQ(a.event, b.event);
    EXPECT_EQ(a.dropped_out, b.dropped_out);
    EXPECT_EQ(a.screened, b.screened);
  }
}

TEST(OutputRequest, AnalysisAsksForNkOnlyWithAnNkEndpoint) {
  const auto request = [](const std::string& endpoints) {
    return TrialAnalysis(testing::scenario_from_yaml("model: parametric\nanalysis: {endpoints: " + endpoints +
                                                     ", key_secondary: []}\n"))
        .outputs_read();
  };
  EXPECT_FALSE(request("[duration_of_viremia]").nk_change);
  EXPECT_TRUE(request("[duration_of_viremia, nk_change]").nk_change);
  EXPECT_TRUE(request("[duration_of_viremia, nk_change_wilcoxon]").nk_change);
}

// The same trials analysed with and without an NK endpoint: the duration endpoint's columns
// are bit-identical (the NK draws skipped in the first run take nothing from the others), and
// the kept trial's patients carry their NK change even though no endpoint reads it.
TEST(OutputRequest, SkippingNkLeavesTheOtherResultsAndKeptRecordsWhole) {
  const std::string base = "model: parametric\nsimulation: {trials: 40, seed: 11}\noutput: {patient_trials: 2}\n";
  const Scenario without_nk =
      testing::scenario_from_yaml(base + "analysis: {endpoints: [duration_of_viremia], key_secondary: []}\n");
  const Scenario with_nk = testing::scenario_from_yaml(
      base + "analysis: {endpoints: [duration_of_viremia, nk_change], key_secondary: []}\n");
  const SimulationResult lean = simulate_scenario(without_nk, {2, false});
  const SimulationResult full = simulate_scenario(with_nk, {2, false});
  for (const char* column : {"duration_of_viremia_p", "duration_of_viremia_estimate", "enrollment_days",
                             "last_visit_days", "events", "screened"}) {
    const auto& a = lean.trials.column(column);
    const auto& b = full.trials.column(column);
    ASSERT_EQ(a.size(), 40u);
    for (std::size_t t = 0; t < a.size(); ++t) EXPECT_TRUE(same_bits(a[t], b[t])) << column << " trial " << t;
  }
  const auto& nk = lean.patients.column("nk_change");
  ASSERT_EQ(nk.size(), 2u * static_cast<std::size_t>(without_nk.trial.patients));
  for (std::size_t i = 0; i < nk.size(); ++i) EXPECT_TRUE(std::isfinite(nk[i])) << "patient row " << i;
  const auto& nk_full = full.patients.column("nk_change");
  for (std::size_t i = 0; i < nk.size(); ++i) EXPECT_TRUE(same_bits(nk[i], nk_full[i])) << "patient row " << i;
}

}  // namespace
}  // namespace vtrial
