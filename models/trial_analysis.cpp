#include "models/trial_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "engine/stats/welch_t.hpp"

namespace vtrial {

TrialAnalysis::TrialAnalysis(const Scenario& scenario)
    : alpha_(scenario.analysis.alpha),
      deadline_days_(scenario.enrollment.deadline_days()),
      endpoints_{"duration_of_viremia", "nk_change"} {}

std::vector<ColumnSpec> TrialAnalysis::columns() const {
  std::vector<ColumnSpec> cols;
  for (const auto& e : endpoints_) {
    cols.push_back({e + "_p", ColumnType::real});
    cols.push_back({e + "_estimate", ColumnType::real});
    cols.push_back({e + "_reject", ColumnType::integer});
  }
  cols.push_back({"events", ColumnType::integer});
  cols.push_back({"patients", ColumnType::integer});
  cols.push_back({"screened", ColumnType::integer});
  cols.push_back({"enrollment_days", ColumnType::real});
  cols.push_back({"last_visit_days", ColumnType::real});
  cols.push_back({"enrolled_by_deadline", ColumnType::integer});
  cols.push_back({"completed_by_deadline", ColumnType::integer});
  return cols;
}

void TrialAnalysis::analyze(std::span<const PatientRecord> patients, std::span<double> row) {
  time_.clear();
  event_.clear();
  group_.clear();
  nk_control_.clear();
  nk_il2_.clear();
  double events = 0, screened = 0, last_randomization = 0, last_visit = 0;
  for (const auto& p : patients) {
    time_.push_back(p.time_days);
    event_.push_back(p.event);
    group_.push_back(p.arm);
    events += p.event;
    screened += p.screened;
    last_randomization = std::max(last_randomization, p.randomization_day);
    last_visit = std::max(last_visit, p.randomization_day + p.time_days);
    if (!std::isnan(p.nk_change)) (p.arm == 1 ? nk_il2_ : nk_control_).push_back(p.nk_change);
  }
  std::size_t c = 0;
  const auto put = [&](double p_value, double estimate) {
    row[c++] = p_value;
    row[c++] = estimate;
    row[c++] = p_value < alpha_ ? 1.0 : 0.0;
  };
  // Duration of viremia: log-rank; estimate = hazard ratio of becoming negative, IL-2 vs control.
  const LogRankResult lr = log_rank_test(time_, event_, group_, logrank_);
  put(lr.p_value, std::exp(lr.log_hazard_ratio));
  // NK change: Welch t; estimate = mean difference IL-2 minus control (cells/uL).
  const WelchResult w = welch_t_test(nk_control_, nk_il2_, /*confidence_interval=*/false);  // CI unused here
  put(w.p_value, w.mean_difference);
  row[c++] = events;
  row[c++] = static_cast<double>(patients.size());
  row[c++] = screened;
  row[c++] = last_randomization;
  row[c++] = last_visit;
  row[c++] = last_randomization <= deadline_days_ ? 1.0 : 0.0;
  row[c++] = last_visit <= deadline_days_ ? 1.0 : 0.0;
}

}  // namespace vtrial
