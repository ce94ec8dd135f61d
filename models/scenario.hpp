#pragma once
// The immutable description of one design: parsed and validated once, then passed down by
// const reference. Defaults and their meaning are documented in docs/scenario.md.
#include <cstdint>
#include <string>
#include <vector>

#include "models/enrollment.hpp"
#include "models/interim_analysis.hpp"
#include "models/mechanistic/mechanistic_params.hpp"

namespace vtrial {

class Settings;

enum class PatientModelKind { parametric, mechanistic };

struct TrialDesign {
  std::int64_t patients = 100;        // randomized, 1:1
  double follow_up_days = 84;         // maximum per patient
  double visit_interval_days = 7;     // 0 = continuous observation (exact times)
};

struct ParametricParams {
  double control_median_days_to_negative = 21;
  double shape = 1;                   // Weibull shape; 1 = exponential
  double il2_hazard_ratio = 1.5;      // hazard of becoming negative, IL-2 vs control
  double control_nk_change_mean = 0;  // cells/uL
  double il2_nk_change_mean = 30;
  double nk_change_sd = 60;
  // Candidates screened who are not eligible: 0.55 matches the mechanistic model's eligibility
  // (46% of screened candidates pass the protocol's criteria, docs/model.md).
  double screen_failure_probability = 0.55;
};

struct DropoutParams {
  double rate_per_year = 0.1;
};

enum class Multiplicity { fixed_sequence, holm };

struct AnalysisParams {
  double alpha = 0.05;  // two-sided
  std::vector<std::string> endpoints;      // computed per trial (default: all the model supports)
  std::string primary = "duration_of_viremia";
  std::vector<std::string> key_secondary;  // tested after the primary under `multiplicity`
  Multiplicity multiplicity = Multiplicity::fixed_sequence;
  InterimPlan interim;  // optional group-sequential monitoring of the primary endpoint
  bool descriptive = true;  // per-trial Kaplan-Meier medians and share negative by day 28
};

struct SimulationParams {
  std::int64_t trials = 10000;
  std::uint64_t seed = 20250520;
};

struct OutputParams {
  std::int64_t patient_trials = 1;
  std::int64_t trajectory_patients = 0;
};

struct Scenario {
  std::string name;
  PatientModelKind model = PatientModelKind::parametric;
  TrialDesign trial;
  ParametricParams parametric;
  MechanisticParams mechanistic;
  DropoutParams dropout;
  EnrollmentParams enrollment;
  AnalysisParams analysis;
  SimulationParams simulation;
  OutputParams output;
  std::string resolved_yaml;  // every key with its resolved value, stored in the HDF5 file
};

// Reads every key (so unknown ones are caught by Settings::finish), validates cross-key
// constraints, and returns the resolved scenario.
Scenario read_scenario(Settings& settings);

}  // namespace vtrial
