#include "models/trial_simulator.hpp"

#include <stdexcept>

#include "models/mechanistic/mechanistic_patient.hpp"
#include "models/parametric/parametric_patient.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {
namespace {

// Copied into each slot before the model fills it. `r = PatientRecord{}` built the record in
// stack scratch with stores of mixed widths and then reloaded it in 16-byte pieces, a
// store-forwarding stall per slot that was most of TrialSimulator::simulate's own time.
constexpr PatientRecord kFreshRecord{};

std::shared_ptr<const BlockDesign> block_design(const Scenario& scenario) {
  std::vector<std::int64_t> ratios;
  for (const auto& arm : scenario.arms) ratios.push_back(arm.ratio);
  return std::make_shared<const BlockDesign>(ratios, scenario.block_size);
}

}  // namespace

std::unique_ptr<PatientModel> make_patient_model(const Scenario& scenario) {
  switch (scenario.model) {
    case PatientModelKind::parametric: {
      std::vector<ParametricArmEffect> effects;
      for (const auto& t : scenario.treatments) effects.push_back(t.parametric);
      return std::make_unique<ParametricPatient>(scenario.parametric, scenario.trial, scenario.dropout, effects);
    }
    case PatientModelKind::mechanistic: {
      std::vector<MechanisticTreatment> treatments;
      for (const auto& t : scenario.treatments) treatments.push_back(t.mechanistic);
      return make_mechanistic_patient(scenario, treatments);
    }
  }
  throw std::logic_error("unknown patient model");
}

TrialSimulator::TrialSimulator(const Scenario& scenario, std::unique_ptr<PatientModel> model)
    : scenario_(&scenario),
      blocks_(block_design(scenario)),
      randomization_(*blocks_, purpose_id(StreamPurpose::randomization)),
      model_(std::move(model)),
      enrollment_(scenario.enrollment) {}

TrialSimulator::TrialSimulator(const Scenario& scenario) : TrialSimulator(scenario, make_patient_model(scenario)) {}

TrialSimulator::TrialSimulator(const TrialSimulator& other)
    : scenario_(other.scenario_),
      blocks_(other.blocks_),
      randomization_(*blocks_, purpose_id(StreamPurpose::randomization)),
      model_(other.model_->clone()),
      enrollment_(other.enrollment_),
      records_(other.records_) {}

void TrialSimulator::rebind(const Scenario& scenario, bool model, bool enrollment) {
  scenario_ = &scenario;
  if (model) model_ = make_patient_model(scenario);
  if (enrollment) enrollment_ = EnrollmentProcess(scenario.enrollment);
}

std::span<const PatientRecord> TrialSimulator::simulate_cohort(std::uint64_t seed, std::uint64_t trial,
                                                               std::size_t patients, std::uint8_t arm) {
  cohort_.resize(patients);
  for (auto& r : cohort_) {
    r = kFreshRecord;
    r.arm = arm;
  }
  model_->simulate_slots(seed, trial, cohort_);
  return cohort_;
}

std::span<const PatientRecord> TrialSimulator::simulate(std::uint64_t trial, std::size_t patients,
                                                        std::vector<Trajectory>* trajectories,
                                                        const OutputRequest& outputs) {
  records_.resize(patients);
  model_->request(outputs);
  randomization_.reset(scenario_->simulation.seed, trial);
  for (std::size_t k = 0; k < patients; ++k) {
    PatientRecord& r = records_[k];
    r = kFreshRecord;
    r.arm = randomization_.arm(k);
  }
  const std::uint64_t seed = scenario_->simulation.seed;
  if (trajectories && !trajectories->empty()) {
    for (std::size_t k = 0; k < patients; ++k) {
      Trajectory* trace = k < trajectories->size() ? &(*trajectories)[k] : nullptr;
      model_->simulate({seed, trial, k}, records_[k], trace);
    }
  } else {
    model_->simulate_slots(seed, trial, records_);
  }
  enrollment_.schedule(scenario_->simulation.seed, trial, records_);
  return records_;
}

}  // namespace vtrial
