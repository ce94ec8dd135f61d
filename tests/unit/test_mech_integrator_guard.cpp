// The integrator's own bound, behind the loader's ranges (issue 16, class 2): a parameter set
// whose error estimate is NaN at every step (an EC50 of 1e-300, which the loader now refuses)
// used to shrink the step for ever. Set past the loader here, the adaptive integrator must end in
// an error at once. The quadrature has no step to shrink: it integrates the same patient (its
// Emax term is then 1 wherever Ce > 0) and returns finite results.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/mechanistic/mechanistic_patient.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

Scenario extreme_ec50(const std::string& integrator) {
  Scenario sc = testing::scenario_from_yaml(
      "model: mechanistic\nmechanistic:\n  numerics:\n    integrator: " + integrator + "\n");
  sc.mechanistic.gcv.ec50_mg_per_l = 1e-300;  // beyond the range read_scenario accepts
  return sc;
}

TEST(MechIntegratorGuard, CollapsedStepIsAnErrorNotAHang) {
  const Scenario sc = extreme_ec50("adaptive");
  MechanisticPatient patient(sc.mechanistic, sc.trial, sc.dropout);
  PatientRecord record;
  record.arm = 0;
  try {
    patient.simulate({7, 0, 0}, record, nullptr);
    FAIL() << "a patient with EC50 1e-300 was integrated";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the step size collapsed"), std::string::npos) << e.what();
  }
}

TEST(MechIntegratorGuard, QuadratureIntegratesTheSamePatient) {
  const Scenario sc = extreme_ec50("quadrature");
  MechanisticPatient patient(sc.mechanistic, sc.trial, sc.dropout);
  PatientRecord record;
  record.arm = 0;
  patient.simulate({7, 0, 0}, record, nullptr);
  EXPECT_TRUE(std::isfinite(patient.last_quadrature().ln_v_total()));
  EXPECT_EQ(record.event, 1);  // full drug effect from the first infusion: negative
}

}  // namespace
}  // namespace vtrial
