// Arms with their own treatment (models/mechanistic/treatment.hpp): common random numbers across
// any number of arms, the IL-2 dose-response normalized at the reference dose, an arm without
// ganciclovir, and the two-arm shorthand as the default.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/mechanistic/mechanistic_patient.hpp"
#include "models/mechanistic/nk_il2.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

const MechanisticTreatment kGcvOnly{.gcv_dose_mg_per_kg = 5, .gcv_interval_hours = 24, .il2_dose_miu = 0};
const MechanisticTreatment kIl2Half{.gcv_dose_mg_per_kg = 5, .gcv_interval_hours = 24, .il2_dose_miu = 0.5};
const MechanisticTreatment kIl2Full{.gcv_dose_mg_per_kg = 5, .gcv_interval_hours = 24, .il2_dose_miu = 1};

Scenario scenario(const std::string& extra_yaml = "") {
  return testing::scenario_from_yaml("model: mechanistic\n" + extra_yaml);
}

MechanisticPatient three_arms(const Scenario& sc) {
  return MechanisticPatient(sc.mechanistic, sc.trial, sc.dropout, {kGcvOnly, kIl2Half, kIl2Full});
}

PatientRecord run(MechanisticPatient& m, std::uint64_t slot, std::uint8_t arm, Trajectory* tr = nullptr) {
  PatientRecord r;
  r.arm = arm;
  m.simulate({3, 1, slot}, r, tr);
  return r;
}

std::vector<double> visit_times(const Trajectory& tr) {
  std::vector<double> times;
  for (const auto& p : tr)
    if (!std::isnan(p.observed_viral_load)) times.push_back(p.time_days);
  return times;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

TEST(MechArms, DoseFactorIsOneAtTheReferenceDose) {
  for (double ed50 : {0.01, 0.3, 1.0, 7.0, 100.0}) {
    EXPECT_EQ(il2_dose_factor(1, 1, ed50), 1.0) << ed50;
    EXPECT_EQ(il2_dose_factor(0.7, 0.7, ed50), 1.0) << ed50;
    EXPECT_EQ(il2_dose_factor(0, 1, ed50), 0.0) << ed50;
  }
  EXPECT_EQ(il2_dose_factor(0.5, 1, 1), (0.5 / 1.5) / (1.0 / 2));
  EXPECT_LT(il2_dose_factor(0.5, 1, 1), 1.0);
  EXPECT_GT(il2_dose_factor(2, 1, 1), 1.0);  // above the reference, up to (ref + ED50) / ref
}

TEST(MechArms, SameDrawsPerSlotOnEveryArm) {
  const Scenario sc = scenario();
  auto m = three_arms(sc);
  int compared_visits = 0;
  for (std::uint64_t slot = 0; slot < 60; ++slot) {
    Trajectory tr[3];
    PatientRecord r[3];
    MechanisticPatient::KineticsSetup s[3];
    Candidate c[3];
    double dropout_day[3];
    for (std::uint8_t arm = 0; arm < 3; ++arm) {
      r[arm] = run(m, slot, arm, &tr[arm]);
      s[arm] = m.last_setup();
      c[arm] = m.last_candidate();
      dropout_day[arm] = m.last_protocol().dropout_day();
    }
    for (int arm = 1; arm < 3; ++arm) {
      // Screening, between-patient variability, the baseline NK measurement, dropout.
      EXPECT_EQ(r[arm].screened, r[0].screened);
      EXPECT_EQ(c[arm].weight_kg, c[0].weight_kg);
      EXPECT_EQ(c[arm].log10_viral_load, c[0].log10_viral_load);
      EXPECT_EQ(r[arm].resistant, r[0].resistant);
      EXPECT_EQ(r[arm].nk_baseline, r[0].nk_baseline);
      EXPECT_EQ(s[arm].coef.rho_s, s[0].coef.rho_s);
      EXPECT_EQ(s[arm].coef.kill, s[0].coef.kill);
      EXPECT_EQ(s[arm].k_per_day, s[0].k_per_day);
      EXPECT_EQ(s[arm].ln_vr0, s[0].ln_vr0);
      EXPECT_EQ(s[arm].infusion_rate, s[0].infusion_rate);  // same ganciclovir on all three
      EXPECT_EQ(dropout_day[arm], dropout_day[0]);
      // Visit windows: every visit both arms attended falls at the same time.
      const auto a = visit_times(tr[0]), b = visit_times(tr[arm]);
      for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k, ++compared_visits)
        EXPECT_EQ(a[k], b[k]) << "slot " << slot << " visit " << k + 1;
    }
  }
  EXPECT_GT(compared_visits, 200);
}

