#pragma once
// What the protocol committee reads beside power: how long enrollment takes, the chance of
// finishing by the registered completion date, how many candidates are screened, and the
// descriptive estimates a trial would report, averaged over the simulated trials.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/result_table.hpp"

namespace vtrial {

// One look of a group-sequential design, as planned: reject H0 if |z| >= efficacy_z (nominal
// two-sided p efficacy_p), stop for futility at an interim if z < futility_z (NaN = no rule, and
// at the final look). Calendar timing: the look's day; its fraction and boundary depend on each
// trial's information, so they are NaN here.
struct LookSummary {
  double information_fraction = 0;
  double day = 0;
  double efficacy_z = 0;
  double efficacy_p = 0;
  double futility_z = 0;
  double p_stop = 0;  // share of simulated trials that stopped at this look
};

struct DesignSummary {
  double p_enrolled_by_deadline = 0, p_enrolled_low = 0, p_enrolled_high = 0;
  double p_completed_by_deadline = 0, p_completed_low = 0, p_completed_high = 0;
  double median_enrollment_days = 0;
  double enrollment_days_p10 = 0, enrollment_days_p90 = 0;
  double mean_screened = 0;
  double mean_patients = 0;  // expected sample size (smaller than N when trials stop early)
  double mean_events = 0;
  // Group-sequential designs only (empty otherwise): P(the trial stops at look j), j = 0..K-1
  // (the last is the final analysis), and P(stop for futility).
  std::vector<double> p_stop_at_look;
  double p_futility_stop = 0;
  std::vector<LookSummary> looks;  // filled by TrialPlan::describe
  // Means over trials of per-trial descriptive columns (NaN values skipped), e.g. KM medians.
  std::vector<std::pair<std::string, double>> descriptive;
};

// Accumulates the summary block by block, so a run keeps per-trial rows only one block at a
// time. One exception: the exact enrollment-time quantiles keep that one column (8 bytes per
// trial) until result().
class DesignTally {
 public:
  // `looks`: the group-sequential design's looks (interims + final), so p_stop_at_look has one
  // entry per look even where no trial stopped; 0 without interim analyses.
  // `descriptive`: the per-trial summaries to average (the schema's descriptive columns).
  DesignTally(const std::vector<ColumnSpec>& columns, std::size_t looks, const std::vector<std::string>& descriptive);
  // Rows [0, rows) of `block` (which has the columns given to the constructor).
  void add(const ResultTable& block, std::size_t rows);
  DesignSummary result() const;

 private:
  struct Mean {  // NaN values skipped
    std::size_t column = 0;
    double sum = 0;
    std::size_t n = 0;
    void add(const ResultTable& block, std::size_t rows);
    double value() const;
  };
  std::size_t enrolled_column_ = 0, completed_column_ = 0, days_column_ = 0, look_column_ = 0;
  std::uint64_t enrolled_ = 0, completed_ = 0, trials_ = 0;
  std::vector<double> enrollment_days_;
  Mean screened_, patients_, events_, gs_patients_, gs_events_, futility_;
  bool group_sequential_ = false;
  std::vector<std::uint64_t> stops_at_look_;
  std::vector<std::pair<std::string, Mean>> descriptive_;
};

DesignSummary summarize_design(const ResultTable& trials, std::size_t looks,
                               const std::vector<std::string>& descriptive);

// Every scalar of the summary by name, in one order: the datasets of /design, the members of
// --json's "design" and the keys of Python's design dict (the looks come apart, as a list).
std::vector<std::pair<std::string, double>> design_fields(const DesignSummary& design);

}  // namespace vtrial
