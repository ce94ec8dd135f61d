// When a group-sequential trial stops at an interim look, it ends that day: the per-trial
// calendar and screening columns (and so P(finish by the deadline) and the patients screened
// that the committee reads) must count nothing after the stop. The same trials run as a fixed
// design (common random numbers: the same patients) are the reference.
#include <gtest/gtest.h>

#include <cstddef>

#include "app/simulation.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

constexpr const char* kStrongEffect = R"(
model: parametric
parametric: {il2: {hazard_ratio: 2.5}}
simulation: {trials: 400, seed: 303}
)";

TEST(TrialEnd, AnInterimStopEndsAccrualScreeningAndFollowUp) {
  const Scenario fixed = testing::scenario_from_yaml(kStrongEffect);
  const Scenario gs = testing::scenario_from_yaml(std::string(kStrongEffect) +
                                                  "analysis: {interim: {enabled: true, fractions: [0.5]}}\n");
  const SimulationResult a = simulate_scenario(fixed, {2, false});
  const SimulationResult b = simulate_scenario(gs, {2, false});
  const double deadline = gs.enrollment.deadline_days();
  std::size_t stopped = 0;
  for (std::size_t t = 0; t < b.trials.rows(); ++t) {
    const double look = b.trials.column("gs_stop_look")[t];
    const double stop_day = b.trials.column("gs_stop_day")[t];
    const auto col = [&](const SimulationResult& r, const char* name) { return r.trials.column(name)[t]; };
    if (look == 0) {  // stopped at the interim (look 1 of 2)
      ++stopped;
      EXPECT_EQ(col(b, "last_visit_days"), stop_day) << t;
      EXPECT_LE(col(b, "enrollment_days"), stop_day) << t;
      EXPECT_EQ(col(b, "completed_by_deadline"), stop_day <= deadline ? 1.0 : 0.0) << t;
      EXPECT_LE(col(b, "screened"), col(a, "screened")) << t;
      // Screening stops with accrual: fewer candidates when patients were still to come.
      if (col(a, "enrollment_days") > stop_day) {
        EXPECT_LT(col(b, "screened"), col(a, "screened")) << t;
      }
    } else {  // ran to the final analysis: the fixed design's calendar
      for (const char* name : {"last_visit_days", "enrollment_days", "screened", "completed_by_deadline"})
        EXPECT_EQ(col(b, name), col(a, name)) << name << " trial " << t;
    }
  }
  // HR 2.5 stops about half the trials at the interim (test_interim_analysis.cpp): both
  // branches above are exercised.
  EXPECT_GT(stopped, 100u);
  EXPECT_LT(stopped, 380u);
  EXPECT_GT(b.design.p_completed_by_deadline, a.design.p_completed_by_deadline);
  EXPECT_LT(b.design.mean_screened, a.design.mean_screened);
}

}  // namespace
}  // namespace vtrial
