#include "models/trial_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/stats/fisher_exact.hpp"
#include "engine/stats/welch_t.hpp"

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Kaplan-Meier summaries of the time to negativity, per arm (NaN when not reached).
constexpr const char* kDescriptiveColumns[] = {
    "km_median_control", "km_median_control_low", "km_median_control_high",    "km_median_il2",
    "km_median_il2_low", "km_median_il2_high",    "negative_by_day28_control", "negative_by_day28_il2",
};

AdverseEvent adverse_event_of(EndpointKind kind) {
  switch (kind) {
    case EndpointKind::ae_neutropenia:
      return AdverseEvent::neutropenia;
    case EndpointKind::ae_thrombocytopenia:
      return AdverseEvent::thrombocytopenia;
    case EndpointKind::ae_injection_site_reaction:
      return AdverseEvent::injection_site_reaction;
    default:
      return AdverseEvent::fever;
  }
}

}  // namespace

TrialAnalysis::TrialAnalysis(const Scenario& scenario)
    : alpha_(scenario.analysis.alpha),
      deadline_days_(scenario.enrollment.deadline_days()),
      descriptive_(scenario.analysis.descriptive),
      multiplicity_(scenario.analysis.multiplicity) {
  const auto& a = scenario.analysis;
  for (const auto& name : a.endpoints) {
    const EndpointKind kind = endpoint_info(name).kind;
    kinds_.push_back(kind);
    power_endpoints_.push_back(name);
    // Mirrors the dispatch in run(): which scratch column each kind reads.
    if (kind == EndpointKind::nk_welch || kind == EndpointKind::nk_wilcoxon)
      uses_nk_ = true;
    else if (kind == EndpointKind::clinical_response)
      uses_response_ = true;
    else if (kind != EndpointKind::duration_logrank && kind != EndpointKind::duration_cox_wald &&
             kind != EndpointKind::duration_cox_lr)
      uses_adverse_[static_cast<std::size_t>(adverse_event_of(kind))] = true;
  }
  const auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(a.endpoints.begin(), a.endpoints.end(), name) - a.endpoints.begin());
  };
  family_.push_back(index_of(a.primary));
  for (const auto& name : a.key_secondary) family_.push_back(index_of(name));
  power_endpoints_.push_back("primary_wins");
  power_endpoints_.push_back("all_key_secondaries_win");
  if (a.interim.enabled) {
    monitor_.emplace(a.interim, alpha_, scenario.trial.visit_interval_days, scenario.trial.follow_up_days);
    const auto gs_columns = GroupSequentialMonitor::columns();
    monitor_row_.resize(gs_columns.size());
    for (std::size_t i = 0; i < gs_columns.size(); ++i) {
      if (gs_columns[i].name == "gs_reject") gs_reject_column_ = i;
      if (gs_columns[i].name == "gs_z") gs_z_column_ = i;
      if (gs_columns[i].name == "gs_stop_look") gs_stop_look_column_ = i;
      if (gs_columns[i].name == "gs_stop_day") gs_stop_day_column_ = i;
    }
    // The group-sequential design's own power: rejection at any look (gs_reject).
    power_endpoints_.push_back("group_sequential");
  }
  p_values_.resize(kinds_.size());
  family_p_.resize(family_.size());
  family_adjusted_.resize(family_.size());
}

std::vector<ColumnSpec> TrialAnalysis::columns() const {
  std::vector<ColumnSpec> cols;
  for (const auto& e : power_endpoints_) {
    cols.push_back({e + "_p", ColumnType::real});
    cols.push_back({e + "_estimate", ColumnType::real});
    cols.push_back({e + "_reject", ColumnType::integer});
  }
  for (const char* name : kDescriptiveColumns) cols.push_back({name, ColumnType::real});
  for (const char* name : {"events", "patients", "screened"}) cols.push_back({name, ColumnType::integer});
  cols.push_back({"enrollment_days", ColumnType::real});
  cols.push_back({"last_visit_days", ColumnType::real});
  cols.push_back({"enrolled_by_deadline", ColumnType::integer});
  cols.push_back({"completed_by_deadline", ColumnType::integer});
  if (monitor_)
    for (const auto& spec : GroupSequentialMonitor::columns()) cols.push_back(spec);
  return cols;
}

void TrialAnalysis::prepare(std::span<const PatientRecord> patients) {
  // Survival columns are read by the survival endpoints and the descriptive summaries; the
  // others only by their own endpoints, so columns no chosen endpoint reads stay empty.
  const std::size_t n = patients.size();
  time_.resize(n);
  event_.resize(n);
  group_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    time_[i] = patients[i].time_days;
    event_[i] = patients[i].event;
    group_[i] = patients[i].arm;
  }
  nk_control_.clear();
  nk_il2_.clear();
  if (uses_nk_)
    for (const auto& p : patients)
      if (!std::isnan(p.nk_change)) (p.arm == 1 ? nk_il2_ : nk_control_).push_back(p.nk_change);
  response_.clear();
  if (uses_response_)
    for (const auto& p : patients) response_.push_back(p.clinical_response);
  for (std::size_t a = 0; a < kAdverseEventKinds; ++a) {
    adverse_[a].clear();
    if (uses_adverse_[a])
      for (const auto& p : patients) adverse_[a].push_back(p.adverse[a]);
  }
  cox_fresh_ = false;
}

