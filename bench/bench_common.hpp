#pragma once
// Shared by the benchmark files: scenarios built from YAML text through the same validation
// users go through, so a benchmark measures exactly what `vtrial run` runs.
#include <cstdint>
#include <string>

#include "engine/settings.hpp"
#include "models/scenario.hpp"

namespace vtrial::bench {

inline Scenario scenario_from_yaml(const std::string& yaml) {
  Settings settings = Settings::from_string(yaml, "bench.yaml");
  return read_scenario(settings);
}

// The registered trial (scenarios/nct06971913.yaml): 100 patients, weekly visits (hence tied
// event times), 12 weeks of follow-up, exponential time to negativity, HR 1.5.
inline Scenario parametric_scenario(std::int64_t patients = 100, std::int64_t trials = 1000) {
  return scenario_from_yaml(
      "name: bench\n"
      "model: parametric\n"
      "trial:\n"
      "  patients: " + std::to_string(patients) + "\n"
      "  follow_up_days: 84\n"
      "  visit_interval_days: 7\n"
      "parametric:\n"
      "  control:\n"
      "    median_days_to_negative: 21\n"
      "  il2:\n"
      "    hazard_ratio: 1.5\n"
      "dropout:\n"
      "  rate_per_year: 0.1\n"
      "simulation:\n"
      "  trials: " + std::to_string(trials) + "\n"
      "  seed: 20250520\n"
      "output:\n"
      "  patient_trials: 0\n");
}

}  // namespace vtrial::bench
