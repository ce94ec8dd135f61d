#pragma once
// Optional interim analyses of the primary endpoint (log-rank on the duration of CMV viremia)
// in a group-sequential design: two-sided efficacy boundaries by Lan-DeMets alpha spending
// (O'Brien-Fleming-type or Pocock-type, engine/stats/group_sequential) and a non-binding
// futility rule. The trial stops at the first look whose boundary is crossed; the expected
// sample size counts only the patients randomized by the stopping day (the later slots of the
// simulated trial would never have been enrolled).
//
// Looks. With timing "information" look j is held on the calendar day when ceil(f_j N) of the
// N patients have completed participation (completion day = randomization_day + time_days,
// whether the patient ended with an event or censored); with timing "calendar" on day d_j
// after the study start. The final look is held when every patient has completed and sees the
// full data, so its z is the fixed design's log-rank statistic.
//
// Data at a look on day tau (observe_at_day): only patients randomized by tau; a patient's
// follow-up is tau - randomization_day (capped at the protocol's follow-up); an event counts if
// it was observed by then, otherwise the patient is censored at the earlier of the final
// censoring time and the last visit at or before the follow-up.
//
// Boundaries. Timing "information": computed once, at the planned fractions f_1..f_{K-1}, 1.
// Timing "calendar": the planned fraction of a calendar look is unknown, so each trial spends
// alpha by its observed information, t_j = events at look j / events at the final look (the
// usual spending-by-observed-information approach; the simulation knows the final count),
// rounded to 0.01. A calendar look that adds no information (t_j <= t_{j-1}, e.g. no event yet)
// or already has all of it (t_j = 1, e.g. held after the last event) is skipped: no test, no
// alpha spent there. Boundary sets are cached by the rounded fractions (at most 99 with one
// interim, 4851 with two), so results never depend on the cache or the thread; a miss costs
// one efficacy_boundaries() call (grid r = 16: ~0.3-0.7 ms with one interim held, ~1.5-3 ms
// with two) and allocates, so calendar timing allocates until the cache is warm. Information
// timing allocates nothing after the first trial.
//
// Decisions at look j (z signed so that > 0 favours IL-2: O_1 > E_1, the IL-2 arm clears
// faster): reject H0 if |z| >= c_j (two-sided, like the fixed design's test); otherwise, at an
// interim, stop for futility if the rule is on and z < futility_z. The futility rule is
// non-binding: the efficacy boundaries ignore it, so ignoring or obeying it keeps the type I
// error at or below alpha.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/result_table.hpp"
#include "engine/stats/group_sequential.hpp"
#include "engine/stats/logrank.hpp"
#include "models/patient_record.hpp"

namespace vtrial {

class Settings;

struct InterimPlan {
  bool enabled = false;                     // analysis.interim.enabled
  std::string timing = "information";       // analysis.interim.timing: information | calendar
  std::vector<double> fractions = {0.5};    // analysis.interim.fractions: in (0, 1), increasing
  std::vector<double> days = {};            // analysis.interim.days: > 0, increasing (calendar)
  std::string spending = "obrien_fleming";  // analysis.interim.spending: obrien_fleming | pocock
  bool futility = true;                     // analysis.interim.futility (non-binding)
  double futility_z = 0.0;                  // analysis.interim.futility_z: stop if z < this
};

// Reads every analysis.interim key, even when disabled (so misspelt keys are still caught),
// and checks the lists (strictly increasing; non-empty for the timing in use when enabled).
InterimPlan read_interim_plan(Settings& settings);

// What a look on calendar day `tau` knows about one patient.
struct InterimObservation {
  bool randomized = false;  // randomization_day <= tau; the other fields are meaningful only if so
  double time_days = 0;
  bool event = false;
};
InterimObservation observe_at_day(const PatientRecord& patient, double tau, double visit_interval_days,
                                  double follow_up_days);

class GroupSequentialMonitor {
 public:
  // A disabled plan gives a single (final) look: the fixed design.
  GroupSequentialMonitor(const InterimPlan& plan, double alpha, double visit_interval_days, double follow_up_days);

  // gs_stop_look: 0-based look at which the trial stopped (looks() - 1 = the final analysis);
  // gs_reject: 0/1, H0 rejected at some look; gs_futility_stop: 0/1, stopped at an interim by
  // the futility rule; gs_stop_day: day of the stopping look (days since the study start);
  // gs_patients: randomized by that day; gs_events: events seen at that look; gs_z: the signed
  // log-rank z at that look.
  static std::vector<ColumnSpec> columns();

  // `patients` = all N slots of the trial, randomization_day set. Writes the columns() values
  // into `row` (row.size() >= columns().size()). Allocates nothing once warm (see above).
  void evaluate(std::span<const PatientRecord> patients, std::span<double> row);

  std::size_t looks() const { return looks_; }  // interims + the final analysis
  // For the last evaluate() (before any: the planned boundaries; calendar timing: NaN).
  // boundaries()[j] is c_j, NaN for a calendar look that was skipped; look_days()[j] and
  // look_z()[j] are set for the looks held up to the stop (NaN otherwise).
  std::span<const double> boundaries() const { return boundaries_; }
  std::span<const double> look_days() const { return look_days_; }
  std::span<const double> look_z() const { return look_z_; }
  // Calendar timing: how many distinct boundary sets have been computed and cached.
  std::size_t cached_boundary_sets() const { return boundary_cache_.size(); }

 private:
  struct LookData {
    double z = 0;
    double events = 0;
    double patients = 0;
  };
  LookData analyze_at(std::span<const PatientRecord> patients, double tau);
  void calendar_boundaries(std::span<const PatientRecord> patients, double final_day);

  bool calendar_;
  std::vector<double> fractions_;  // planned interim fractions (information timing)
  std::vector<double> days_;       // interim days (calendar timing)
  SpendingFunction spending_;
  bool futility_;
  double futility_z_;
  double alpha_;
  double visit_interval_days_;
  double follow_up_days_;
  std::size_t looks_;

  // Per-trial state and scratch, reused so the per-trial path does not allocate.
  std::vector<double> boundaries_, look_days_, look_z_;
  std::vector<double> completion_;
  std::vector<double> time_;
  std::vector<std::uint8_t> event_, group_;
  LogRankWorkspace logrank_;
  // Calendar timing: rounded interim information fractions (in 1/100) -> boundaries of all
  // looks (NaN where skipped).
  std::vector<std::uint32_t> key_;
  std::vector<double> kept_fractions_;
  std::vector<std::size_t> kept_looks_;
  std::map<std::vector<std::uint32_t>, std::vector<double>> boundary_cache_;
};

}  // namespace vtrial
