#pragma once
// The protocol's analyses of one simulated trial's observed data. Each endpoint writes three
// columns: `<name>_p` (two-sided p-value), `<name>_estimate` and `<name>_reject` (0/1).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/result_table.hpp"
#include "engine/stats/logrank.hpp"
#include "models/patient_record.hpp"
#include "models/scenario.hpp"

namespace vtrial {

class TrialAnalysis {
 public:
  explicit TrialAnalysis(const Scenario& scenario);

  const std::vector<std::string>& endpoints() const { return endpoints_; }
  std::vector<ColumnSpec> columns() const;
  // `row` has one slot per column, in the order of columns().
  void analyze(std::span<const PatientRecord> patients, std::span<double> row);

 private:
  double alpha_;
  double deadline_days_;  // planned completion, days after the study start
  std::vector<std::string> endpoints_;
  // Scratch reused across trials so the per-trial path does not allocate.
  std::vector<double> time_;
  std::vector<std::uint8_t> event_;
  std::vector<std::uint8_t> group_;
  std::vector<double> nk_control_;
  std::vector<double> nk_il2_;
  LogRankWorkspace logrank_;
};

}  // namespace vtrial
