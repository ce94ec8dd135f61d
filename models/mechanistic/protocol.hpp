#pragma once
// The trial protocol as one patient lives it (NCT06971913; docs/model.md, "Observation"): when
// ganciclovir is infused and when it is held, when IL-2 is injected, when the visits fall and
// when participation ends. It knows nothing of the virus, so another biology (or another
// protocol for the same biology) can be put beside it: MechanisticPatient takes its events in
// time order, reacts to each, and tells it what a visit found.
//
// The end of participation: a negative PCR at a visit; a visit after the dropout day (not
// attended: censored at the last attended visit, as models/visit_schedule.hpp); no visit left
// in the follow-up; or, under continuous observation (trial.visit_interval_days: 0), the exact
// time the load crosses the LLOQ (found by the biology while it integrates) or the end of
// follow-up or dropout, whichever comes first.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/event_calendar.hpp"
#include "engine/random_stream.hpp"
#include "models/mechanistic/mechanistic_params.hpp"
#include "models/mechanistic/treatment.hpp"
#include "models/patient_model.hpp"
#include "models/patient_record.hpp"
#include "models/scenario.hpp"
#include "models/stream_purpose.hpp"

namespace vtrial {

// Protocol and biology draw from the same slot's streams, each purpose its own.
inline RandomStream slot_stream(const PatientKey& key, StreamPurpose purpose) {
  return RandomStream({key.seed, key.trial, key.slot, purpose_id(purpose)});
}

enum class ProtocolEventKind : std::uint8_t { dose_start, dose_end, adverse_event, visit, sample, end };

struct ProtocolEvent {
  double time = 0;
  ProtocolEventKind kind = ProtocolEventKind::end;
  AdverseEvent adverse = AdverseEvent::count;  // adverse_event: which
  // adverse_event: an onset that a later hold moved (it comes again at its new time). It is
  // still handed out because the integrator lands a step on every event time: dropping it
  // would change the numbers of every patient with a hold.
  bool superseded = false;
  bool given = false;        // dose_start: false while dosing is held (the slot passes, no infusion)
  bool dropped_out = false;  // end
  bool assess = false;       // end: measured now (continuous observation), not (a missed visit)
  std::uint32_t visit = 0;   // visit: its number, 1-based
};

class PatientProtocol {
 public:
  PatientProtocol(const TrialDesign& design, const DropoutParams& dropout, const MechanisticParams& params);
  // Throws std::invalid_argument for no arms, or a treatment this protocol cannot give.
  static void check_arms(const std::vector<MechanisticTreatment>& arms, const MechanisticParams& params);

  // A new patient on `treatment`. Draws the dropout day and the first visit's window, and schedules dosing and the
  // first visit, or under continuous observation the end of follow-up.
  void start(const PatientKey& key, const MechanisticTreatment& treatment);

  // Onsets the biology drew, in the order it schedules them (equal times run in that order).
  // A cytopenia comes after `exposure_days` days of dosing, so holds push it later; an IL-2
  // reaction at the 1-based injection `injection` (0 = never; none on an arm without IL-2).
  // Either is dropped if due after the follow-up.
  void schedule_exposure_onset(AdverseEvent kind, double exposure_days);
  void schedule_at_injection(AdverseEvent kind, double injection);
  // Trajectory samples every `every_days`, from `every_days` on.
  void sample_every(double every_days);

  // The next event, or false once participation has ended or nothing is left. Dosing (two
  // events a day, most of all events) runs beside the calendar on two times, inline, which is
  // cheaper than a heap push and pop each; at equal times it comes first (priorities 0 and 1).
  bool next(ProtocolEvent& event) {
    if (ended_) return false;
    const double dosing_time = std::min(infusion_end_, next_dose_);
    if (dosing_time < kInf && (calendar_.empty() || dosing_time <= calendar_.next().time)) {
      dosing_event(dosing_time, event);
      return true;
    }
    return !calendar_.empty() && next_from_calendar(event);
  }

  // A severe cytopenia at t: ganciclovir stops for safety.hold_days (if > 0).
  void hold_dosing(double t);
  // What visit `visit` found: a negative PCR ends participation; otherwise the next visit is
  // booked (a draw from the visit-window stream), unless none fits in the follow-up.
  void visit_result(const ProtocolEvent& visit, bool pcr_negative);

  bool continuous_observation() const { return continuous_; }
  bool gives_il2() const { return treatment_.il2_dose_miu > 0; }
  const MechanisticTreatment& treatment() const { return treatment_; }
  double infusion_days() const { return infusion_days_; }
  double dose_interval_days() const { return dose_interval_days_; }
  double dropout_day() const { return dropout_day_; }
  std::uint32_t infusions_started() const { return infusions_; }  // diagnostics, this patient

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  // Calendar kinds: every event except dosing, which runs beside the calendar (next()).
  // The adverse events come first, in AdverseEvent's order, so the two convert by value.
  enum class Kind : std::uint8_t { neutropenia, thrombocytopenia, injection_site_reaction, fever, visit, sample, end };
  static_assert(static_cast<int>(Kind::fever) == static_cast<int>(AdverseEvent::fever) &&
                static_cast<int>(Kind::visit) == static_cast<int>(AdverseEvent::count));
  struct Payload {
    Kind kind;
    std::uint32_t index;  // visit number, or generation of a movable onset
  };
  static int priority(Kind kind);
  void schedule(double t, Kind kind, std::uint32_t index) { calendar_.schedule(t, priority(kind), {kind, index}); }
  double visit_time(std::uint32_t visit);
  bool next_from_calendar(ProtocolEvent& event);
  void dosing_event(double t, ProtocolEvent& event) {
    event.time = t;
    if (infusion_end_ <= next_dose_) {
      event.kind = ProtocolEventKind::dose_end;
      infusion_end_ = kInf;
      return;
    }
    event.kind = ProtocolEventKind::dose_start;
    event.given = t >= hold_until_;
    if (event.given) {
      infusion_end_ = t + infusion_days_;
      ++infusions_;
    }
    next_dose_ = t + dose_interval_days_;
  }

  // Fixed for the run.
  double visit_interval_days_;
  double follow_up_days_;
  double jitter_days_;
  double dropout_per_day_;
  double infusion_days_;
  double hold_days_;
  bool continuous_;

  // The patient.
  MechanisticTreatment treatment_;
  RandomStream jitter_{StreamKey{}};
  EventCalendar<Payload> calendar_;
  double dose_interval_days_ = 1;
  double dropout_day_ = kInf;
  double sample_days_ = 0;
  double next_dose_ = kInf, infusion_end_ = kInf;
  double hold_until_ = -kInf;
  // Movable onsets (neutropenia, thrombocytopenia): pending onset day, +inf once it has come
  // or never will, and the generation that is current on the calendar.
  double onset_day_[2] = {kInf, kInf};
  std::uint32_t generation_[2] = {0, 0};
  std::uint32_t infusions_ = 0;
  bool ended_ = false;
};

}  // namespace vtrial
