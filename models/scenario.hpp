#pragma once
// The immutable description of one design: parsed and validated once, then passed down by
// const reference. Defaults and their meaning are documented in docs/scenario.md.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "design/arms.hpp"
#include "design/endpoint.hpp"
#include "design/family.hpp"
#include "models/enrollment.hpp"
#include "models/interim_analysis.hpp"
#include "models/mechanistic/mechanistic_params.hpp"
#include "models/mechanistic/treatment.hpp"

namespace vtrial {

class Settings;
struct ScenarioUncertainty;
struct CalibrationSpec;

enum class PatientModelKind { parametric, mechanistic };

struct TrialDesign {
  std::int64_t patients = 100;     // randomized by permuted blocks from the arms' ratios
  double follow_up_days = 84;      // maximum per patient
  double visit_interval_days = 7;  // 0 = continuous observation (exact times)
};

struct ParametricParams {
  double control_median_days_to_negative = 21;
  double shape = 1;  // Weibull shape; 1 = exponential
  // The two-arm shorthand's IL-2 arm (parametric.il2.*); with `arms:` each arm has its own.
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

// What one arm gives the parametric patient, relative to the control arm's distributions.
struct ParametricArmEffect {
  double hazard_ratio = 1;    // of becoming negative, vs control
  double nk_change_mean = 0;  // cells/uL (the arm's own mean, not a difference)
};

// One arm's treatment, as each patient model reads it.
struct ArmTreatment {
  ParametricArmEffect parametric;
  MechanisticTreatment mechanistic;
};

struct AnalysisParams {
  double alpha = 0.05;                 // two-sided
  std::vector<std::string> endpoints;  // names of the computed endpoints (analysis.endpoints)
  std::string primary;
  std::vector<std::string> key_secondary;  // tested after the primary
  FamilySpec family;                       // the same, as indices into Scenario::endpoints
  InterimPlan interim;                     // optional group-sequential monitoring of the primary endpoint
  bool descriptive = true;                 // per-trial Kaplan-Meier medians and share negative by day 28
  // Each trial simulated a second time under the null (every arm given the control's treatment,
  // the same patients): each value's type-I error beside its power. Doubles the simulation.
  bool type1_error = false;
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
  std::vector<Arm> arms;                 // `arms:`, or the two-arm shorthand {control, il2}
  std::vector<ArmTreatment> treatments;  // one per arm
  std::int64_t block_size = 4;           // randomization.block_size
  std::vector<EndpointSpec> endpoints;   // the computed ones, in order
  ParametricParams parametric;
  MechanisticParams mechanistic;
  DropoutParams dropout;
  EnrollmentParams enrollment;
  AnalysisParams analysis;
  SimulationParams simulation;
  OutputParams output;
  std::string resolved_yaml;  // every key with its resolved value, stored in the HDF5 file
  // Priors on some of the population's keys (`uncertainty:`), drawn once per trial; null
  // without them (models/scenario_uncertainty.hpp).
  std::shared_ptr<const ScenarioUncertainty> uncertainty;
  // Targets from published data that weight the trials' draws (`calibration:`), or null
  // (models/calibration.hpp).
  std::shared_ptr<const CalibrationSpec> calibration;
};

// Reads every key (so unknown ones are caught by Settings::finish), validates cross-key
// constraints, and returns the resolved scenario.
Scenario read_scenario(Settings& settings);
// The part of read_scenario that priors may vary: parametric.*, mechanistic.*, enrollment.*,
// dropout.* and the arms' treatments, read into `scenario` (a trial's draw replays it). A
// replay reads only the parts its keys are in (the arms' treatments derive from the first two).
enum PopulationPart : unsigned { parametric_part = 1, mechanistic_part = 2, enrollment_part = 4, dropout_part = 8,
                                 arms_part = 16, every_part = 31 };
unsigned population_parts_of(const std::string& key);
void read_patient_population(Settings& settings, Scenario& scenario, unsigned parts = every_part);

// The null of a design: `null` takes `scenario`'s population with every arm given the control
// arm's treatment, so the same patients (common random numbers) see no effect but chance. Only
// the population parts are copied: `null` is a copy of the scenario made once.
void make_null_population(const Scenario& scenario, Scenario& null);

}  // namespace vtrial
