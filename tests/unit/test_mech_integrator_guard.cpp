// The integrator's own bound, behind the loader's ranges (issue 16, class 2): a parameter set
// whose error estimate is NaN at every step (an EC50 of 1e-300, which the loader now refuses)
// used to shrink the step for ever. Set past the loader here, it must end in an error at once.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "models/mechanistic/mechanistic_patient.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

TEST(MechIntegratorGuard, CollapsedStepIsAnErrorNotAHang) {
  Scenario sc = testing::scenario_from_yaml("model: mechanistic\n");
  sc.mechanistic.gcv.ec50_mg_per_l = 1e-300;  // beyond the range read_scenario accepts
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

}  // namespace
}  // namespace vtrial
