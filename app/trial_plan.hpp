#pragma once
// A scenario made ready to run, built once and shared by run, sweep and samplesize: the
// prototype analysis and simulator every worker copies, the result schema and the planned
// group-sequential looks.
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
  const ResultSchema& schema() const { return analysis_.schema(); }
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  // Names of the values with a power figure, in schema order.
  const std::vector<std::string>& power_names() const { return power_names_; }
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
  std::vector<ColumnSpec> columns_;
  std::vector<std::string> power_names_;
  std::vector<std::string> descriptive_names_;
};

}  // namespace vtrial
