#include "models/parametric/parametric_patient.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine/random_stream.hpp"
#include "engine/random_variates.hpp"
#include "models/stream_purpose.hpp"
#include "models/visit_schedule.hpp"

namespace vtrial {

ParametricPatient::ParametricPatient(const ParametricParams& params, const TrialDesign& design,
                                     const DropoutParams& dropout, const std::vector<ParametricArmEffect>& arms)
    : params_(params),
      design_(design),
      // median = scale * ln(2)^(1/shape)
      weibull_scale_days_(params.control_median_days_to_negative / std::pow(std::log(2.0), 1.0 / params.shape)),
      inverse_shape_(1.0 / params.shape),
      dropout_per_day_(dropout.rate_per_year / 365.25),
      mean_days_to_dropout_(1 / dropout_per_day_),
      screen_failure_scale_(params.screen_failure_probability > 0 ? -1 / std::log(params.screen_failure_probability)
                                                                  : 0) {
  if (arms.empty() || arms.size() > kMaxArms) throw std::invalid_argument("parametric model: 1 to 16 arms");
  for (std::size_t a = 0; a < arms.size(); ++a) {
    inverse_hazard_multiplier_[a] = 1 / arms[a].hazard_ratio;
    nk_change_mean_[a] = arms[a].nk_change_mean;
  }
}

ParametricPatient::ParametricPatient(const ParametricParams& params, const TrialDesign& design,
                                     const DropoutParams& dropout)
    : ParametricPatient(params, design, dropout,
                        {{1.0, params.control_nk_change_mean}, {params.il2_hazard_ratio, params.il2_nk_change_mean}}) {}

[[gnu::always_inline]] inline void ParametricPatient::simulate_slot(std::uint64_t trial_hash, std::uint64_t slot,
                                                                    PatientRecord& out) const {
  // One standard exponential per purpose: the same person in either arm, so the arm changes
  // only the hazard, never the draw (common random numbers).
  // Every purpose below usually takes one draw (ziggurat exponentials and normals need a
  // second in ~1 % of calls), so each reads a FirstDrawStream: its first word is one mixing
  // round from the trial's hash, and a full stream is built only for a second draw.
  FirstDrawStream event_stream(trial_hash, slot, purpose_id(StreamPurpose::time_to_negative));
  const double e = standard_exponential(event_stream);
  const std::size_t arm = out.arm % kMaxArms;
  // Proportional hazards on a Weibull: S1(t) = S0(t)^HR  =>  T1 = scale * (E / HR)^(1/shape),
  // a monotone function of the one exponential E. pow is skipped for the exponential (shape 1).
  const double scaled = e * inverse_hazard_multiplier_[arm];
  const double true_negative_day =
      weibull_scale_days_ * (inverse_shape_ == 1.0 ? scaled : std::pow(scaled, inverse_shape_));

  double dropout_day = std::numeric_limits<double>::infinity();
  if (dropout_per_day_ > 0) {
    FirstDrawStream dropout_stream(trial_hash, slot, purpose_id(StreamPurpose::dropout));
    dropout_day = standard_exponential(dropout_stream) * mean_days_to_dropout_;
  }
  const ObservedCourse seen =
      observe_course(true_negative_day, dropout_day, design_.follow_up_days, design_.visit_interval_days);
  out.time_days = seen.time_days;
  out.event = seen.event ? 1 : 0;
  out.dropped_out = seen.dropped_out ? 1 : 0;

  if (outputs_.nk_change) {
    FirstDrawStream nk_stream(trial_hash, slot, purpose_id(StreamPurpose::nk_change));
    out.nk_change = nk_change_mean_[arm] + params_.nk_change_sd * standard_normal(nk_stream);
  }
  // Screen failures before this slot's eligible candidate: geometric with failure probability
  // p, as floor(E / -log p) for a standard exponential E (P(floor(E / -log p) >= k) = p^k).
  out.screened = 1;
  if (params_.screen_failure_probability > 0) {
    FirstDrawStream screening_stream(trial_hash, slot, purpose_id(StreamPurpose::screening));
    const double failures = std::floor(standard_exponential(screening_stream) * screen_failure_scale_);
    out.screened = static_cast<std::uint32_t>(std::min(failures, 1e6)) + 1;
  }
}

void ParametricPatient::simulate(const PatientKey& key, PatientRecord& out, Trajectory*) {
  if (!have_trial_hash_ || key.seed != hashed_seed_ || key.trial != hashed_trial_) {
    trial_hash_ = RandomStream::trial_hash(key.seed, key.trial);
    hashed_seed_ = key.seed;
    hashed_trial_ = key.trial;
    have_trial_hash_ = true;
  }
  simulate_slot(trial_hash_, key.slot, out);
}

void ParametricPatient::simulate_slots(std::uint64_t seed, std::uint64_t trial, std::span<PatientRecord> records) {
  const std::uint64_t trial_hash = RandomStream::trial_hash(seed, trial);
  for (std::size_t k = 0; k < records.size(); ++k) simulate_slot(trial_hash, k, records[k]);
}

}  // namespace vtrial
