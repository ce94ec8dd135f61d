#pragma once
// A scenario made ready to run, built once and shared by run, sweep and samplesize: the
// prototype analysis and simulator every worker copies, the result schema and the planned
// group-sequential looks.
#include <optional>
#include <string>
#include <vector>

#include "app/design_summary.hpp"
#include "design/result_schema.hpp"
#include "engine/power_summary.hpp"
#include "models/scenario.hpp"
#include "models/trial_analysis.hpp"
#include "models/trial_simulator.hpp"

namespace vtrial {

class TrialPlan {
 public:
  // `scenario` must outlive the plan.
  explicit TrialPlan(const Scenario& scenario);

  const Scenario& scenario() const { return *scenario_; }
  const TrialAnalysis& analysis() const { return analysis_; }
  const TrialSimulator& simulator() const { return simulator_; }
  // The analysis's columns, then (with `uncertainty:`) one parameter column per prior, named by
  // its key.
  const ResultSchema& schema() const { return schema_; }
  std::size_t analysis_columns() const { return analysis_columns_; }
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  // Names of the values with a power figure, in schema order.
  const std::vector<std::string>& power_names() const { return power_names_; }
  // What a PowerTally counts: the power names, then (with analysis.type1_error) each one's
  // "<name>_null", the rejections of the same trial under the null; describe() folds those into
  // the type-I error of their value.
  const std::vector<std::string>& tallied_names() const { return tallied_names_; }
  // With analysis.type1_error: for each power value, its reject column among the analysis's
  // columns and its <name>_null_reject column.
  const std::vector<std::pair<std::size_t, std::size_t>>& null_columns() const { return null_columns_; }
  std::size_t parameter_columns() const { return parameter_columns_; }
  // With `calibration:`: the first of its target columns (calibration.<name>, one per target,
  // then calibration_weight), and the weight column's name ("" without calibration).
  std::size_t calibration_column() const { return calibration_column_; }
  const std::string& weight_column() const { return weight_column_; }
  // The per-trial descriptive columns (role descriptive), averaged into the design summary.
  const std::vector<std::string>& descriptive_names() const { return descriptive_names_; }
  std::size_t looks() const { return analysis_.looks(); }

  // Attaches the schema's description (kind, endpoint, comparison, test, outcome) to tallied power.
  std::vector<EndpointPower> describe(std::vector<EndpointPower> power) const;
  // Adds the planned looks (boundaries, fractions) to a tallied design summary.
  DesignSummary describe(DesignSummary design) const;

 private:
  const Scenario* scenario_;
  TrialAnalysis analysis_;
  TrialSimulator simulator_;
  ResultSchema schema_;
  std::size_t analysis_columns_;
  std::vector<ColumnSpec> columns_;
  std::vector<std::string> power_names_;
  std::vector<std::string> tallied_names_;
  std::vector<std::pair<std::size_t, std::size_t>> null_columns_;
  std::size_t parameter_columns_ = 0;
  std::size_t calibration_column_ = 0;
  std::string weight_column_;
  std::vector<std::string> descriptive_names_;
};

}  // namespace vtrial
