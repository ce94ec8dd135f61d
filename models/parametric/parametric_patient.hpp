#pragma once
// The parametric patient: time to CMV negativity from a Weibull distribution whose hazard is
// multiplied by the arm's hazard ratio (proportional hazards), NK change from a normal
// distribution with the arm's mean. Quick what-ifs, and the model the engine is checked against closed
// forms and peers with.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "models/patient_model.hpp"
#include "models/scenario.hpp"

namespace vtrial {

class ParametricPatient final : public PatientModel {
 public:
  // One effect per arm, indexed by PatientRecord::arm (at most kMaxArms).
  ParametricPatient(const ParametricParams& params, const TrialDesign& design, const DropoutParams& dropout,
                    const std::vector<ParametricArmEffect>& arms);
  // The two-arm shorthand: arm 0 control, arm 1 parametric.il2.*.
  ParametricPatient(const ParametricParams& params, const TrialDesign& design, const DropoutParams& dropout);
  static constexpr std::size_t kMaxArms = 16;
  void simulate(const PatientKey& key, PatientRecord& out, Trajectory* trajectory) override;
  void simulate_slots(std::uint64_t seed, std::uint64_t trial, std::span<PatientRecord> records) override;
  std::unique_ptr<PatientModel> clone() const override { return std::make_unique<ParametricPatient>(*this); }

 private:
  ParametricParams params_;
  TrialDesign design_;
  double weibull_scale_days_;  // control arm: S(t) = exp(-(t/scale)^shape)
  double inverse_shape_;
  double dropout_per_day_;
  double mean_days_to_dropout_;  // 1 / dropout_per_day_ (infinite without dropout)
  double screen_failure_scale_;  // -1 / log(screen-failure probability), for geometric draws
  // By arm: 1 / hazard ratio (1 for the control), and the NK change mean. Arms are random, so
  // a branch on the arm would mispredict; a table lookup does not.
  std::array<double, kMaxArms> inverse_hazard_multiplier_{};
  std::array<double, kMaxArms> nk_change_mean_{};
  // The course of slot `slot` of the trial whose hash (RandomStream::trial_hash) is given.
  // Inlined into the batch loop (only this model's .cpp calls it).
  inline void simulate_slot(std::uint64_t trial_hash, std::uint64_t slot, PatientRecord& out) const;
  // RandomStream::trial_hash of the last (seed, trial) seen: slots of one trial come in a row.
  std::uint64_t hashed_seed_ = 0, hashed_trial_ = 0, trial_hash_ = 0;
  bool have_trial_hash_ = false;
};

}  // namespace vtrial
