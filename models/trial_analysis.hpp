#pragma once
// The protocol's analyses of one simulated trial's observed data. Each endpoint writes three
// columns: `<name>_p` (two-sided p-value), `<name>_estimate` and `<name>_reject` (0/1). The
// multiplicity procedure adds the pseudo-endpoints `primary_wins` and
// `all_key_secondaries_win`; descriptive columns (Kaplan-Meier medians per arm, enrollment)
// follow.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/result_table.hpp"
#include "engine/stats/cox_ph.hpp"
#include "engine/stats/kaplan_meier.hpp"
#include "engine/stats/logrank.hpp"
#include "engine/stats/multiplicity.hpp"
#include "engine/stats/wilcoxon.hpp"
#include "models/endpoint_catalog.hpp"
#include "models/interim_analysis.hpp"
#include "models/patient_model.hpp"
#include "models/patient_record.hpp"
#include "models/scenario.hpp"

namespace vtrial {

class TrialAnalysis {
 public:
  explicit TrialAnalysis(const Scenario& scenario);

  // Endpoints with a power figure: the chosen tests, then the multiplicity pseudo-endpoints.
  const std::vector<std::string>& endpoints() const { return power_endpoints_; }
  std::vector<ColumnSpec> columns() const;
  // `row` has one slot per column, in the order of columns().
  void analyze(std::span<const PatientRecord> patients, std::span<double> row);
  // The optional record fields analyze() reads: the simulator may skip the others.
  OutputRequest outputs_read() const { return {.nk_change = uses_nk_}; }
  // Looks of the group-sequential design (interims + final); 0 for a fixed design.
  std::size_t looks() const { return monitor_ ? monitor_->looks() : 0; }

 private:
  struct TestResult {
    double p_value;
    double estimate;
  };
  TestResult run(EndpointKind kind);
  void prepare(std::span<const PatientRecord> patients);

  double alpha_;
  double deadline_days_;
  bool descriptive_;
  Multiplicity multiplicity_;
  std::vector<EndpointKind> kinds_;
  std::vector<std::string> power_endpoints_;
  std::vector<std::size_t> family_;  // indices into kinds_: primary first, then key secondaries
  // Which per-patient columns the chosen endpoints read; prepare() gathers only those.
  bool uses_nk_ = false;
  bool uses_response_ = false;
  bool uses_adverse_[kAdverseEventKinds] = {};

  // Scratch reused across trials so the per-trial path does not allocate.
  std::vector<double> time_;
  std::vector<std::uint8_t> event_;
  std::vector<std::uint8_t> group_;
  std::vector<double> nk_control_;
  std::vector<double> nk_il2_;
  std::vector<std::uint8_t> response_;
  std::vector<std::uint8_t> adverse_[kAdverseEventKinds];
  std::vector<double> p_values_;
  std::vector<double> family_p_;
  std::vector<double> family_adjusted_;
  LogRankWorkspace logrank_;
  CoxWorkspace cox_;
  KaplanMeierWorkspace km_;
  WilcoxonWorkspace wilcoxon_;
  HolmWorkspace holm_;
  bool cox_fresh_ = false;  // the Wald and LR endpoints share one fit
  CoxResult cox_result_;
  std::optional<GroupSequentialMonitor> monitor_;  // when analysis.interim.enabled
  std::vector<double> monitor_row_;
  std::size_t gs_reject_column_ = 0, gs_z_column_ = 0, gs_stop_look_column_ = 0, gs_stop_day_column_ = 0;
};

}  // namespace vtrial
