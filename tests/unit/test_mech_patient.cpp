// The mechanistic patient as a whole: common random numbers, screening, observation, and
// plausibility against the literature figures it was calibrated to (docs/model.md). Monte
// Carlo tolerances are stated in standard errors (SE) of the simulated proportion or median.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "models/mechanistic/mechanistic_patient.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

MechanisticPatient make(const std::string& extra_yaml = "") {
  const Scenario sc = testing::scenario_from_yaml("model: mechanistic\n" + extra_yaml);
  return MechanisticPatient(sc.mechanistic, sc.trial, sc.dropout);
}

PatientRecord run(MechanisticPatient& m, std::uint64_t slot, std::uint8_t arm, Trajectory* tr = nullptr) {
  PatientRecord r;
  r.arm = arm;
  m.simulate({7, 0, slot}, r, tr);
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST(MechPatient, SameSlotIsTheSamePersonInBothArms) {
  auto m = make();
  for (std::uint64_t slot = 0; slot < 50; ++slot) {
    const PatientRecord a = run(m, slot, 0);
    const Candidate ca = m.last_candidate();
    const PatientRecord b = run(m, slot, 1);
    const Candidate cb = m.last_candidate();
    EXPECT_EQ(a.screened, b.screened);
    EXPECT_EQ(a.resistant, b.resistant);
    EXPECT_EQ(a.nk_baseline, b.nk_baseline);
    EXPECT_EQ(ca.weight_kg, cb.weight_kg);
    EXPECT_EQ(ca.log10_viral_load, cb.log10_viral_load);
    EXPECT_EQ(ca.prednisone_mg_per_day, cb.prednisone_mg_per_day);
  }
}

TEST(MechPatient, EffectScaleZeroMakesArmsIdentical) {
  auto m = make("mechanistic: {il2: {effect_scale: 0}}\n");
  for (std::uint64_t slot = 0; slot < 200; ++slot) {
    const PatientRecord a = run(m, slot, 0), b = run(m, slot, 1);
    ASSERT_EQ(a.time_days, b.time_days) << slot;
    EXPECT_EQ(a.event, b.event);
    EXPECT_EQ(a.dropped_out, b.dropped_out);
    EXPECT_TRUE(a.nk_change == b.nk_change || (std::isnan(a.nk_change) && std::isnan(b.nk_change)));
    EXPECT_TRUE(a.sledai_change == b.sledai_change || (std::isnan(a.sledai_change) && std::isnan(b.sledai_change)));
    EXPECT_EQ(a.adverse, b.adverse);
  }
}

TEST(MechPatient, TrajectoryDoesNotChangeTheRecord) {
  auto m = make();
  for (std::uint64_t slot = 0; slot < 20; ++slot) {
    Trajectory tr;
    const PatientRecord with = run(m, slot, 1, &tr), without = run(m, slot, 1);
    EXPECT_EQ(with.time_days, without.time_days);
    EXPECT_EQ(with.event, without.event);
    ASSERT_GT(tr.size(), 4u);
    EXPECT_EQ(tr.front().time_days, 0);
    int visits = 0;
    for (const auto& p : tr) visits += !std::isnan(p.observed_viral_load);
    EXPECT_GE(visits, 1);
    EXPECT_NEAR(tr.back().time_days, with.time_days, 0.3);
  }
}

TEST(MechPatient, EligibleCandidatesMeetTheProtocol) {
  auto m = make();
  double screened = 0;
  const int n = 2000;
  for (std::uint64_t slot = 0; slot < n; ++slot) {
    const PatientRecord r = run(m, slot, 0);
    const Candidate& c = m.last_candidate();
    ASSERT_GE(c.age_years, 18);
    ASSERT_LE(c.age_years, 65);
    ASSERT_GE(c.weight_kg, 45);
    ASSERT_LE(c.weight_kg, 80);
    ASSERT_LT(c.prednisone_mg_per_day / c.weight_kg, 1.0);
    ASSERT_GE(c.screening_log10_viral_load, std::log10(500.0));
    ASSERT_GE(c.creatinine_clearance_ml_min, 30);  // severe renal failure excluded
    screened += r.screened;
  }
  // A model output, not a target: with the default exclusion probabilities about half of the
  // candidates are eligible. Guard against a broken screen (never or always eligible).
  const double share = n / screened;
  EXPECT_GT(share, 0.3);
  EXPECT_LT(share, 0.8);
}

TEST(MechPatient, SevereRenalFailureExclusionAppliesToTheDrawnCrCl) {
  // The criterion is applied to the candidate's Cockcroft-Gault CrCl, draws unchanged: a
  // threshold of 0 (no renal criterion) admits the same candidates except those below 30.
  // Raising it to 90 (a stress value) shows the screen acts on CrCl: every patient at or above
  // it, and more candidates screened per patient.
  auto none = make("mechanistic: {exclusions: {renal_failure_crcl_ml_min: 0}}\n");
  auto standard = make();
  auto strict = make("mechanistic: {exclusions: {renal_failure_crcl_ml_min: 90}}\n");
  double screened_standard = 0, screened_strict = 0;
  int differ = 0;
  for (std::uint64_t slot = 0; slot < 1000; ++slot) {
    const PatientRecord a = run(none, slot, 0), b = run(standard, slot, 0), c = run(strict, slot, 0);
    const double crcl_none = none.last_candidate().creatinine_clearance_ml_min;
    ASSERT_EQ(a.screened == b.screened, crcl_none >= 30) << slot;
    differ += a.screened != b.screened;
    ASSERT_GE(strict.last_candidate().creatinine_clearance_ml_min, 90) << slot;
    screened_standard += b.screened;
    screened_strict += c.screened;
  }
  // CrCl < 30 is rare in this young, light population (measured 0.03% of eligible patients
  // without the criterion): at most a handful of slots change.
  EXPECT_LE(differ, 5);
  EXPECT_GT(screened_strict, 1.2 * screened_standard);
  EXPECT_THROW(make("mechanistic: {exclusions: {renal_failure_crcl_ml_min: 151}}\n"), SettingsError);
  EXPECT_THROW(make("mechanistic: {exclusions: {renal_failure_crcl_ml_min: -1}}\n"), SettingsError);
}

TEST(MechPatient, ContinuousObservationGivesExactTimes) {
  auto m = make("trial: {visit_interval_days: 0}\n");
  int events = 0, off_grid = 0;
  for (std::uint64_t slot = 0; slot < 100; ++slot) {
    const PatientRecord r = run(m, slot, 0);
    // A true load already below the LLOQ at baseline (screened positive by assay error) is
    // negative at once; the others are seen at their exact crossing, off the day grid.
    if (!r.event || r.time_days < 0.5) continue;
    ++events;
    off_grid += std::fabs(r.time_days - std::round(r.time_days)) > 1e-6;
  }
  EXPECT_GT(events, 50);
  EXPECT_EQ(off_grid, events);
}

// --- plausibility against the literature (fixed seed) ---

struct ArmSummary {
  std::vector<double> times;  // observed time, +inf if never negative
  double by_day42 = 0, resistant_among_positive_d42 = 0, nk_fold_at_14 = 0;
};

ArmSummary simulate_arm(MechanisticPatient& m, std::uint8_t arm, int n) {
  ArmSummary s;
  int positive42 = 0, resistant_positive42 = 0;
  std::vector<double> nk_folds;
  for (std::uint64_t slot = 0; slot < static_cast<std::uint64_t>(n); ++slot) {
    const PatientRecord r = run(m, slot, arm);
    const bool negative42 = r.event && r.time_days <= 43.5;
    s.times.push_back(r.event ? r.time_days : INFINITY);
    s.by_day42 += negative42;
    if (!negative42 && !r.dropped_out) {
      ++positive42;
      resistant_positive42 += r.resistant;
    }
    if (r.time_days >= 13 && r.time_days <= 15.5 && !std::isnan(r.nk_change))
      nk_folds.push_back((r.nk_baseline + r.nk_change) / r.nk_baseline);
  }
  s.by_day42 /= n;
  s.resistant_among_positive_d42 = positive42 ? double(resistant_positive42) / positive42 : 0;
  s.nk_fold_at_14 = nk_folds.empty() ? 0 : median(nk_folds);
  return s;
}

TEST(MechPlausibility, UntreatedDoublingTimeAboutOneDay) {
  // Emery et al. J Exp Med 1999: doubling time of CMV in blood ~1 d (< 2 d); Emery 2002 R+
  // hosts 0.61/d (1.1 d). Median over virtual patients of ln2 / (rho - d0 g - kN g N0).
  auto m = make();
  std::vector<double> doubling;
  for (std::uint64_t slot = 0; slot < 1000; ++slot) {
    run(m, slot, 0);
    const auto& c = m.last_solver().coefficients();
    const double net = c.rho_s - c.d0 - c.kill * m.last_candidate().nk_cells_per_ul;
    doubling.push_back(net > 0 ? std::log(2.0) / net : INFINITY);
  }
  const double med = median(doubling);
  EXPECT_GT(med, 0.7);
  EXPECT_LT(med, 2.0);
}

TEST(MechPlausibility, ControlArmMedianTimeToNegativityTwoToFourWeeks) {
  // Target (docs/model.md [S16], [S7]; SLE series "controlled after 15 +- 6 d"; Ritchie 2019 74% < LLOQ at
  // day 30): median observed time 14-28 d with weekly visits. Weekly visits put the median on
  // a visit, so it is compared after rounding to the nominal week. n = 3000: the proportion
  // negative by the day-14 visit has SE ~0.009; it is required to lie in 0.35-0.75 (> 10 SE
  // from the calibrated ~0.6) and by day 28 in 0.65-0.95.
  auto m = make();
  const ArmSummary s = simulate_arm(m, 0, 3000);
  const double med_week = std::round(median(s.times) / 7) * 7;
  EXPECT_GE(med_week, 14);
  EXPECT_LE(med_week, 28);
  const auto share_by = [&](double day) {
    return double(std::count_if(s.times.begin(), s.times.end(), [&](double t) { return t <= day + 1.5; })) /
           double(s.times.size());
  };
  EXPECT_GT(share_by(14), 0.35);
  EXPECT_LT(share_by(14), 0.75);
  EXPECT_GT(share_by(28), 0.65);
  EXPECT_LT(share_by(28), 0.95);
  // Non-responder tail (docs/model.md: resistant virus, high steroid): some still positive at 6
  // weeks, and resistant virus is over-represented among them, at least twice its 10% share
  // at baseline. Not more is required: refractory CMV is often immune-driven rather than
  // resistant (Chemaly/Ljungman consensus definitions, docs/model.md [S20]).
  EXPECT_GT(1 - s.by_day42, 0.03);
  EXPECT_GT(s.resistant_among_positive_d42, 0.2);
}

TEST(MechPlausibility, NkRiseUnderLowDoseIl2) {
  // Low-dose IL-2: NK x1.5-2.5 within 1-2 weeks (docs/model.md [S26]; magnitude an assumption).
  // Median measured fold at the day-14 visit; MC SE of the median ~0.02 at n ~ 1000.
  auto m = make();
  const ArmSummary il2 = simulate_arm(m, 1, 3000), control = simulate_arm(m, 0, 3000);
  EXPECT_GT(il2.nk_fold_at_14, 1.5);
  EXPECT_LT(il2.nk_fold_at_14, 2.5);
  EXPECT_NEAR(control.nk_fold_at_14, 1.0, 0.05);
}

TEST(MechPlausibility, HalfLifeUnderOnceDailyGanciclovir) {
  // Emery 1999: ~1 d under twice-daily induction with frequent sampling; weekly-sampled
  // clinical decline under standard therapy 2-4 d (docs/model.md [S15], memory). Once-daily
  // 5 mg/kg is maintenance-level, so the first-week half-life of sensitive virus is expected
  // slower than 1 d: median required in 1.5-6 d.
  auto m = make("mechanistic: {resistance: {fraction: 0}}\ntrial: {visit_interval_days: 7}\n");
  std::vector<double> half_lives;
  for (std::uint64_t slot = 0; slot < 500; ++slot) {
    Trajectory tr;
    run(m, slot, 0, &tr);
    const auto at7 = std::find_if(tr.begin(), tr.end(), [](const TrajectoryPoint& p) { return p.time_days >= 6.99; });
    if (at7 == tr.end()) continue;
    const double drop = std::log(tr.front().viral_load / at7->viral_load);
    half_lives.push_back(drop > 0 ? at7->time_days * std::log(2.0) / drop : INFINITY);
  }
  const double med = median(half_lives);
  EXPECT_GT(med, 1.5);
  EXPECT_LT(med, 6.0);
}

TEST(MechPlausibility, AdverseEventRatesNearTheirSources) {
  // IL-2 arm: injection-site reaction 31% over 21 injections (He 2020); here courses are
  // shorter (~7-10 injections) so 10-25%. Neutropenia (any) ~20% by day 21 at typical exposure:
  // over shorter courses 8-25%. n = 2000, SE <= 0.01.
  auto m = make();
  int isr = 0, neutro = 0, isr_control = 0;
  const int n = 2000;
  for (std::uint64_t slot = 0; slot < n; ++slot) {
    const PatientRecord a = run(m, slot, 1), c = run(m, slot, 0);
    isr += a.adverse[static_cast<std::size_t>(AdverseEvent::injection_site_reaction)];
    isr_control += c.adverse[static_cast<std::size_t>(AdverseEvent::injection_site_reaction)];
    neutro += c.adverse[static_cast<std::size_t>(AdverseEvent::neutropenia)];
  }
  EXPECT_GT(isr / double(n), 0.10);
  EXPECT_LT(isr / double(n), 0.25);
  EXPECT_EQ(isr_control, 0);
  EXPECT_GT(neutro / double(n), 0.08);
  EXPECT_LT(neutro / double(n), 0.25);
}

}  // namespace
}  // namespace vtrial
