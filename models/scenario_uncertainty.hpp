#pragma once
// Priors on what nobody knows (`uncertainty:`): each names a real-valued key of the patient
// population (parametric.*, mechanistic.*, enrollment.*, dropout.*, an arm's treatment) and a
// distribution. Every trial draws its own values once, from its own keyed streams, and its
// patients are then simulated under them; power over the trials becomes the assurance (the
// probability of success averaged over the priors; O'Hagan, Stevens & Campbell 2005).
// Patient slot k keeps its streams whatever the draw: common random numbers across draws.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/settings.hpp"
#include "engine/uncertainty/joint_prior.hpp"
#include "models/scenario.hpp"

namespace vtrial {

struct ScenarioUncertainty {
  std::vector<std::string> keys;  // scenario keys, in the order of uncertainty.priors
  JointPrior prior;
  std::vector<double> correlation;  // row-major k x k, empty when independent
  std::int64_t bins = 10;           // of the conditional power per key (prior quantiles)
  unsigned parts = 0;               // PopulationPart: where the keys are
  // The full read of the scenario, replayed per trial with the drawn values.
  std::shared_ptr<const Settings> settings;
};

// Reads `uncertainty:` (null when absent). `population_keys` are the keys read_patient_population
// read: a prior may vary only those that are real-valued.
std::shared_ptr<const ScenarioUncertainty> read_uncertainty(Settings& settings,
                                                            const std::vector<std::string>& population_keys);

// At load, after finish(): replays the population with each prior at its ends (its 1e-9 and
// 1 - 1e-9 quantiles, the others at their medians), so cross-key constraints and the eligible
// share are checked where draws can reach, and a prior that breaks them is refused naming it.
void check_uncertain_scenario(Settings& settings, Scenario& scenario);

// One worker's scenario for trial after trial: draws the trial's unknowns and re-reads the
// population under them into its own copy of the scenario.
class UncertainScenario {
 public:
  explicit UncertainScenario(const Scenario& base);
  UncertainScenario(const UncertainScenario& other);
  UncertainScenario& operator=(const UncertainScenario&) = delete;

  // Trial `trial`'s scenario (valid until the next call) and its drawn values.
  const Scenario& for_trial(std::uint64_t trial);
  // Whether the last for_trial drew other values than the one before (false: the same scenario,
  // as every trial of a point-mass prior has, so what was built from it still holds).
  bool changed() const { return changed_; }
  // The scenario of the last for_trial call.
  const Scenario& for_trial_again() const { return scenario_; }
  // The scenario with the given values (one per key), for checks and tests.
  const Scenario& with_values(std::span<const double> values);
  std::span<const double> values() const { return values_; }
  // Whether a draw changes the patient model, the enrollment process.
  bool changes_model() const { return (parts_ & ~unsigned(enrollment_part)) != 0; }
  bool changes_enrollment() const { return (parts_ & enrollment_part) != 0; }

 private:
  Scenario scenario_;
  Settings replay_;
  unsigned parts_;  // of the population the keys are in
  std::vector<double> values_;
  std::vector<double> read_values_;  // what scenario_ was last read with; empty: not read yet
  bool changed_ = true;
};

}  // namespace vtrial