TEST(MechArms, ArmsDifferOnlyThroughIl2) {
  // IL-2 doing nothing (effect_scale 0 also zeroes its reactions): the three arms are the same
  // patients with the same numbers, so every record and trajectory agrees bit for bit. An arm
  // that drew one number more or less anywhere would drift apart.
  const Scenario sc = scenario("mechanistic: {il2: {effect_scale: 0}}\n");
  auto m = three_arms(sc);
  for (std::uint64_t slot = 0; slot < 100; ++slot) {
    Trajectory tr0, tr;
    const PatientRecord a = run(m, slot, 0, &tr0);
    for (std::uint8_t arm = 1; arm < 3; ++arm) {
      tr.clear();
      const PatientRecord b = run(m, slot, arm, &tr);
      ASSERT_EQ(a.time_days, b.time_days) << slot;
      EXPECT_EQ(a.event, b.event);
      EXPECT_EQ(a.dropped_out, b.dropped_out);
      EXPECT_TRUE(same(a.nk_change, b.nk_change));
      EXPECT_TRUE(same(a.sledai_change, b.sledai_change));
      EXPECT_EQ(a.adverse, b.adverse);
      ASSERT_EQ(tr0.size(), tr.size());
      for (std::size_t k = 0; k < tr.size(); ++k) {
        EXPECT_EQ(tr0[k].viral_load, tr[k].viral_load);
        EXPECT_EQ(tr0[k].nk_cells, tr[k].nk_cells);
      }
    }
  }
}

TEST(MechArms, NkTargetFollowsTheDose) {
  const Scenario sc = scenario();
  auto m = three_arms(sc);
  const auto& i = sc.mechanistic.il2;
  const double scale = sc.mechanistic.il2_effect_scale;
  for (std::uint64_t slot = 0; slot < 50; ++slot) {
    double target[3];
    for (std::uint8_t arm = 0; arm < 3; ++arm) {
      run(m, slot, arm);
      target[arm] = m.last_setup().nk_target;
    }
    const double n0 = m.last_setup().nk0;
    EXPECT_EQ(target[0], n0);
    EXPECT_GT(target[1], target[0]);
    EXPECT_LT(target[1], target[2]);
    // The reference dose gives the two-arm formula's bits; half of it the Emax fraction.
    EXPECT_EQ(target[2], n0 * (1 + (i.nk_fold_rise - 1) * scale));
    EXPECT_EQ(target[1], n0 * (1 + (i.nk_fold_rise - 1) * scale * ((0.5 / 1.5) / (1.0 / 2))));
  }
}

TEST(MechArms, ArmWithoutGanciclovirGetsNoInfusion) {
  const Scenario sc = scenario();
  const MechanisticTreatment none{.gcv_dose_mg_per_kg = 0, .gcv_interval_hours = 24, .il2_dose_miu = 1};
  MechanisticPatient m(sc.mechanistic, sc.trial, sc.dropout, {kGcvOnly, none});
  int treated_infusions = 0;
  for (std::uint64_t slot = 0; slot < 30; ++slot) {
    run(m, slot, 0);
    treated_infusions += static_cast<int>(m.last_protocol().infusions_started());
    Trajectory tr;
    const PatientRecord r = run(m, slot, 1, &tr);
    EXPECT_EQ(m.last_protocol().infusions_started(), 0u) << slot;
    EXPECT_EQ(m.last_setup().infusion_rate, 0.0);
    for (const auto& p : tr) ASSERT_EQ(p.gcv_concentration, 0.0) << slot << " at " << p.time_days;
    // Cytopenias follow exposure, so none either.
    EXPECT_EQ(r.adverse[static_cast<std::size_t>(AdverseEvent::neutropenia)], 0);
    EXPECT_EQ(r.adverse[static_cast<std::size_t>(AdverseEvent::thrombocytopenia)], 0);
  }
  EXPECT_GT(treated_infusions, 30 * 7);  // the treated arm did infuse, daily
}

