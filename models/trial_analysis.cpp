#include "models/trial_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/outcomes.hpp"

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNegativeByDay = 28;  // the protocol's 4-week look at CMV clearance

std::size_t outcome_index(const std::string& name) {
  const auto& outcomes = trial_outcomes();
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    if (outcomes[i].name == name) return i;
  return outcomes.size();
}

}  // namespace

TrialAnalysis::TrialAnalysis(const Scenario& scenario)
    : deadline_days_(scenario.enrollment.deadline_days()),
      descriptive_(scenario.analysis.descriptive),
      arms_(scenario.arms.size()),
      endpoints_(scenario.arms, trial_outcomes(), scenario.endpoints, scenario.analysis.family,
                 scenario.analysis.alpha),
      schema_(endpoints_.schema()) {
  const auto& read = endpoints_.outcomes_read();
  for (std::size_t i = 0; i < read.size(); ++i)
    if (read[i] && i != kTimeToNegative) outcomes_read_.push_back(i);
  outputs_read_.nk_change = read[outcome_index("nk_change")];
  data_.outcomes.resize(read.size());

  const auto& a = scenario.analysis;
  if (a.interim.enabled) {
    monitor_.emplace(a.interim, a.alpha, scenario.trial.visit_interval_days, scenario.trial.follow_up_days);
    const auto gs_columns = GroupSequentialMonitor::columns();
    monitor_row_.resize(gs_columns.size());
    gs_reject_column_ = column_index(gs_columns, "gs_reject");
    gs_z_column_ = column_index(gs_columns, "gs_z");
    gs_stop_look_column_ = column_index(gs_columns, "gs_stop_look");
    gs_stop_day_column_ = column_index(gs_columns, "gs_stop_day");
    // The group-sequential design's own power: rejection at any look (gs_reject).
    const auto& primary = scenario.endpoints[a.family.endpoints.front()];
    schema_.add_power({"group_sequential", PowerKind::group_sequential, primary.name,
                       comparison_label(scenario.arms, primary.comparisons.front()), primary.test, primary.outcome,
                       "z"});
  }
  // Kaplan-Meier summaries of the time to negativity, per arm (NaN when not reached).
  for (const auto& arm : scenario.arms)
    for (const char* part : {"", "_low", "_high"})
      schema_.add_column({"km_median_" + arm.name + part, ColumnType::real, ValueRole::descriptive, "", "", arm.name});
  for (const auto& arm : scenario.arms)
    schema_.add_column({"negative_by_day28_" + arm.name, ColumnType::real, ValueRole::descriptive, "", "", arm.name});
  for (const char* name : {"events", "patients", "screened"})
    schema_.add_column({name, ColumnType::integer, ValueRole::trial, "", "", ""});
  schema_.add_column({"enrollment_days", ColumnType::real, ValueRole::trial, "", "", ""});
  schema_.add_column({"last_visit_days", ColumnType::real, ValueRole::trial, "", "", ""});
  schema_.add_column({"enrolled_by_deadline", ColumnType::integer, ValueRole::trial, "", "", ""});
  schema_.add_column({"completed_by_deadline", ColumnType::integer, ValueRole::trial, "", "", ""});
  if (monitor_)
    for (const auto& spec : GroupSequentialMonitor::columns())
      schema_.add_column({spec.name, spec.type, ValueRole::monitor, "", "", ""});
}

void TrialAnalysis::analyze(std::span<const PatientRecord> patients, std::span<double> row) {
  // The arms and the time to negativity (read by every trial's bookkeeping) in one pass; the
  // other outcomes only when an endpoint reads them.
  const std::size_t n = patients.size();
  OutcomeColumn& negative = data_.outcomes[kTimeToNegative];
  arm_.resize(n);
  negative.value.resize(n);
  negative.flag.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    arm_[i] = patients[i].arm;
    negative.value[i] = patients[i].time_days;
    negative.flag[i] = patients[i].event;
  }
  data_.arm = arm_;
  for (const std::size_t o : outcomes_read_) read_outcome(o, patients, data_.outcomes[o]);
  endpoints_.analyze(data_, row);
  std::size_t c = endpoints_.schema().columns.size();
  if (monitor_) {
    // The monitor sees every patient of the trial, with calendar times; its decision columns
    // go after the trial's own, and its overall rejection is the design's endpoint here.
    monitor_->evaluate(patients, monitor_row_);
    row[c++] = kNaN;
    row[c++] = monitor_row_[gs_z_column_];
    row[c++] = monitor_row_[gs_reject_column_] != 0 ? 1.0 : 0.0;
  }

  if (descriptive_) {
    for (std::size_t a = 0; a < arms_; ++a) {
      const MedianSurvival m = km_median(negative.value, negative.flag, arm_, static_cast<std::uint8_t>(a), km_);
      row[c++] = m.median;
      row[c++] = m.lower;
      row[c++] = m.upper;
    }
    for (std::size_t a = 0; a < arms_; ++a) {
      const SurvivalEstimate s =
          km_survival_at(negative.value, negative.flag, arm_, static_cast<std::uint8_t>(a), kNegativeByDay, km_);
      row[c++] = 1 - s.survival;
    }
  } else {
    for (std::size_t i = 0; i < 4 * arms_; ++i) row[c++] = kNaN;
  }

  // A trial stopped at an interim look ends on that day: accrual and screening stop, and
  // nobody is followed further. Without a stop (or for a fixed design) it ends at the last visit.
  double stop_day = kInf;
  if (monitor_ && monitor_row_[gs_stop_look_column_] + 1 < static_cast<double>(monitor_->looks()))
    stop_day = monitor_row_[gs_stop_day_column_];
  double events = 0, screened = 0, last_randomization = 0, last_visit = 0;
  for (const auto& p : patients) {
    events += p.event;
    if (p.randomization_day <= stop_day) screened += p.screened;
    last_randomization = std::max(last_randomization, p.randomization_day);
    last_visit = std::max(last_visit, p.randomization_day + p.time_days);
  }
  last_randomization = std::min(last_randomization, stop_day);
  last_visit = std::min(last_visit, stop_day);
  row[c++] = events;
  row[c++] = static_cast<double>(n);
  row[c++] = screened;
  row[c++] = last_randomization;
  row[c++] = last_visit;
  row[c++] = last_randomization <= deadline_days_ ? 1.0 : 0.0;
  row[c++] = last_visit <= deadline_days_ ? 1.0 : 0.0;
  if (monitor_)
    for (double v : monitor_row_) row[c++] = v;
}

}  // namespace vtrial
