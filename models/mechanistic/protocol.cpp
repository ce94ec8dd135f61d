#include "models/mechanistic/protocol.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace vtrial {
namespace {

std::size_t onset_slot(AdverseEvent kind) { return kind == AdverseEvent::neutropenia ? 0 : 1; }

}  // namespace

PatientProtocol::PatientProtocol(const TrialDesign& design, const DropoutParams& dropout,
                                 const MechanisticParams& params)
    : visit_interval_days_(design.visit_interval_days),
      follow_up_days_(design.follow_up_days),
      // Capped so that consecutive visit windows never overlap and visits keep their order.
      jitter_days_(std::min(params.visit_jitter_days, 0.45 * design.visit_interval_days)),
      dropout_per_day_(dropout.rate_per_year / 365.25),
      infusion_days_(params.gcv.infusion_hours / 24),
      hold_days_(params.safety.hold_days),
      continuous_(!(design.visit_interval_days > 0)) {
  calendar_.reserve(64);
}

void PatientProtocol::check_arms(const std::vector<MechanisticTreatment>& arms, const MechanisticParams& p) {
  if (arms.empty()) throw std::invalid_argument("mechanistic model: no arm has a treatment");
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const auto& t = arms[a];
    const std::string arm = "mechanistic model, arm " + std::to_string(a) + ": ";
    if (!(t.gcv_dose_mg_per_kg >= 0) || !(t.il2_dose_miu >= 0))
      throw std::invalid_argument(arm + "doses must be zero or positive");
    // At most one infusion may be pending: dosing keeps one infusion end.
    if (t.gcv_dose_mg_per_kg > 0 && !(t.gcv_interval_hours > p.gcv.infusion_hours))
      throw std::invalid_argument(arm + "the ganciclovir interval must be longer than mechanistic.gcv.infusion_hours");
    if (t.il2_dose_miu > 0 && !(t.il2_interval_days > 0))
      throw std::invalid_argument(arm + "the IL-2 interval must be positive");
  }
}

// Priorities at equal times: a dose given at a visit's instant counts before the sample, and
// the end of continuous observation comes after everything else at its instant.
int PatientProtocol::priority(Kind kind) {
  switch (kind) {
    case Kind::neutropenia:
    case Kind::thrombocytopenia:
    case Kind::injection_site_reaction:
    case Kind::fever:
      return 2;  // dosing: 0 (infusion end), 1 (infusion start)
    case Kind::visit:
      return 3;
    case Kind::sample:
      return 4;
    case Kind::end:
      return 5;
  }
  return 6;
}

double PatientProtocol::visit_time(std::uint32_t visit) {
  return visit * visit_interval_days_ + jitter_days_ * (2 * jitter_.uniform_open01() - 1);
}

void PatientProtocol::start(const PatientKey& key, const MechanisticTreatment& treatment) {
  treatment_ = treatment;
  calendar_.clear();
  dose_interval_days_ = treatment.gcv_interval_hours / 24;
  dropout_day_ = kInf;
  if (dropout_per_day_ > 0) {
    RandomStream dropout = slot_stream(key, StreamPurpose::dropout);
    dropout_day_ = -std::log(dropout.uniform_open01()) / dropout_per_day_;
  }
  jitter_.reseed({key.seed, key.trial, key.slot, purpose_id(StreamPurpose::visit_jitter)});
  // Dosing from day 0; at most one infusion is pending (infusion shorter than the interval).
  next_dose_ = treatment.gcv_dose_mg_per_kg > 0 ? 0.0 : kInf;
  infusion_end_ = kInf;
  hold_until_ = -kInf;
  onset_day_[0] = onset_day_[1] = kInf;
  generation_[0] = generation_[1] = 0;
  sample_days_ = 0;
  infusions_ = 0;
  ended_ = false;
  if (continuous_) {
    schedule(std::min(follow_up_days_, dropout_day_), Kind::end, 0);
  } else if (visit_interval_days_ > follow_up_days_ + 1e-9) {
    ended_ = true;  // no visit fits in the follow-up (read_scenario forbids this): baseline only
  } else {
    schedule(visit_time(1), Kind::visit, 1);
  }
}

