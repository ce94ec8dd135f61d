#pragma once
// A two-sample hypothesis test as the trial-design layer sees it: it names the kind of data it
// reads, takes one comparison's data (treatment vs control) and returns a two-sided p-value and
// an estimate of the effect. Tests are built by name (make_hypothesis_test), as OpenMC builds a
// tally filter from its type string: a new test is one file here and one line in registry.cpp.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/stats/cox_ph.hpp"

namespace vtrial {

enum class DataKind : std::uint8_t { time_to_event, continuous, binary };
std::string_view data_kind_name(DataKind kind);

// Fits that several tests of the same data read: the Cox Wald and likelihood-ratio tests share
// one fit per trial and comparison. Reset by whoever prepares the data.
struct SharedFits {
  bool cox_valid = false;
  CoxResult cox;
};

// One comparison's data. group[i] is 1 for the treatment arm, 0 for the control arm.
struct TwoSampleData {
  // time_to_event: time and event per patient (1 = event observed, 0 = censored).
  std::span<const double> time;
  std::span<const std::uint8_t> event;
  std::span<const std::uint8_t> group;
  // continuous: the values of each arm (missing values already dropped), in patient order.
  std::span<const double> control_values, treatment_values;
  // binary: counts per arm.
  std::uint32_t control_successes = 0, control_trials = 0, treatment_successes = 0, treatment_trials = 0;
  SharedFits* fits = nullptr;
};

// p_value NaN (no test possible) rejects nothing, in the endpoint and in the family.
struct TestResult {
  double p_value;
  double estimate;
};

class HypothesisTest {
 public:
  virtual ~HypothesisTest() = default;
  virtual DataKind reads() const = 0;
  // What `estimate` is, for the result schema (e.g. "hazard_ratio").
  virtual std::string_view estimate_name() const = 0;
  // Not const: a test keeps scratch buffers, so each worker owns a copy (clone()).
  virtual TestResult run(const TwoSampleData& data) = 0;
  virtual std::unique_ptr<HypothesisTest> clone() const = 0;
};

// Throws std::invalid_argument naming the accepted tests when `name` is unknown.
std::unique_ptr<HypothesisTest> make_hypothesis_test(std::string_view name);
std::vector<std::string> hypothesis_test_names();

}  // namespace vtrial
