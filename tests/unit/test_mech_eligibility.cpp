// Criteria that admit almost no one are refused when the scenario is loaded (issue 16, class 2:
// such a scenario used to pass validation and fail mid-run, when a patient's screening hit its
// 100,000-candidate limit). The load-time estimate is checked against the screening the trial
// itself does.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "models/mechanistic/population.hpp"
#include "models/stream_purpose.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

std::string load_error(const std::string& yaml) {
  try {
    testing::scenario_from_yaml(yaml);
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

// The estimate (2,000 pilot candidates, exclusions exact) against the eligible share of 40,000
// candidates from trial screening streams. Binomial SEs of both added in quadrature; 4 SE.
TEST(MechEligibility, LoadTimeEstimateMatchesTheTrialScreening) {
  for (const char* extra : {"", "mechanistic:\n  exclusions:\n    other_infection: 0.9\n",
                            "mechanistic:\n  population:\n    weight_median_kg: 90\n"}) {
    const Scenario sc = testing::scenario_from_yaml(std::string("model: mechanistic\n") + extra);
    const double estimate = estimated_eligible_share(sc.mechanistic, 2000);
    constexpr int kDrawn = 40000;
    int eligible = 0;
    for (int slot = 0; slot < kDrawn; ++slot) {
      RandomStream stream({99, 0, static_cast<std::uint64_t>(slot), purpose_id(StreamPurpose::screening)});
      eligible += is_eligible(draw_candidate(stream, sc.mechanistic), sc.mechanistic) ? 1 : 0;
    }
    const double actual = static_cast<double>(eligible) / kDrawn;
    const double se = std::sqrt(actual * (1 - actual) * (1.0 / 2000 + 1.0 / kDrawn));
    EXPECT_NEAR(estimate, actual, 4 * se + 1e-9) << extra;
    EXPECT_GT(actual, 0.001) << extra;  // each case is one the loader must accept
  }
}

TEST(MechEligibility, CriteriaAdmittingAlmostNoOneAreRefusedAtLoad) {
  for (const char* extra : {"  exclusions:\n    cancer: 1\n", "  exclusions:\n    other_trial: 0.9995\n",
                            "  population:\n    weight_median_kg: 200\n", "  virus:\n    log10_v0_mean: 0\n",
                            "  population:\n    prednisone_median_mg_per_day: 500\n"}) {
    const std::string message = load_error(std::string("model: mechanistic\nmechanistic:\n") + extra);
    EXPECT_NE(message.find("mechanistic.exclusions: with mechanistic.population.*"), std::string::npos) << message;
    EXPECT_NE(message.find("at least 0.1% must pass"), std::string::npos) << message;
  }
  // The parametric model screens by its own probability: the mechanistic criteria do not apply.
  EXPECT_EQ(load_error("model: parametric\nmechanistic:\n  exclusions:\n    cancer: 1\n"), "");
}

}  // namespace
}  // namespace vtrial
