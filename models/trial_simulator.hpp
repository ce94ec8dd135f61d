#pragma once
// One simulated trial: randomize slots 0..n-1 (permuted blocks from the arms' ratios), run each patient's course,
// analyse. Slots are simulated in order and independently, so the first n patients of a larger trial are exactly the
// patients of a trial of size n (the basis of common-random-number sample-size sweeps).
#include <memory>
#include <span>
#include <vector>

#include "design/randomization.hpp"
#include "models/enrollment.hpp"
#include "models/patient_model.hpp"
#include "models/scenario.hpp"

namespace vtrial {

std::unique_ptr<PatientModel> make_patient_model(const Scenario& scenario);

class TrialSimulator {
 public:
  TrialSimulator(const Scenario& scenario, std::unique_ptr<PatientModel> model);
  explicit TrialSimulator(const Scenario& scenario);
  TrialSimulator(const TrialSimulator& other);
  TrialSimulator(TrialSimulator&&) noexcept = default;

  // Simulates slots [0, patients) of `trial`. When `trajectories` is given, the first
  // trajectories->size() patients record their course into it. Fields `outputs` does not ask
  // for may be left at their defaults (see OutputRequest).
  std::span<const PatientRecord> simulate(std::uint64_t trial, std::size_t patients,
                                          std::vector<Trajectory>* trajectories = nullptr,
                                          const OutputRequest& outputs = {});

  const PatientModel& model() const { return *model_; }

  // Simulates from now on under `scenario` (one trial's draw of its unknowns): the same design,
  // arms and ratios, another patient population. `scenario` must outlive the next simulate().
  // Only what `scenario` changes is built again: the patient model, the enrollment process.
  void rebind(const Scenario& scenario, bool model = true, bool enrollment = true);

  // A cohort of `patients` all given arm `arm`'s treatment, from the streams of `seed` (not the
  // trial's): the calibration cohort of models/calibration.hpp. Not enrolled. Valid until the
  // next call; does not touch the records simulate() returned.
  std::span<const PatientRecord> simulate_cohort(std::uint64_t seed, std::uint64_t trial, std::size_t patients,
                                                 std::uint8_t arm);

 private:
  const Scenario* scenario_;
  std::shared_ptr<const BlockDesign> blocks_;  // immutable, shared by the workers' copies
  BlockRandomization randomization_;
  std::unique_ptr<PatientModel> model_;
  EnrollmentProcess enrollment_;
  std::vector<PatientRecord> records_;
  std::vector<PatientRecord> cohort_;
};

}  // namespace vtrial
