// Trial-level properties of the mechanistic model, end to end through simulate_scenario: type-I
// error when IL-2 does nothing, the direction and size of the IL-2 effect with the defaults
// (against docs/model.md's table), and the stored trajectories against the patient records.
// Fixed seeds; tolerances in Monte Carlo standard errors (SE). Only the two protocol endpoints
// are analysed (the others cost time and are tested elsewhere).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

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

struct Moments {
  double mean = 0, sd = 0;
  std::size_t n = 0;
};

Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v)
    if (std::isfinite(x)) m.mean += x, ++m.n;
  m.mean /= static_cast<double>(m.n);
  for (double x : v)
    if (std::isfinite(x)) m.sd += (x - m.mean) * (x - m.mean);
  m.sd = std::sqrt(m.sd / static_cast<double>(m.n - 1));
  return m;
}

Scenario mechanistic(const std::string& extra) {
  return testing::scenario_from_yaml(
      "model: mechanistic\n"
      "analysis: {endpoints: [duration_of_viremia, nk_change]}\n" +
      extra);
}

TEST(MechTrial, NoIl2EffectKeepsAlpha) {
  // effect_scale 0: IL-2 changes nothing (the arms are the same kind of people with the same
  // draws), so both tests must reject at alpha = 0.05. 4 SE at 3000 trials = +-0.016, which
  // also covers the log-rank's known liberalness at n = 100 (~0.054, test_power_validation).
  constexpr double n = 3000;
  const Scenario sc = mechanistic(
      "mechanistic: {il2: {effect_scale: 0}}\n"
      "simulation: {trials: 3000, seed: 4242}\n");
  const auto r = simulate_scenario(sc, {});
  const double dov = endpoint(r, "duration_of_viremia").power, nk = endpoint(r, "nk_change").power;
  EXPECT_NEAR(dov, 0.05, 4 * mc_se(0.05, n));
  EXPECT_NEAR(nk, 0.05, 4 * mc_se(0.05, n));
  // Under the null the log of the log-rank hazard ratio estimate centres on 0 and the NK
  // difference on 0 cells/uL.
  std::vector<double> log_hr;
  for (double h : r.trials.column("duration_of_viremia_estimate")) log_hr.push_back(std::log(h));
  const Moments lhr = moments(log_hr);
  const Moments nk_diff = moments(r.trials.column("nk_change_estimate"));
  EXPECT_NEAR(lhr.mean, 0.0, 4 * lhr.sd / std::sqrt(double(lhr.n)));
  EXPECT_NEAR(nk_diff.mean, 0.0, 4 * nk_diff.sd / std::sqrt(double(nk_diff.n)));
}

// The defaults of docs/model.md, 1000 trials of 100 patients, every patient record kept.
class MechTrialDefaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const Scenario sc = mechanistic("simulation: {trials: 1000, seed: 9090}\noutput: {patient_trials: 1000}\n");
    result_ = new SimulationResult(simulate_scenario(sc, {}));
  }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static constexpr double kTrials = 1000;
  static SimulationResult* result_;
};
SimulationResult* MechTrialDefaults::result_ = nullptr;

TEST_F(MechTrialDefaults, Il2RaisesNkAndSpeedsClearance) {
  const auto& t = result_->trials;
  // NK: a fold rise of 2 over ~100 cells/uL, measured at the last visit, against no change.
  int nk_positive = 0;
  for (double d : t.column("nk_change_estimate")) nk_positive += d > 0;
  EXPECT_GE(nk_positive, 0.99 * kTrials) << nk_positive << " of " << kTrials;
  const Moments nk = moments(t.column("nk_change_estimate"));
  EXPECT_GT(nk.mean - 4 * nk.sd / std::sqrt(double(nk.n)), 0) << nk.mean;

  // Hazard ratio of becoming negative (log-rank O/E), IL-2 over control: above 1 on average.
  const Moments hr = moments(t.column("duration_of_viremia_estimate"));
  EXPECT_GT(hr.mean - 4 * hr.sd / std::sqrt(double(hr.n)), 1.0) << hr.mean;

  // Kaplan-Meier summaries favour IL-2: shorter median, more patients negative by day 28.
  // Paired per trial (the same trial's arms), so the SE is that of the mean difference.
  // (negative_by_day28 is the KM estimate at t = 28.0; visits are jittered +-1 d, so about half
  // of the nominal day-28 visits fall after it: measured 0.739 / 0.839, vs 0.764 / 0.859 by the
  // day-28 visit, which is what docs/model.md's 0.77 / 0.86 count.)
  std::vector<double> median_diff, neg28_diff;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    median_diff.push_back(t.column("km_median_control")[i] - t.column("km_median_il2")[i]);
    neg28_diff.push_back(t.column("negative_by_day28_il2")[i] - t.column("negative_by_day28_control")[i]);
  }
  const Moments md = moments(median_diff), n28 = moments(neg28_diff);
  EXPECT_GT(md.n, 0.95 * kTrials);  // the median is reached in (nearly) every trial
  EXPECT_GT(md.mean - 4 * md.sd / std::sqrt(double(md.n)), 0) << md.mean;
  EXPECT_GT(n28.mean - 4 * n28.sd / std::sqrt(double(n28.n)), 0) << n28.mean;
}