void PatientProtocol::schedule_exposure_onset(AdverseEvent kind, double exposure_days) {
  // Dosing starts at day 0, so until a hold the onset's day is its exposure. One beyond the
  // follow-up is kept: a hold may still move it, and then it is booked at its new day.
  const std::size_t s = onset_slot(kind);
  onset_day_[s] = exposure_days;
  if (exposure_days < follow_up_days_) schedule(exposure_days, static_cast<Kind>(kind), generation_[s]);
}

void PatientProtocol::schedule_at_injection(AdverseEvent kind, double injection) {
  if (!gives_il2() || !(injection > 0)) return;
  const double t = (injection - 1) * treatment_.il2_interval_days;  // injections from day 0
  if (t < follow_up_days_) schedule(t, static_cast<Kind>(kind), 0);
}

void PatientProtocol::sample_every(double every_days) {
  sample_days_ = every_days;
  schedule(every_days, Kind::sample, 0);
}

bool PatientProtocol::next_from_calendar(ProtocolEvent& event) {
  const auto popped = calendar_.pop();
  event.time = popped.time;
  const std::uint32_t index = popped.payload.index;
  switch (popped.payload.kind) {
    case Kind::neutropenia:
    case Kind::thrombocytopenia: {
      const auto kind = static_cast<AdverseEvent>(popped.payload.kind);
      const std::size_t s = onset_slot(kind);
      event.kind = ProtocolEventKind::adverse_event;
      event.adverse = kind;
      event.superseded = index != generation_[s];
      if (!event.superseded) onset_day_[s] = kInf;  // it has come: later holds leave it
      return true;
    }
    case Kind::injection_site_reaction:
    case Kind::fever:
      event.kind = ProtocolEventKind::adverse_event;
      event.adverse = static_cast<AdverseEvent>(popped.payload.kind);
      event.superseded = false;
      return true;
    case Kind::visit:
      // Attended only if still in the study (visit_schedule.hpp: a visit on the dropout day counts).
      if (event.time > dropout_day_) {
        event.kind = ProtocolEventKind::end;
        event.dropped_out = true;
        event.assess = false;
        ended_ = true;
        return true;
      }
      event.kind = ProtocolEventKind::visit;
      event.visit = index;
      return true;
    case Kind::sample:
      event.kind = ProtocolEventKind::sample;
      schedule(event.time + sample_days_, Kind::sample, 0);
      return true;
    case Kind::end:
      // Continuous observation, still positive: censored now, after a last assessment.
      event.kind = ProtocolEventKind::end;
      event.dropped_out = dropout_day_ < follow_up_days_;
      event.assess = true;
      ended_ = true;
      return true;
  }
  return false;
}

void PatientProtocol::hold_dosing(double t) {
  if (!(hold_days_ > 0)) return;
  // Exposure-driven hazards pause with dosing, so pending onsets move later by the time the
  // hold adds (a hold within a hold extends it).
  const double new_hold = t + hold_days_;
  const double shift = new_hold - std::max(hold_until_, t);
  hold_until_ = new_hold;
  for (std::size_t s = 0; s < 2; ++s) {
    if (!std::isfinite(onset_day_[s])) continue;
    onset_day_[s] += shift;
    schedule(onset_day_[s], s == 0 ? Kind::neutropenia : Kind::thrombocytopenia, ++generation_[s]);
  }
}

void PatientProtocol::visit_result(const ProtocolEvent& visit, bool pcr_negative) {
  if (pcr_negative) {
    ended_ = true;  // protocol: a negative test for CMV DNA ends treatment and follow-up
    return;
  }
  const std::uint32_t following = visit.visit + 1;
  if (following * visit_interval_days_ > follow_up_days_ + 1e-9) {
    ended_ = true;  // end of follow-up: censored at this visit
    return;
  }
  schedule(visit_time(following), Kind::visit, following);
}

}  // namespace vtrial