TrialAnalysis::TestResult TrialAnalysis::run(EndpointKind kind) {
  switch (kind) {
    case EndpointKind::duration_logrank: {
      const LogRankResult r = log_rank_test(time_, event_, group_, logrank_);
      return {r.p_value, std::exp(r.log_hazard_ratio)};
    }
    case EndpointKind::duration_cox_wald:
    case EndpointKind::duration_cox_lr: {
      if (!cox_fresh_) cox_result_ = cox_ph(time_, event_, group_, cox_);
      cox_fresh_ = true;
      const double p = kind == EndpointKind::duration_cox_wald ? cox_result_.wald_p : cox_result_.lr_p;
      return {std::isnan(p) ? 1.0 : p, std::exp(cox_result_.log_hazard_ratio)};
    }
    case EndpointKind::nk_welch: {
      // The CI is unused here; skipping its t quantile halves the test's cost (same p-value).
      const WelchResult w = welch_t_test(nk_control_, nk_il2_, /*confidence_interval=*/false);
      return {w.p_value, w.mean_difference};
    }
    case EndpointKind::nk_wilcoxon: {
      if (nk_il2_.empty() || nk_control_.empty()) return {1.0, kNaN};
      const WilcoxonResult w = wilcoxon_test(nk_il2_, nk_control_, wilcoxon_);
      const double pairs = static_cast<double>(nk_il2_.size() * nk_control_.size());
      return {std::isnan(w.p_value) ? 1.0 : w.p_value, w.w / pairs};
    }
    default: {
      const auto& outcome = kind == EndpointKind::clinical_response
                                ? response_
                                : adverse_[static_cast<std::size_t>(adverse_event_of(kind))];
      const BinaryCounts c = count_binary(outcome, group_);
      // Group 1 (IL-2) minus group 0 (control).
      const double p = fisher_exact_test(c.successes[1], c.trials[1], c.successes[0], c.trials[0]);
      const double diff = c.trials[0] && c.trials[1]
                              ? double(c.successes[1]) / c.trials[1] - double(c.successes[0]) / c.trials[0]
                              : kNaN;
      return {p, diff};
    }
  }
}

void TrialAnalysis::analyze(std::span<const PatientRecord> patients, std::span<double> row) {
  prepare(patients);
  std::size_t c = 0;
  const auto put = [&](double p_value, double estimate, bool reject) {
    row[c++] = p_value;
    row[c++] = estimate;
    row[c++] = reject ? 1.0 : 0.0;
  };
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    const TestResult r = run(kinds_[i]);
    p_values_[i] = r.p_value;
    put(r.p_value, r.estimate, r.p_value < alpha_);
  }

  // Multiplicity over the family (primary, key secondaries), on multiplicity-adjusted p-values.
  for (std::size_t j = 0; j < family_.size(); ++j) family_p_[j] = p_values_[family_[j]];
  if (multiplicity_ == Multiplicity::holm)
    holm_adjust(family_p_, family_adjusted_, holm_);
  else
    fixed_sequence_adjust(family_p_, family_adjusted_);
  const double all_adjusted = *std::max_element(family_adjusted_.begin(), family_adjusted_.end());
  put(family_adjusted_[0], kNaN, family_adjusted_[0] < alpha_);
  put(all_adjusted, kNaN, all_adjusted < alpha_);
  if (monitor_) {
    // The monitor sees every patient of the trial, with calendar times; its decision columns
    // go after the descriptive ones, and its overall rejection is the design's endpoint here.
    monitor_->evaluate(patients, monitor_row_);
    put(kNaN, monitor_row_[gs_z_column_], monitor_row_[gs_reject_column_] != 0);
  }

  if (descriptive_) {
    for (const std::uint8_t arm : {std::uint8_t{0}, std::uint8_t{1}}) {
      const MedianSurvival m = km_median(time_, event_, group_, arm, km_);
      row[c++] = m.median;
      row[c++] = m.lower;
      row[c++] = m.upper;
    }
    for (const std::uint8_t arm : {std::uint8_t{0}, std::uint8_t{1}}) {
      const SurvivalEstimate s = km_survival_at(time_, event_, group_, arm, 28.0, km_);
      row[c++] = 1 - s.survival;
    }
  } else {
    for (std::size_t i = 0; i < std::size(kDescriptiveColumns); ++i) row[c++] = kNaN;
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
  row[c++] = static_cast<double>(patients.size());
  row[c++] = screened;
  row[c++] = last_randomization;
  row[c++] = last_visit;
  row[c++] = last_randomization <= deadline_days_ ? 1.0 : 0.0;
  row[c++] = last_visit <= deadline_days_ ? 1.0 : 0.0;
  if (monitor_)
    for (double v : monitor_row_) row[c++] = v;
}

}  // namespace vtrial