TEST_F(MechTrialDefaults, ImpliedRateRatioMatchesTheModelDocument) {
  // docs/model.md, "Implied effect of IL-2", bold row (kN 0.002, d0 0.5, fold 2): rate ratio
  // (events per person-day, IL-2 over control) 1.42, measured on 4,000 slots per arm with
  // weekly visits. The same statistic pooled over all 1000 x 100 patients here. Its log has SE
  // sqrt(1/E_il2 + 1/E_control) (Poisson events); the document's own value has the same kind
  // of error from ~3,500 events per arm, so the tolerance is 4 SE of the difference of two
  // independent estimates, about +-0.15 on the ratio (dominated by the document's 4,000 slots;
  // the table also rounds to 2 decimals). Measured here: 1.434 (43,590 / 46,917 events; 43,591 /
  // 46,918 before the CrCl < 30 exclusion replaced ~0.03% of patients).
  const auto& p = result_->patients;
  ASSERT_EQ(p.rows(), static_cast<std::size_t>(kTrials * 100));
  double events[2] = {0, 0}, days[2] = {0, 0};
  for (std::size_t i = 0; i < p.rows(); ++i) {
    const int arm = static_cast<int>(p.column("arm")[i]);
    events[arm] += p.column("event")[i];
    days[arm] += p.column("time_days")[i];
  }
  const double rate_ratio = (events[1] / days[1]) / (events[0] / days[0]);
  const double se_here = std::sqrt(1 / events[0] + 1 / events[1]);
  const double se_doc = std::sqrt(2 / 3500.0);
  EXPECT_NEAR(std::log(rate_ratio), std::log(1.42), 4 * std::hypot(se_here, se_doc))
      << "rate ratio " << rate_ratio << " (events " << events[0] << " / " << events[1] << ")";

  // The trial's own estimate is the log-rank O/E hazard ratio of 100-patient trials; it is a
  // different statistic (ties at weekly visits, non-proportional hazards: resistant and
  // slow patients dilute it late, small-sample bias), so there is no reference value for it;
  // it is only required to sit near the rate ratio: within 15% (measured: mean 1.357, SD 0.28
  // over trials, i.e. 0.946 x the rate ratio).
  const Moments hr = moments(result_->trials.column("duration_of_viremia_estimate"));
  EXPECT_NEAR(hr.mean / rate_ratio, 1.0, 0.15) << "mean log-rank HR " << hr.mean << ", rate ratio " << rate_ratio;
}

TEST(MechTrial, TrajectoriesEndAtTheRecordedVisit) {
  // The first K patients of trial 0 record their course; its last PCR visit is the record's
  // time (negative -> event, positive -> censored there), and the arm matches.
  constexpr int kPatients = 12;
  const Scenario sc = mechanistic(
      "simulation: {trials: 3, seed: 77}\n"
      "output: {patient_trials: 1, trajectory_patients: 12}\n");
  const auto r = simulate_scenario(sc, {});
  const auto& tr = r.trajectories;
  const auto& pa = r.patients;
  ASSERT_GT(tr.rows(), 0u);
  const auto& patient = tr.column("patient");
  const auto& time = tr.column("time_days");
  const auto& observed = tr.column("observed_viral_load");
  const auto& arm = tr.column("arm");
  int seen = 0;
  for (int k = 0; k < kPatients; ++k) {
    // /patients rows are ordered by trial then slot: trial 0's slot k is row k.
    ASSERT_EQ(pa.column("trial")[k], 0);
    ASSERT_EQ(pa.column("patient")[k], k);
    double last_visit = 0, last_observed = std::nan("");
    std::size_t rows = 0;
    for (std::size_t i = 0; i < tr.rows(); ++i) {
      if (patient[i] != k) continue;
      ++rows;
      EXPECT_EQ(arm[i], pa.column("arm")[k]) << "patient " << k;
      if (!std::isnan(observed[i]) && time[i] >= last_visit) last_visit = time[i], last_observed = observed[i];
    }
    ASSERT_GT(rows, 4u) << "patient " << k;
    seen += rows > 0;
    EXPECT_EQ(last_visit, pa.column("time_days")[k]) << "patient " << k;
    if (!std::isnan(last_observed)) {
      EXPECT_EQ(last_observed == 0, pa.column("event")[k] == 1) << "patient " << k;
    }
  }
  EXPECT_EQ(seen, kPatients);
}

}  // namespace
}  // namespace vtrial