TEST(MechArms, TwoArmShorthandIsTheDefault) {
  // The three-argument constructor and the factory build {ganciclovir; ganciclovir + IL-2 at
  // mechanistic.il2.dose_miu}: the same records as the explicit vector.
  for (const std::string yaml : {"", "mechanistic: {il2: {dose_miu: 0.5, interval_days: 3}}\n"}) {
    const Scenario sc = scenario(yaml);
    MechanisticTreatment il2 = kGcvOnly;
    il2.il2_dose_miu = sc.mechanistic.il2.dose_miu;
    il2.il2_interval_days = sc.mechanistic.il2.interval_days;
    MechanisticPatient implicit(sc.mechanistic, sc.trial, sc.dropout);
    MechanisticPatient explicit_arms(sc.mechanistic, sc.trial, sc.dropout, {kGcvOnly, il2});
    auto factory = make_mechanistic_patient(sc);
    ASSERT_EQ(implicit.arms().size(), 2u);
    EXPECT_EQ(implicit.arms()[0].il2_dose_miu, 0);
    EXPECT_EQ(implicit.arms()[1].il2_dose_miu, sc.mechanistic.il2.dose_miu);
    for (std::uint64_t slot = 0; slot < 40; ++slot) {
      for (std::uint8_t arm = 0; arm < 2; ++arm) {
        const PatientRecord a = run(implicit, slot, arm), b = run(explicit_arms, slot, arm);
        PatientRecord c;
        c.arm = arm;
        factory->simulate({3, 1, slot}, c, nullptr);
        EXPECT_EQ(a.time_days, b.time_days);
        EXPECT_EQ(a.time_days, c.time_days);
        EXPECT_TRUE(same(a.nk_change, b.nk_change) && same(a.nk_change, c.nk_change));
        EXPECT_EQ(a.adverse, b.adverse);
      }
    }
  }
}

TEST(MechArms, DoseSettingsAreRead) {
  const Scenario sc = scenario();
  EXPECT_EQ(sc.mechanistic.il2.reference_dose_miu, 1);
  EXPECT_EQ(sc.mechanistic.il2.nk_ed50_miu, 1);
  EXPECT_EQ(sc.mechanistic.il2.dose_miu, 1);
  const Scenario set = scenario("mechanistic: {il2: {reference_dose_miu: 2, nk_ed50_miu: 0.5, dose_miu: 0}}\n");
  EXPECT_EQ(set.mechanistic.il2.reference_dose_miu, 2);
  EXPECT_EQ(set.mechanistic.il2.nk_ed50_miu, 0.5);
  EXPECT_EQ(set.mechanistic.il2.dose_miu, 0);
  EXPECT_NO_THROW(scenario("mechanistic: {il2: {reference_dose_miu: 100, nk_ed50_miu: 100, dose_miu: 100}}\n"));
  EXPECT_THROW(scenario("mechanistic: {il2: {reference_dose_miu: 0}}\n"), SettingsError);
  EXPECT_THROW(scenario("mechanistic: {il2: {nk_ed50_miu: 0}}\n"), SettingsError);
  EXPECT_THROW(scenario("mechanistic: {il2: {dose_miu: 100.5}}\n"), SettingsError);
  EXPECT_THROW(scenario("mechanistic: {il2: {dose_miu: -1}}\n"), SettingsError);
}

TEST(MechArms, ImpossibleArmsAreRefused) {
  const Scenario sc = scenario();
  const auto build = [&](std::vector<MechanisticTreatment> arms) {
    return MechanisticPatient(sc.mechanistic, sc.trial, sc.dropout, std::move(arms));
  };
  EXPECT_THROW(build({}), std::invalid_argument);
  MechanisticTreatment t = kGcvOnly;
  t.gcv_interval_hours = sc.mechanistic.gcv.infusion_hours;  // two infusions would overlap
  EXPECT_THROW(build({t}), std::invalid_argument);
  t = kIl2Full;
  t.il2_interval_days = 0;
  EXPECT_THROW(build({t}), std::invalid_argument);
  t = kGcvOnly;
  t.il2_dose_miu = -1;
  EXPECT_THROW(build({t}), std::invalid_argument);
  auto one = build({kGcvOnly});
  EXPECT_NO_THROW(run(one, 0, 0));
  EXPECT_THROW(run(one, 0, 1), std::out_of_range);
}

}  // namespace
}  // namespace vtrial
