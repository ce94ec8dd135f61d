#include "models/trial_analysis.hpp"

#include <cmath>

#include "engine/stats/welch_t.hpp"

namespace vtrial {

TrialAnalysis::TrialAnalysis(const Scenario& scenario)
    : alpha_(scenario.analysis.alpha), endpoints_{"duration_of_viremia", "nk_change"} {}

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
  return cols;
}

void TrialAnalysis::analyze(std::span<const PatientRecord> patients, std::span<double> row) {
  time_.clear();
  event_.clear();
  group_.clear();
  nk_control_.clear();
  nk_il2_.clear();
  double events = 0, screened = 0;
  for (const auto& p : patients) {
    time_.push_back(p.time_days);
    event_.push_back(p.event);
    group_.push_back(p.arm);
    events += p.event;
    screened += p.screened;
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
  const WelchResult w = welch_t_test(nk_control_, nk_il2_);
  put(w.p_value, w.mean_difference);
  row[c++] = events;
  row[c++] = static_cast<double>(patients.size());
  row[c++] = screened;
}

}  // namespace vtrial
