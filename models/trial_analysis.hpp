#pragma once
// The analyses of one simulated trial: the scenario's endpoints and multiplicity family (the
// design layer's EndpointAnalysis, on outcome columns read from the records), the optional
// group-sequential monitor of the primary endpoint, Kaplan-Meier summaries per arm, and the
// trial's own bookkeeping (events, enrollment time, screening, the registered deadline).
// schema() describes every column analyze() writes.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "design/endpoint_analysis.hpp"
#include "design/result_schema.hpp"
#include "engine/stats/kaplan_meier.hpp"
#include "models/interim_analysis.hpp"
#include "models/patient_model.hpp"
#include "models/patient_record.hpp"
#include "models/scenario.hpp"

namespace vtrial {

class TrialAnalysis {
 public:
  explicit TrialAnalysis(const Scenario& scenario);

  const ResultSchema& schema() const { return schema_; }
  std::vector<ColumnSpec> columns() const { return schema_.column_specs(); }
  // `row` has one slot per column, in the order of columns().
  void analyze(std::span<const PatientRecord> patients, std::span<double> row);
  // The optional record fields analyze() reads: the simulator may skip the others.
  OutputRequest outputs_read() const { return outputs_read_; }
  // Looks of the group-sequential design (interims + final); 0 for a fixed design.
  std::size_t looks() const { return monitor_ ? monitor_->looks() : 0; }
  // The planned efficacy boundaries of an information-timed design (NaN for calendar timing).
  const GroupSequentialMonitor* monitor() const { return monitor_ ? &*monitor_ : nullptr; }

 private:
  double deadline_days_;
  bool descriptive_;
  std::size_t arms_;
  EndpointAnalysis endpoints_;
  ResultSchema schema_;
  OutputRequest outputs_read_;
  std::vector<std::size_t> outcomes_read_;  // indices of the outcome columns to fill per trial

  // Scratch reused across trials so the per-trial path does not allocate.
  std::vector<std::uint8_t> arm_;
  TrialData data_;
  KaplanMeierWorkspace km_;
  std::optional<GroupSequentialMonitor> monitor_;  // when analysis.interim.enabled
  std::vector<double> monitor_row_;
  std::size_t gs_reject_column_ = 0, gs_z_column_ = 0, gs_stop_look_column_ = 0, gs_stop_day_column_ = 0;
};

}  // namespace vtrial
