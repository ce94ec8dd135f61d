#include "models/parametric/parametric_patient.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/random/normal_distribution.hpp>

#include "engine/random_stream.hpp"
#include "models/stream_purpose.hpp"
#include "models/visit_schedule.hpp"

namespace vtrial {

ParametricPatient::ParametricPatient(const ParametricParams& params, const TrialDesign& design,
                                     const DropoutParams& dropout)
    : params_(params),
      design_(design),
      // median = scale * ln(2)^(1/shape)
      weibull_scale_days_(params.control_median_days_to_negative / std::pow(std::log(2.0), 1.0 / params.shape)),
      dropout_per_day_(dropout.rate_per_year / 365.25),
      inverse_log_screen_failure_(params.screen_failure_probability > 0 ? 1 / std::log(params.screen_failure_probability)
                                                                        : 0),
      hazard_multiplier_{1.0, params.il2_hazard_ratio},
      nk_change_mean_{params.control_nk_change_mean, params.il2_nk_change_mean} {}

void ParametricPatient::simulate(const PatientKey& key, PatientRecord& out, Trajectory*) {
  // One unit-exponential per purpose: the same person in either arm, so the arm changes only
  // the hazard, never the draw (common random numbers).
  // Every purpose below takes one draw (the normal almost always), so each is computed from
  // half its stream's seeding (PatientStreams::first_uniform_open01, FirstDrawStream); the
  // numbers are those of the full streams, bit for bit.
  if (!have_trial_hash_ || key.seed != hashed_seed_ || key.trial != hashed_trial_) {
    trial_hash_ = RandomStream::trial_hash(key.seed, key.trial);
    hashed_seed_ = key.seed;
    hashed_trial_ = key.trial;
    have_trial_hash_ = true;
  }
  const PatientStreams streams = PatientStreams::in_trial(trial_hash_, key.slot);
  const double e = -std::log(streams.first_uniform_open01(purpose_id(StreamPurpose::time_to_negative)));
  // Arms are random, so a branch on the arm mispredicts half the time; a table lookup does
  // not (and e / 1.0 == e, so always dividing changes no bit).
  const std::size_t arm = out.arm == 1 ? 1 : 0;
  const double hazard_multiplier = hazard_multiplier_[arm];
  // Proportional hazards on a Weibull: S1(t) = S0(t)^HR  =>  T1 = scale * (E / HR)^(1/shape).
  // pow(x, 1) == x exactly, so skipping pow for the exponential (shape 1) changes no bit.
  const double inverse_shape = 1.0 / params_.shape;
  const double scaled = e / hazard_multiplier;
  const double true_negative_day = weibull_scale_days_ * (inverse_shape == 1.0 ? scaled : std::pow(scaled, inverse_shape));

  double dropout_day = std::numeric_limits<double>::infinity();
  if (dropout_per_day_ > 0) {
    dropout_day = -std::log(streams.first_uniform_open01(purpose_id(StreamPurpose::dropout))) / dropout_per_day_;
  }
  const ObservedCourse seen =
      observe_course(true_negative_day, dropout_day, design_.follow_up_days, design_.visit_interval_days);
  out.time_days = seen.time_days;
  out.event = seen.event ? 1 : 0;
  out.dropped_out = seen.dropped_out ? 1 : 0;

  FirstDrawStream nk_stream = streams.first_draw_stream(purpose_id(StreamPurpose::nk_change));
  boost::random::normal_distribution<double> standard_normal(0.0, 1.0);
  const double z = standard_normal(nk_stream);
  out.nk_change = nk_change_mean_[arm] + params_.nk_change_sd * z;
  // Screen failures before this slot's eligible candidate: geometric, by inversion of one draw.
  out.screened = 1;
  if (params_.screen_failure_probability > 0) {
    const double failures = std::floor(std::log(streams.first_uniform_open01(purpose_id(StreamPurpose::screening))) *
                                       inverse_log_screen_failure_);
    out.screened = static_cast<std::uint32_t>(std::min(failures, 1e6)) + 1;
  }
}

}  // namespace vtrial
