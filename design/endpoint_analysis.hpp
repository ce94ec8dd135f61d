#pragma once
// The endpoints and the multiplicity family of one simulated trial, computed from its observed
// data (TrialData): for each endpoint and comparison a p-value, an estimate and a rejection at
// two-sided alpha, then the family's adjusted decisions. Built once per scenario; each worker
// copies it (the tests keep scratch buffers), and the per-trial path allocates nothing once warm.
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "design/arms.hpp"
#include "design/endpoint.hpp"
#include "design/family.hpp"
#include "design/outcome.hpp"
#include "design/result_schema.hpp"

namespace vtrial {

class EndpointAnalysis {
 public:
  EndpointAnalysis(std::vector<Arm> arms, std::vector<OutcomeSpec> outcomes, std::vector<EndpointSpec> endpoints,
                   FamilySpec family, double alpha);
  EndpointAnalysis(const EndpointAnalysis& other);
  EndpointAnalysis& operator=(const EndpointAnalysis&) = delete;
  EndpointAnalysis(EndpointAnalysis&&) noexcept = default;

  // The columns analyze() writes, in order, and their power entries.
  const ResultSchema& schema() const { return schema_; }
  // Which outcomes analyze() reads (indexed like the declared outcomes).
  const std::vector<bool>& outcomes_read() const { return outcomes_read_; }
  // Writes schema().columns.size() values into row[0..).
  void analyze(const TrialData& data, std::span<double> row);

  const std::vector<Arm>& arms() const { return arms_; }
  const std::vector<EndpointSpec>& endpoints() const { return endpoints_; }

 private:
  // One comparison's data of one outcome (with its horizon / by-day reading), shared by every
  // endpoint that reads the same; prepared at most once per trial.
  struct Dataset {
    std::size_t outcome = 0;
    double horizon_days = 0;
    double by_day = 0;
    DataKind kind = DataKind::time_to_event;
    Comparison comparison;
    bool ready = false;
    std::vector<double> time;
    std::vector<std::uint8_t> event, group;
    std::vector<double> control_values, treatment_values;
    SharedFits fits;
    TwoSampleData data;
  };
  struct Test {
    std::size_t endpoint = 0;
    std::size_t dataset = 0;
    std::unique_ptr<HypothesisTest> test;
  };
  void prepare(Dataset& d, const TrialData& data) const;
  std::size_t dataset_for(const EndpointSpec& e, const Comparison& c);
  void build_schema();

  std::vector<Arm> arms_;
  std::vector<OutcomeSpec> outcomes_;
  std::vector<EndpointSpec> endpoints_;
  FamilySpec family_;
  double alpha_;
  std::vector<Comparison> family_comparisons_;
  ResultSchema schema_;
  std::vector<bool> outcomes_read_;
  std::vector<Dataset> datasets_;
  std::vector<Test> tests_;  // endpoint by endpoint, comparison by comparison (schema order)
  // family_tests_[f * comparisons + c]: the test of family endpoint f, comparison c.
  std::vector<std::size_t> family_tests_;

  // Per-trial scratch.
  std::vector<double> p_values_;  // one per test
  std::vector<double> grid_;
  FamilyWorkspace family_workspace_;
};

}  // namespace vtrial
